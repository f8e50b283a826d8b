/**
 * Streaming routes of our axon, for tests and for subnet developers who want
 * to see how their client handles a stream: steady chunks, a stall, UTF-8
 * split mid-character, a stream that never ends, and a failure before
 * streaming starts.
 */
import { pyStr } from '../synapse/pyrepr.js';
import {
  STREAM_COUNT_SCHEMA,
  STREAM_FAIL_SCHEMA,
  STREAM_FOREVER_SCHEMA,
  STREAM_STALL_SCHEMA,
  STREAM_UTF8_SCHEMA,
} from '../synapse/stream-schemas.js';
import type { Synapse } from '../synapse/synapse.js';
import type { AxonRoute } from './routes.js';

const intField = (s: Synapse, name: string): number => Number(s.fields.get(name) ?? 0);

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new Error('aborted'));
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(t);
      reject(new Error('aborted'));
    }, { once: true });
  });

/** The text StreamUtf8 sends (its chunks cut through characters). */
export const UTF8_SAMPLE = 'héllo wörld — 日本語テキスト 😀🚀 ñandú\n';

export const streamRoutes: readonly AxonRoute[] = [
  {
    schema: STREAM_COUNT_SCHEMA,
    async stream(s, send, signal) {
      const n = intField(s, 'n');
      for (let i = 0; i < n; i++) {
        if (i > 0) await sleep(intField(s, 'delay_ms'), signal);
        await send(`data${i}\n`);
      }
    },
  },
  {
    schema: STREAM_UTF8_SCHEMA,
    async stream(s, send, signal) {
      const bytes = Buffer.from(UTF8_SAMPLE, 'utf8');
      // Pieces of 1, 2, 3, 1, 2, 3… bytes: most cut a character in two.
      for (let i = 0, k = 0; i < bytes.length; k++) {
        const len = (k % 3) + 1;
        await send(bytes.subarray(i, i + len));
        i += len;
        await sleep(intField(s, 'delay_ms'), signal);
      }
    },
  },
  {
    schema: STREAM_STALL_SCHEMA,
    async stream(s, send, signal) {
      await send('first\n');
      await sleep(intField(s, 'stall_ms'), signal);
      await send('after the stall\n');
    },
  },
  {
    schema: STREAM_FOREVER_SCHEMA,
    async stream(s, send, signal) {
      for (let i = 0; ; i++) {
        await send(`tick ${i}\n`);
        await sleep(intField(s, 'delay_ms'), signal);
      }
    },
  },
  {
    schema: STREAM_FAIL_SCHEMA,
    blacklist: () => 'StreamFail always fails before streaming',
    async stream() {},
  },
];

/** A default stream for a user's streaming schema: each field as a line, 50 ms apart. */
export function echoStream(): NonNullable<AxonRoute['stream']> {
  return async (s, send, signal) => {
    for (const [k, v] of s.fields) {
      await send(`${k}: ${pyStr(v)}\n`);
      await sleep(50, signal);
    }
  };
}
