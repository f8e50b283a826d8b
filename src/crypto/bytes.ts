/** Small byte helpers, so the hot path needs no @polkadot/util. */

export function hexToBytes(hex: string): Uint8Array {
  const h = hex.startsWith('0x') ? hex.slice(2) : hex;
  if (h.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(h)) throw new TypeError('invalid hex string');
  return Uint8Array.from(Buffer.from(h, 'hex'));
}

export function bytesToHex(bytes: Uint8Array, prefix = true): string {
  return (prefix ? '0x' : '') + Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** Strips every leading `0x`, as Rust `trim_start_matches("0x")` does in bittensor-wallet. */
export function stripHexPrefixes(s: string): string {
  let out = s;
  while (out.startsWith('0x')) out = out.slice(2);
  return out;
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const encoder = new TextEncoder();
export function utf8(s: string): Uint8Array {
  return encoder.encode(s);
}
