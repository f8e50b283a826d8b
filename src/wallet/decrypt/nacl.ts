/**
 * `$NACL` keyfiles (WALLET.md §3.1): "$NACL" ‖ nonce (24) ‖ MAC (16) ‖ ciphertext,
 * XSalsa20-Poly1305 secretbox in libsodium's combined mode.
 */
import { WalletError } from '../../errors.js';
import { loadSodium } from './sodium.js';

const MAGIC = 5;
const NONCE = 24;
const MAC = 16;

export interface NaclEnvelope {
  nonce: Uint8Array;
  /** MAC ‖ ciphertext. */
  box: Uint8Array;
}

/** Splits a `$NACL` file; a file too short to hold a MAC is damaged, whatever the password. */
export function parseNacl(raw: Uint8Array, file: string): NaclEnvelope {
  if (raw.length < MAGIC + NONCE + MAC + 1) {
    throw new WalletError('ERR_KEYFILE_CORRUPT', `keyfile ${file} is a truncated $NACL file (${raw.length} bytes); restore it from a backup or regenerate the key`);
  }
  return { nonce: raw.slice(MAGIC, MAGIC + NONCE), box: raw.slice(MAGIC + NONCE) };
}

/** Opens the box; undefined when the MAC fails (wrong key, or a damaged file). */
export async function openNacl(env: NaclEnvelope, key: Uint8Array): Promise<Uint8Array | undefined> {
  const sodium = await loadSodium();
  try {
    return sodium.crypto_secretbox_open_easy(env.box, env.nonce, key);
  } catch {
    return undefined;
  }
}

/**
 * After a MAC failure: does this key decrypt the file to text that looks like
 * a keyfile? Then the password was right and the file was cut or altered, and
 * saying "wrong password" would send the user retyping forever. The
 * keystream comes from sealing zeros with the same key and nonce; the
 * unauthenticated bytes are only inspected here, never used.
 */
export async function naclKeyFitsDamagedFile(env: NaclEnvelope, key: Uint8Array): Promise<boolean> {
  const sodium = await loadSodium();
  const ct = env.box.subarray(MAC);
  const stream = sodium.crypto_secretbox_easy(new Uint8Array(ct.length), env.nonce, key).subarray(MAC);
  const head = new Uint8Array(Math.min(ct.length, 16));
  for (let i = 0; i < head.length; i++) head[i] = ct[i]! ^ stream[i]!;
  const looksLikeKeyfile = head[0] === 0x7b /* { */ && head.every((b) => b >= 0x20 && b < 0x7f);
  head.fill(0);
  stream.fill(0);
  return looksLikeKeyfile;
}
