/** The body hash (PROTOCOL.md §3): SHA3-256 over the concatenated SHA3-256 hex of each field's Python `str()`. */
import { createHash } from 'node:crypto';
import type { PyValue } from './pyvalue.js';
import { pyStr } from './pyrepr.js';

export function sha3Hex(text: string): string {
  return createHash('sha3-256').update(text, 'utf8').digest('hex');
}

/** sha3_256("") — the hash of a synapse with no required_hash_fields. */
export const EMPTY_BODY_HASH = 'a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a';

export function bodyHashOf(values: readonly PyValue[]): string {
  if (values.length === 0) return EMPTY_BODY_HASH;
  return sha3Hex(values.map((v) => sha3Hex(pyStr(v))).join(''));
}
