/**
 * Fernet keyfiles (WALLET.md §3.3), bittensor's oldest format, decrypt-only.
 * btwallet cannot open these (it builds a random key); bittensor ≤ 7 could.
 * Key: PBKDF2-SHA256(password, fixed salt, 10,000,000 rounds, 32 bytes);
 * signing key = [0:16], AES-128-CBC key = [16:32].
 */
import { createDecipheriv, createHmac, pbkdf2, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { WalletError } from '../../errors.js';
import { serializeKdf } from './serial.js';

const pbkdf2Async = promisify(pbkdf2);
const SALT = Buffer.from('Iguesscyborgslikemyselfhaveatendencytobeparanoidaboutourorigins', 'latin1');
export const FERNET_ITERATIONS = 10_000_000;

export interface FernetToken {
  /** Everything the HMAC covers: version ‖ timestamp ‖ IV ‖ ciphertext. */
  signed: Buffer;
  iv: Buffer;
  ciphertext: Buffer;
  hmac: Buffer;
}

export function parseFernet(raw: Uint8Array, file: string): FernetToken {
  const text = Buffer.from(raw).toString('latin1').trim();
  const corrupt = (why: string): WalletError =>
    new WalletError('ERR_KEYFILE_CORRUPT', `keyfile ${file} is a damaged Fernet file (${why}); restore it from a backup`);
  if (!/^[A-Za-z0-9_-]+={0,2}$/.test(text)) throw corrupt('not base64url');
  const token = Buffer.from(text, 'base64url');
  const ctLen = token.length - 1 - 8 - 16 - 32;
  if (token[0] !== 0x80 || ctLen <= 0 || ctLen % 16 !== 0) throw corrupt('bad token length or version');
  return {
    signed: token.subarray(0, token.length - 32),
    iv: token.subarray(9, 25),
    ciphertext: token.subarray(25, token.length - 32),
    hmac: token.subarray(token.length - 32),
  };
}

/** The 32 raw key bytes (what Fernet base64url-decodes its key string to). Slow: seconds. */
export function fernetKey(password: string): Promise<Buffer> {
  return serializeKdf(() => pbkdf2Async(Buffer.from(password, 'utf8'), SALT, FERNET_ITERATIONS, 32, 'sha256'));
}

/** Plaintext, or undefined when the HMAC does not match (a wrong password). */
export function openFernet(t: FernetToken, key: Uint8Array): Uint8Array | undefined {
  const mac = createHmac('sha256', key.subarray(0, 16)).update(t.signed).digest();
  if (!timingSafeEqual(mac, t.hmac)) return undefined;
  const decipher = createDecipheriv('aes-128-cbc', key.subarray(16, 32), t.iv);
  try {
    return Uint8Array.from(Buffer.concat([decipher.update(t.ciphertext), decipher.final()]));
  } catch {
    return undefined;
  }
}
