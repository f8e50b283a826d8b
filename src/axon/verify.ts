/**
 * The Python axon's `default_verify` (PROTOCOL.md §4, §5): nonce rules, then
 * the signature over `{nonce}.{dendrite}.{OWN hotkey}.{uuid}.{body hash}`.
 * Returns the inner error text, or undefined when the request is verified.
 */
import { hexToBytes, stripHexPrefixes, utf8 } from '../crypto/bytes.js';
import { decodeAddress } from '../crypto/ss58.js';
import { verifyWith, type loadSr25519 } from '../crypto/sr25519.js';
import type { Synapse } from '../synapse/synapse.js';

/** 4 s in ns: the freshness window before the request's own timeout is added. */
export const ALLOWED_DELTA_NS = 4_000_000_000n;
/** Version from which the freshness window applies (7.2.0). */
export const V_7_2_0 = 7002000;

export type Wasm = Awaited<ReturnType<typeof loadSr25519>>;

export interface VerifyInput {
  synapse: Synapse;
  /** The `computed_body_hash` header as received. */
  bodyHashHeader: string | undefined;
  ownHotkey: string;
  nonces: Map<string, bigint>;
  now: bigint;
  wasm: Wasm;
  /** Project choice: reject unsigned requests (axons <= 9.2 and after bittensor#3393 do). */
  requireSignature: boolean;
}

export function verifyRequest(v: VerifyInput): string | undefined {
  const d = v.synapse.dendrite;
  if (!d.hotkey) return 'No SS58 formatted address or public key provided.';
  let publicKey: Uint8Array;
  try {
    publicKey = decodeAddress(d.hotkey).publicKey;
  } catch {
    return `Invalid SS58 address: ${d.hotkey}`;
  }
  if (d.nonce === null) return 'Missing Nonce';
  const uuid = d.uuid ?? 'None';
  const key = `${d.hotkey}:${uuid}`;
  const stored = v.nonces.get(key);
  if (d.version !== null && d.version >= V_7_2_0) {
    const timeout = v.synapse.timeout ?? 0;
    const windowNs = v.now - ALLOWED_DELTA_NS - BigInt(Math.round(timeout * 1e9));
    if (stored === undefined && d.nonce <= windowNs) {
      const allowed = (4e9 + timeout * 1e9) / 1e9;
      const diff = Number(v.now - d.nonce) / 1e9;
      return `Nonce is too old: acceptable delta is ${allowed.toFixed(2)} seconds but request was ${diff.toFixed(2)} seconds old`;
    }
    if (stored !== undefined && d.nonce <= stored) return 'Nonce is too old, a newer one was last processed';
  } else if (stored !== undefined && d.nonce <= stored) {
    return 'Nonce is too old, a newer one was last processed';
  }
  const message = `${d.nonce}.${d.hotkey}.${v.ownHotkey}.${uuid}.${v.bodyHashHeader ?? ''}`;
  if (d.signature) {
    if (!d.signature.startsWith('0x')) return 'Invalid signature format. Expected hex string.';
    let sig: Uint8Array;
    try {
      sig = hexToBytes(stripHexPrefixes(d.signature));
    } catch {
      return 'Invalid signature format. Expected hex string.';
    }
    if (sig.length !== 64) return 'Invalid signature';
    if (!verifyWith(v.wasm, utf8(message), sig, publicKey)) return `Signature mismatch with ${message} and ${d.signature}`;
  } else if (v.requireSignature) {
    return 'Missing Signature';
  }
  v.nonces.set(key, d.nonce);
  return undefined;
}
