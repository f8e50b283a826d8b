/**
 * Key derivation: BIP39 phrases the substrate way (WALLET.md §4) and secret
 * URIs such as `//Alice` or `<phrase>//hard/soft` (sp-core semantics).
 */
import { pbkdf2Sync } from 'node:crypto';
import { mnemonicToEntropy } from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import { concatBytes, utf8 } from './bytes.js';
import { loadSr25519, Sr25519Pair } from './sr25519.js';

/** The Substrate development phrase that `//Alice`, `//Bob`, ... derive from. */
export const DEV_PHRASE = 'bottom drive obey lake curtain smoke basket hold race lonely fit walk';

/** Trims and collapses whitespace, as the Rust bip39 parser tolerates it. */
export function normalisePhrase(phrase: string): string {
  return phrase.trim().split(/\s+/).join(' ').toLowerCase();
}

/**
 * substrate-bip39: PBKDF2-SHA512 over the phrase's *entropy* (not the phrase),
 * salt "mnemonic" + password, 2048 rounds; the first 32 bytes are the mini-secret.
 * Throws TypeError for an invalid phrase (unknown word or bad checksum).
 */
export function miniSecretFromPhrase(phrase: string, password = ''): Uint8Array {
  let entropy: Uint8Array;
  try {
    entropy = mnemonicToEntropy(normalisePhrase(phrase), wordlist);
  } catch {
    throw new TypeError('invalid BIP39 phrase');
  }
  const seed = pbkdf2Sync(entropy, `mnemonic${password}`, 2048, 64, 'sha512');
  return Uint8Array.from(seed.subarray(0, 32));
}

export async function pairFromPhrase(phrase: string): Promise<Sr25519Pair> {
  return Sr25519Pair.fromMiniSecret(miniSecretFromPhrase(phrase));
}

/** SCALE compact length prefix (enough for junction names). */
function compactLength(n: number): Uint8Array {
  if (n < 64) return Uint8Array.of(n << 2);
  if (n < 16384) return Uint8Array.of(((n << 2) | 1) & 0xff, n >> 6);
  return Uint8Array.of(((n << 2) | 2) & 0xff, (n >> 6) & 0xff, (n >> 14) & 0xff, (n >> 22) & 0xff);
}

/** sp-core DeriveJunction: a u64 if the code is numeric, else the SCALE-encoded string; >32 bytes are blake2b-256 hashed. */
async function chainCode(code: string): Promise<Uint8Array> {
  let encoded: Uint8Array;
  if (/^\d+$/.test(code) && BigInt(code) < 2n ** 64n) {
    encoded = new Uint8Array(8);
    new DataView(encoded.buffer).setBigUint64(0, BigInt(code), true);
  } else {
    const bytes = utf8(code);
    encoded = concatBytes(compactLength(bytes.length), bytes);
  }
  if (encoded.length > 32) {
    const wasm = await loadSr25519();
    return wasm.blake2b(encoded, new Uint8Array(0), 32);
  }
  const out = new Uint8Array(32);
  out.set(encoded);
  return out;
}

/**
 * A secret URI: `[phrase][//hard|/soft]*`. An empty phrase means the dev
 * phrase, so `//Alice` is Alice. `///password` is not supported.
 */
export async function pairFromUri(uri: string): Promise<Sr25519Pair> {
  const m = /^([^/]*)((?:\/\/?[^/]+)*)$/.exec(uri.trim());
  if (!m || uri.includes('///')) throw new TypeError('invalid secret URI: expected [phrase]//hard/soft, e.g. //Alice');
  const phrase = m[1]!.trim() === '' ? DEV_PHRASE : m[1]!;
  let pair = await pairFromPhrase(phrase);
  for (const j of m[2]!.matchAll(/\/(\/?)([^/]+)/g)) {
    const cc = await chainCode(j[2]!);
    pair = j[1] === '/' ? pair.deriveHard(cc) : pair.deriveSoft(cc);
  }
  return pair;
}
