/**
 * `str(uuid.uuid1())`: time-based UUID version 1, made once per Dendrite.
 * The node id is random with the multicast bit set (RFC 4122 §4.5), as
 * Python does when it cannot read a MAC address; the axon does not parse it.
 */
import { randomBytes } from 'node:crypto';

// 100-ns intervals between 1582-10-15 and 1970-01-01.
const GREGORIAN_OFFSET = 0x01b21dd213814000n;
let lastTimestamp = 0n;

export function uuid1(): string {
  let ts = BigInt(Date.now()) * 10_000n + GREGORIAN_OFFSET;
  if (ts <= lastTimestamp) ts = lastTimestamp + 1n;
  lastTimestamp = ts;
  const timeLow = ts & 0xffffffffn;
  const timeMid = (ts >> 32n) & 0xffffn;
  const timeHi = ((ts >> 48n) & 0x0fffn) | 0x1000n;
  const rnd = randomBytes(8);
  const clockSeq = ((rnd[0]! << 8) | rnd[1]!) & 0x3fff | 0x8000;
  rnd[2] = rnd[2]! | 0x01;
  const node = rnd.subarray(2, 8).toString('hex');
  const hex = (v: bigint | number, w: number): string => v.toString(16).padStart(w, '0');
  return `${hex(timeLow, 8)}-${hex(timeMid, 4)}-${hex(timeHi, 4)}-${hex(clockSeq, 4)}-${node}`;
}
