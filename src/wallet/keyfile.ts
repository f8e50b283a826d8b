/**
 * Keyfile contents (WALLET.md §2) and turning them into a signing key pair
 * (WALLET.md §5 loading order). Only decrypted text reaches this module.
 */
import { WalletError } from '../errors.js';
import { bytesEqual, bytesToHex, hexToBytes, stripHexPrefixes } from '../crypto/bytes.js';
import { canonicalToEd25519Form } from '../crypto/keyform.js';
import { miniSecretFromPhrase } from '../crypto/derive.js';
import { decodeAddress, encodeAddress } from '../crypto/ss58.js';
import { Sr25519Pair } from '../crypto/sr25519.js';

export type KeyfileFormat = 'nacl' | 'ansible-vault' | 'fernet' | 'json';

/** Detects the encryption format by the file's first bytes, as every Python tool does. */
export function detectKeyfileFormat(raw: Uint8Array): KeyfileFormat {
  const head = Buffer.from(raw.subarray(0, 16)).toString('latin1');
  if (head.startsWith('$NACL')) return 'nacl';
  if (head.startsWith('$ANSIBLE_VAULT')) return 'ansible-vault';
  if (head.startsWith('gAAAAA')) return 'fernet';
  return 'json';
}

/** The fields of a keyfile, normalised: strings or undefined. */
export interface KeyfileData {
  accountId?: string;
  publicKey?: string;
  privateKey?: string;
  secretPhrase?: string;
  secretSeed?: string;
  ss58Address?: string;
  /** 1 sr25519 (also when absent), 0 ed25519. */
  cryptoType?: number;
}

const STRING_FIELDS = ['accountId', 'publicKey', 'privateKey', 'secretPhrase', 'secretSeed', 'ss58Address'] as const;

/**
 * Parses the plaintext of a keyfile. Tolerates: any key order, null or
 * missing fields, unknown extra fields, the legacy `" ss58Address"` key, a
 * numeric-string `cryptoType`, and the very old raw-hex public key file.
 * Error messages name the file, never its content.
 */
export function parseKeyfileText(text: string, file: string): KeyfileData {
  const trimmed = text.trim();
  let obj: unknown;
  try {
    obj = JSON.parse(trimmed);
  } catch {
    if (/^(0x)+[0-9a-fA-F]{64}$/.test(trimmed)) {
      const pub = '0x' + stripHexPrefixes(trimmed).toLowerCase();
      return { publicKey: pub, accountId: pub, ss58Address: encodeAddress(hexToBytes(pub)) };
    }
    throw new WalletError('ERR_KEYFILE_INVALID', `keyfile ${file} is not valid JSON; restore it from a backup or regenerate the key`);
  }
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
    throw new WalletError('ERR_KEYFILE_INVALID', `keyfile ${file} is not a JSON object; restore it from a backup or regenerate the key`);
  }
  const rec = obj as Record<string, unknown>;
  const out: KeyfileData = {};
  for (const f of STRING_FIELDS) {
    const v = rec[f] ?? (f === 'ss58Address' ? rec[' ss58Address'] : undefined);
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string') throw new WalletError('ERR_KEYFILE_INVALID', `keyfile ${file}: field ${f} must be a string`);
    if (v !== '') out[f] = v;
  }
  const ct = rec.cryptoType;
  if (ct !== undefined && ct !== null) {
    const n = typeof ct === 'string' && /^\d+$/.test(ct.trim()) ? Number(ct) : ct;
    if (n !== 0 && n !== 1) {
      throw new WalletError('ERR_KEYFILE_CRYPTO_TYPE', `keyfile ${file}: unknown cryptoType ${JSON.stringify(ct)} (expected 1 for sr25519 or 0 for ed25519)`);
    }
    out.cryptoType = n;
  }
  return out;
}

