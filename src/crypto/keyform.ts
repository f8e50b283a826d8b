/**
 * The two byte forms of a 64-byte sr25519 secret (WALLET.md §5): Python and
 * Rust write schnorrkel's canonical form; polkadot-js (and our signer) use the
 * "ed25519 form", whose 32-byte scalar is multiplied by the cofactor 8.
 */

/** canonical -> ed25519 form: the little-endian scalar shifted left by 3 bits. */
export function canonicalToEd25519Form(secret: Uint8Array): Uint8Array {
  if (secret.length !== 64) throw new TypeError('an sr25519 secret has 64 bytes');
  const out = Uint8Array.from(secret);
  let carry = 0;
  for (let i = 0; i < 32; i++) {
    const b = secret[i]!;
    out[i] = ((b << 3) | carry) & 0xff;
    carry = b >> 5;
  }
  return out;
}

/** ed25519 form -> canonical: the inverse, a right shift by 3 bits from byte 31 down. */
export function ed25519FormToCanonical(secret: Uint8Array): Uint8Array {
  if (secret.length !== 64) throw new TypeError('an sr25519 secret has 64 bytes');
  const out = Uint8Array.from(secret);
  let carry = 0;
  for (let i = 31; i >= 0; i--) {
    const b = secret[i]!;
    out[i] = ((b >> 3) | (carry << 5)) & 0xff;
    carry = b & 0x07;
  }
  return out;
}
