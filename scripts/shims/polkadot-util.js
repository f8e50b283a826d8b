// Build-time stand-in for the three @polkadot/util functions that
// @polkadot/wasm-crypto needs, so the CLI bundle does not load all of
// @polkadot/util (bn.js and ~100 ms of module loading) just to sign.
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8');

export function stringToU8a(value) {
  return value ? encoder.encode(value.toString()) : new Uint8Array();
}

export function u8aToString(value) {
  return value ? decoder.decode(value) : '';
}

// @polkadot/util uses this to warn about duplicate package versions; nothing to check in a bundle.
export function detectPackage() {}
