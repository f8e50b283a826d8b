/**
 * Ansible Vault 1.1/1.2 AES256 keyfiles (WALLET.md §3.2), legacy, decrypt-only,
 * with Node's own crypto: PBKDF2-SHA256 (10000 rounds, 80 bytes) gives the
 * AES-256-CTR key, the HMAC-SHA256 key and the counter IV.
 */
import { createDecipheriv, createHmac, pbkdf2, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { WalletError } from '../../errors.js';

const pbkdf2Async = promisify(pbkdf2);

export interface AnsibleVault {
  salt: Buffer;
  hmac: Buffer;
  ciphertext: Buffer;
}

function unhex(s: string): Buffer | undefined {
  const t = s.trim();
  return t.length % 2 === 0 && /^[0-9a-fA-F]*$/.test(t) ? Buffer.from(t, 'hex') : undefined;
}

export function parseAnsibleVault(raw: Uint8Array, file: string): AnsibleVault {
  const corrupt = (why: string): WalletError =>
    new WalletError('ERR_KEYFILE_CORRUPT', `keyfile ${file} is a damaged Ansible Vault file (${why}); restore it from a backup`);
  const lines = Buffer.from(raw).toString('latin1').split(/\r?\n/);
  const header = lines[0]!.trim().split(';');
  if (header[0] !== '$ANSIBLE_VAULT' || !['1.1', '1.2'].includes(header[1] ?? '') || header[2]?.trim() !== 'AES256') {
    throw corrupt(`unsupported header ${JSON.stringify(lines[0]!.trim().slice(0, 40))}, expected $ANSIBLE_VAULT;1.1;AES256`);
  }
  const inner = unhex(lines.slice(1).join(''));
  if (!inner) throw corrupt('body is not hex');
  const parts = inner.toString('latin1').split('\n').map(unhex);
  if (parts.length !== 3 || parts.some((p) => p === undefined)) throw corrupt('expected salt, HMAC and ciphertext');
  const [salt, hmac, ciphertext] = parts as [Buffer, Buffer, Buffer];
  if (hmac.length !== 32 || ciphertext.length === 0 || ciphertext.length % 16 !== 0) throw corrupt('bad HMAC or ciphertext length');
  return { salt, hmac, ciphertext };
}

/** Plaintext, or undefined when the HMAC does not match (a wrong password). */
export async function openAnsibleVault(v: AnsibleVault, password: string, file: string): Promise<Uint8Array | undefined> {
  const derived = await pbkdf2Async(Buffer.from(password, 'utf8'), v.salt, 10_000, 80, 'sha256');
  try {
    const mac = createHmac('sha256', derived.subarray(32, 64)).update(v.ciphertext).digest();
    if (!timingSafeEqual(mac, v.hmac)) return undefined;
    const decipher = createDecipheriv('aes-256-ctr', derived.subarray(0, 32), derived.subarray(64, 80));
    const padded = Buffer.concat([decipher.update(v.ciphertext), decipher.final()]);
    const pad = padded[padded.length - 1]!;
    if (pad < 1 || pad > 16 || !padded.subarray(padded.length - pad).every((b) => b === pad)) {
      padded.fill(0);
      throw new WalletError('ERR_KEYFILE_CORRUPT', `keyfile ${file} is a damaged Ansible Vault file (bad padding); restore it from a backup`);
    }
    const out = Uint8Array.from(padded.subarray(0, padded.length - pad));
    padded.fill(0);
    return out;
  } finally {
    derived.fill(0);
  }
}
