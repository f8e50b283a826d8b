/**
 * @polkadot/* logs through `console` (its `logger()` writes
 * `<date> <ORIGIN>: <message>`): refused calls, dropped sockets, init
 * fallbacks. We turn each of those into a typed error or a fallback
 * ourselves, so during a chain read those lines are diverted to a callback
 * instead of the user's stderr. Only lines in polkadot's shape are touched.
 */

const POLKADOT_ORIGIN = /^\s*[A-Z][A-Z0-9/_-]*:$/;
const METHODS = ['log', 'warn', 'error'] as const;

let depth = 0;
let saved: Pick<Console, (typeof METHODS)[number]> | undefined;
const sinks = new Set<(line: string) => void>();

export async function withQuietPolkadot<T>(fn: () => Promise<T>, sink?: (line: string) => void): Promise<T> {
  if (depth++ === 0) {
    saved = { log: console.log, warn: console.warn, error: console.error };
    for (const m of METHODS) {
      const original = saved[m];
      console[m] = (...args: unknown[]) => {
        if (args.length >= 2 && typeof args[1] === 'string' && POLKADOT_ORIGIN.test(args[1])) {
          const line = args.slice(1).map((a) => (a instanceof Error ? a.message : String(a))).join(' ').trim();
          for (const s of sinks) s(line);
          return;
        }
        original.apply(console, args);
      };
    }
  }
  if (sink) sinks.add(sink);
  try {
    return await fn();
  } finally {
    if (sink) sinks.delete(sink);
    if (--depth === 0 && saved) {
      Object.assign(console, saved);
      saved = undefined;
    }
  }
}
