/**
 * Request nonces: epoch nanoseconds as bigint (beyond 2^53), strictly
 * increasing for the whole process even when many requests are signed in the
 * same microsecond (project choice 5). Wall clock at start plus the monotonic
 * clock since, clamped to last + 1.
 */
const wallAtStart = BigInt(Date.now()) * 1_000_000n;
const monoAtStart = process.hrtime.bigint();
let last = 0n;

export function nextNonce(): bigint {
  let n = wallAtStart + (process.hrtime.bigint() - monoAtStart);
  if (n <= last) n = last + 1n;
  last = n;
  return n;
}

/** Current wall-clock time in epoch nanoseconds (Python `time.time_ns()`), not clamped. */
export function wallClockNs(): bigint {
  return wallAtStart + (process.hrtime.bigint() - monoAtStart);
}
