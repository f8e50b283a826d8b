/** SS58 addresses (Substrate's base58 format with a blake2b checksum). */
import { createHash } from 'node:crypto';
import { base58 } from '@scure/base';
import { bytesEqual, concatBytes, utf8 } from './bytes.js';

/** Bittensor's SS58 prefix ("substrate", addresses start with 5). */
export const SS58_FORMAT = 42;
const PREFIX = utf8('SS58PRE');

function checksum(data: Uint8Array): Uint8Array {
  return createHash('blake2b512').update(PREFIX).update(data).digest().subarray(0, 2);
}

function prefixBytes(format: number): Uint8Array {
  if (format < 64) return Uint8Array.of(format);
  // Two-byte prefix form of the SS58 spec.
  return Uint8Array.of(((format & 0xfc) >> 2) | 0x40, (format >> 8) | ((format & 0x03) << 6));
}

export function encodeAddress(publicKey: Uint8Array, format = SS58_FORMAT): string {
  if (publicKey.length !== 32) throw new TypeError('a public key has 32 bytes');
  const body = concatBytes(prefixBytes(format), publicKey);
  return base58.encode(concatBytes(body, checksum(body)));
}

/** Decodes an SS58 address of any prefix to its 32-byte public key; throws on a bad checksum or length. */
export function decodeAddress(address: string): { publicKey: Uint8Array; format: number } {
  let raw: Uint8Array;
  try {
    raw = base58.decode(address);
  } catch {
    throw new TypeError(`Invalid SS58 address: ${address}`);
  }
  const prefixLen = raw.length > 0 && (raw[0]! & 0x40) !== 0 ? 2 : 1;
  if (raw.length !== prefixLen + 32 + 2) throw new TypeError(`Invalid SS58 address: ${address}`);
  const body = raw.subarray(0, prefixLen + 32);
  if (!bytesEqual(checksum(body), raw.subarray(prefixLen + 32))) {
    throw new TypeError(`Invalid SS58 address: ${address}`);
  }
  const format =
    prefixLen === 1 ? raw[0]! : (((raw[0]! & 0x3f) << 2) | (raw[1]! >> 6) | ((raw[1]! & 0x3f) << 8));
  return { publicKey: Uint8Array.from(body.subarray(prefixLen)), format };
}

export function isValidAddress(address: string): boolean {
  try {
    decodeAddress(address);
    return true;
  } catch {
    return false;
  }
}
