/**
 * Keyfile contents (WALLET.md §2) and turning them into a key (WALLET.md §5
 * loading order). Only decrypted text reaches this module; messages name the
 * file and the field, never a value that could be secret.
 */
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { WalletError } from '../errors.js';
import { bytesEqual, hexToBytes, stripHexPrefixes } from '../crypto/bytes.js';
import { canonicalToEd25519Form } from '../crypto/keyform.js';
import { miniSecretFromPhrase, normalisePhrase } from '../crypto/derive.js';
import { decodeAddress, encodeAddress } from '../crypto/ss58.js';
import { sr25519PublicOf, Sr25519Pair } from '../crypto/sr25519.js';

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
 * What a non-JSON keyfile is. `public` files (`coldkeypub.txt`, `*pub.txt`):
 * raw hex is a public key (bittensor v7's oldest coldkeypub.txt). `secret`
 * files: raw 32-byte hex is a seed, 64-byte hex a private key, words a
 * mnemonic (bittensor-core reads them so; btwallet cannot).
 */
export type KeyfileRole = 'public' | 'secret';

function parseRawText(trimmed: string, role: KeyfileRole): KeyfileData | undefined {
  const hex = /^(?:0x)+([0-9a-fA-F]+)$/.exec(trimmed)?.[1] ?? (/^[0-9a-fA-F]+$/.test(trimmed) ? trimmed : undefined);
  if (role === 'public') {
    if (hex === undefined || hex.length !== 64 || !trimmed.startsWith('0x')) return undefined;
    const pub = '0x' + hex.toLowerCase();
    return { publicKey: pub, accountId: pub, ss58Address: encodeAddress(hexToBytes(pub)) };
  }
  if (hex?.length === 64) return { secretSeed: '0x' + hex };
  if (hex?.length === 128) return { privateKey: '0x' + hex };
  if (/^[a-z]+(\s+[a-z]+){11,23}$/.test(trimmed)) return { secretPhrase: trimmed };
  return undefined;
}

/**
 * Parses the plaintext of a keyfile. Tolerates: any key order, null or
 * missing fields, unknown extra fields, the legacy `" ss58Address"` key, a
 * numeric-string `cryptoType`, and the raw legacy forms of `parseRawText`.
 */
export function parseKeyfileText(text: string, file: string, role: KeyfileRole = 'public'): KeyfileData {
  const trimmed = text.trim();
  let obj: unknown;
  try {
    obj = JSON.parse(trimmed);
  } catch {
    const raw = parseRawText(trimmed, role);
    if (raw) return raw;
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
      throw new WalletError('ERR_KEYFILE_CRYPTO_TYPE', `keyfile ${file}: unknown cryptoType ${JSON.stringify(ct).slice(0, 20)} (expected 1 for sr25519 or 0 for ed25519)`);
    }
    out.cryptoType = n;
  }
  return out;
}

/** The public key a keyfile claims, from publicKey/accountId or its address; they must agree. */
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
      throw new WalletError('ERR_KEY_MISMATCH', `keyfile ${file}: fields publicKey and accountId differ`);
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
      throw new WalletError('ERR_KEY_MISMATCH', `keyfile ${file}: field ss58Address does not match field publicKey`);
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

/** ed25519 public key of a 32-byte seed, with Node's crypto (RFC 8410 PKCS#8 wrapping). */
export function ed25519PublicOf(seed: Uint8Array): Uint8Array {
  const der = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]);
  const jwk = createPublicKey(createPrivateKey({ key: der, format: 'der', type: 'pkcs8' })).export({ format: 'jwk' });
  der.fill(0);
  return Uint8Array.from(Buffer.from(jwk.x!, 'base64url'));
}

export type SecretField = 'secretPhrase' | 'secretSeed' | 'privateKey';

/** A keyfile's key: an sr25519 pair that can sign, an ed25519 key (checked, but not a hotkey), or public only. */
export type KeyfileKey =
  | { type: 'sr25519'; pair: Sr25519Pair; publicKey: Uint8Array; address: string; source: SecretField }
  | { type: 'ed25519'; publicKey: Uint8Array; address: string; source: SecretField }
  | { type: 'public'; publicKey: Uint8Array; address: string; cryptoType: 0 | 1 };

function mismatch(file: string, tried: SecretField[], claimed: Uint8Array | undefined): WalletError {
  const fields = tried.length === 1 ? `field ${tried[0]}` : `fields ${tried.join(', ')}`;
  const against = claimed ? `its publicKey/ss58Address ${encodeAddress(claimed)}` : 'a valid key';
  return new WalletError('ERR_KEY_MISMATCH', `keyfile ${file}: ${fields} ${tried.length === 1 ? 'does' : 'do'} not match ${against}; the file is damaged or was edited, restore it from a backup`);
}