/** The public key a keyfile claims, from publicKey/accountId or its address. */
export function claimedPublicKey(data: KeyfileData, file: string): Uint8Array | undefined {
  let pub: Uint8Array | undefined;
  for (const f of ['publicKey', 'accountId'] as const) {
    const v = data[f];
    if (v === undefined) continue;
    let bytes: Uint8Array;
    try {
      bytes = hexToBytes(stripHexPrefixes(v));
    } catch {
      throw new WalletError('ERR_KEYFILE_INVALID', `keyfile ${file}: field ${f} is not hex`);
    }
    if (bytes.length !== 32) throw new WalletError('ERR_KEYFILE_INVALID', `keyfile ${file}: field ${f} is not a 32-byte public key`);
    if (pub && !bytesEqual(pub, bytes)) {
      throw new WalletError('ERR_KEY_MISMATCH', `keyfile ${file}: publicKey and accountId differ`);
    }
    pub = bytes;
  }
  if (data.ss58Address !== undefined) {
    let fromAddress: Uint8Array;
    try {
      fromAddress = decodeAddress(data.ss58Address).publicKey;
    } catch {
      throw new WalletError('ERR_KEYFILE_INVALID', `keyfile ${file}: field ss58Address is not a valid SS58 address`);
    }
    if (pub && !bytesEqual(pub, fromAddress)) {
      throw new WalletError('ERR_KEY_MISMATCH', `keyfile ${file}: ss58Address does not match publicKey`);
    }
    pub = fromAddress;
  }
  return pub;
}

function hexField(v: string | undefined): Uint8Array | undefined {
  if (v === undefined) return undefined;
  try {
    return hexToBytes(stripHexPrefixes(v));
  } catch {
    return undefined;
  }
}

/**
 * Builds the sr25519 pair of a keyfile: secretPhrase, then secretSeed, then
 * privateKey (canonical form converted; the raw polkadot-js form accepted too).
 * A candidate is used only if it matches the file's public key and address.
 * Returns undefined for a public-only file.
 */
export async function pairFromKeyfile(data: KeyfileData, file: string): Promise<Sr25519Pair | undefined> {
  if (data.cryptoType === 0) {
    throw new WalletError(
      'ERR_KEYFILE_CRYPTO_TYPE',
      `keyfile ${file} holds an ed25519 key (cryptoType 0); axons verify sr25519 hotkeys only, so use an sr25519 hotkey`,
    );
  }
  const claimed = claimedPublicKey(data, file);
  const matches = (p: Sr25519Pair): boolean => claimed === undefined || bytesEqual(p.publicKey, claimed);
  const tried: string[] = [];

  if (data.secretPhrase !== undefined) {
    tried.push('secretPhrase');
    try {
      const p = await Sr25519Pair.fromMiniSecret(miniSecretFromPhrase(data.secretPhrase));
      if (matches(p)) return p;
    } catch {
      /* an invalid phrase falls through to the next source */
    }
  }
  const seed = hexField(data.secretSeed);
  if (seed && (seed.length === 32 || seed.length === 64)) {
    tried.push('secretSeed');
    if (seed.length === 32) {
      const p = await Sr25519Pair.fromMiniSecret(seed);
      if (matches(p)) return p;
    } else if (claimed) {
      const p = await Sr25519Pair.fromSecret(canonicalToEd25519Form(seed), claimed);
      if (p) return p;
    }
  }
  const priv = hexField(data.privateKey);
  if (priv && priv.length === 64) {
    tried.push('privateKey');
    if (!claimed) {
      throw new WalletError('ERR_KEYFILE_INVALID', `keyfile ${file} has a privateKey but no publicKey or ss58Address to check it against`);
    }
    const p =
      (await Sr25519Pair.fromSecret(canonicalToEd25519Form(priv), claimed)) ??
      (await Sr25519Pair.fromSecret(priv, claimed));
    if (p) return p;
  }
  if (tried.length > 0) {
    throw new WalletError(
      'ERR_KEY_MISMATCH',
      `keyfile ${file}: ${tried.join(', ')} ${tried.length > 1 ? 'do' : 'does'} not match its public key ${claimed ? bytesToHex(claimed) : ''}`.trim(),
    );
  }
  return undefined;
}
