/**
 * One slow key derivation at a time in this process. Argon2i takes seconds
 * and about 0.6 GB; two at once would double both for no gain, since every
 * keyfile is unlocked before any request is sent.
 */
let tail: Promise<unknown> = Promise.resolve();

export function serializeKdf<T>(fn: () => Promise<T>): Promise<T> {
  const run = tail.then(fn, fn);
  tail = run.catch(() => undefined);
  return run;
}
