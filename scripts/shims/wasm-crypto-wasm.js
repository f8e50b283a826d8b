// Build-time stand-in for @polkadot/wasm-crypto-wasm: the same wasm bytes,
// decompressed once at build time into dist/wasm-crypto.wasm instead of being
// base64-decoded and inflated in JavaScript on every start (~50 ms).
import { readFileSync } from 'node:fs';

export const wasmBytes = new Uint8Array(readFileSync(new URL('../wasm-crypto.wasm', import.meta.url)));
export const packageInfo = { name: '@polkadot/wasm-crypto-wasm', path: 'bundled', type: 'esm', version: 'bundled' };