async function sr25519Key(data: KeyfileData, file: string, claimed: Uint8Array | undefined): Promise<KeyfileKey | undefined> {
  const tried: SecretField[] = [];
  const accept = (pair: Sr25519Pair, source: SecretField): KeyfileKey | undefined =>
    claimed === undefined || bytesEqual(pair.publicKey, claimed) ? { type: 'sr25519', pair, publicKey: pair.publicKey, address: pair.address, source } : undefined;

  if (data.secretPhrase !== undefined) {
    tried.push('secretPhrase');
    try {
      const k = accept(await Sr25519Pair.fromMiniSecret(miniSecretFromPhrase(data.secretPhrase)), 'secretPhrase');
      if (k) return k;
    } catch {
      /* an invalid phrase falls through to the next source, as in btwallet */
    }
  }
  const seed = hexField(data.secretSeed);
  if (seed && (seed.length === 32 || seed.length === 64)) {
    tried.push('secretSeed');
    const k =
      seed.length === 32
        ? accept(await Sr25519Pair.fromMiniSecret(seed), 'secretSeed')
        : await fromSecret64(seed, claimed, 'secretSeed');
    if (k) return k;
  }
  const priv = hexField(data.privateKey);
  if (priv && priv.length === 64) {
    tried.push('privateKey');
    const k = await fromSecret64(priv, claimed, 'privateKey');
    if (k) return k;
  }
  if (tried.length > 0) throw mismatch(file, tried, claimed);
  return undefined;
}

/**
 * A 64-byte secret: canonical (what Python and Rust write), converted to the
 * ed25519 form our signer uses; the raw polkadot-js form is accepted too when
 * that is what matches. Without a claimed key only the canonical reading is used.
 */
async function fromSecret64(secret: Uint8Array, claimed: Uint8Array | undefined, source: SecretField): Promise<KeyfileKey | undefined> {
  const canonical = canonicalToEd25519Form(secret);
  const wrap = (pair: Sr25519Pair | undefined): KeyfileKey | undefined =>
    pair ? { type: 'sr25519', pair, publicKey: pair.publicKey, address: pair.address, source } : undefined;
  if (claimed) return wrap((await Sr25519Pair.fromSecret(canonical, claimed)) ?? (await Sr25519Pair.fromSecret(secret, claimed)));
  const pub = await sr25519PublicOf(canonical);
  return pub ? wrap(await Sr25519Pair.fromSecret(canonical, pub)) : undefined;
}

/** ed25519 (cryptoType 0): phrase → the same mini-secret; seed or privateKey → the 32-byte seed (or seed ‖ public). */
function ed25519Key(data: KeyfileData, file: string, claimed: Uint8Array | undefined): KeyfileKey | undefined {
  const tried: SecretField[] = [];
  const candidates: [SecretField, () => Uint8Array | undefined][] = [
    ['secretPhrase', () => (data.secretPhrase === undefined ? undefined : miniSecretFromPhrase(normalisePhrase(data.secretPhrase)))],
    ['secretSeed', () => hexField(data.secretSeed)],
    ['privateKey', () => hexField(data.privateKey)],
  ];
  for (const [source, get] of candidates) {
    let seed: Uint8Array | undefined;
    try {
      seed = get();
    } catch {
      seed = undefined;
    }
    if (data[source] === undefined) continue;
    tried.push(source);
    if (!seed || (seed.length !== 32 && seed.length !== 64)) continue;
    const pub = ed25519PublicOf(seed.subarray(0, 32));
    seed.fill(0);
    if (claimed === undefined || bytesEqual(pub, claimed)) return { type: 'ed25519', publicKey: pub, address: encodeAddress(pub), source };
  }
  if (tried.length > 0) throw mismatch(file, tried, claimed);
  return undefined;
}

/**
 * The key of a keyfile, WALLET.md §5: secretPhrase, then secretSeed, then
 * privateKey, each accepted only if it matches the file's public key and
 * address; public-only files give a `public` key. A secret that matches
 * nothing is an error naming the file and the fields.
 */
export async function keyFromKeyfile(data: KeyfileData, file: string): Promise<KeyfileKey> {
  const claimed = claimedPublicKey(data, file);
  const key = data.cryptoType === 0 ? ed25519Key(data, file, claimed) : await sr25519Key(data, file, claimed);
  if (key) return key;
  if (claimed) return { type: 'public', publicKey: claimed, address: encodeAddress(claimed), cryptoType: data.cryptoType === 0 ? 0 : 1 };
  throw new WalletError('ERR_KEYFILE_INVALID', `keyfile ${file} holds no key (no secretPhrase, secretSeed, privateKey, publicKey or ss58Address)`);
}

/**
 * The sr25519 pair of a keyfile, or undefined for a public-only file.
 * An ed25519 key is refused: axons verify sr25519 hotkeys only.
 */
export async function pairFromKeyfile(data: KeyfileData, file: string): Promise<Sr25519Pair | undefined> {
  const key = await keyFromKeyfile(data, file);
  if (key.type === 'ed25519') throw ed25519NotAHotkey(file);
  return key.type === 'sr25519' ? key.pair : undefined;
}

export function ed25519NotAHotkey(file: string): WalletError {
  return new WalletError(
    'ERR_KEYFILE_CRYPTO_TYPE',
    `keyfile ${file} holds an ed25519 key (cryptoType 0); axons verify sr25519 hotkeys only, so use an sr25519 hotkey`,
  );
}
