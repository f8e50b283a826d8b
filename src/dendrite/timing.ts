/**
 * Per-phase timings of one request, for `-v` and library users who pass
 * `onTiming`: nothing is measured (and no diagnostics channel is subscribed)
 * unless asked for. Phases, all from `performance.now()`:
 *   queue       waiting for a concurrency slot in `forward`
 *   connect     from sending until the request headers were written to a socket
 *               (socket from the pool or a new TCP connect; ~0 on a kept-alive socket)
 *   first byte  from sending until the reply's status line and headers arrived
 *   total       from sending until the whole reply was read (or the failure)
 */
import diagnosticsChannel from 'node:diagnostics_channel';
import type { AxonTarget } from '../targets/types.js';

/** Marks filled in by the transport (ms, `performance.now()`). */
export interface PhaseMarks {
  sent: number;
  headersSent?: number;
  firstByte?: number;
  end?: number;
}

export interface RequestTiming {
  target: AxonTarget;
  /** The request's URL. */
  url: string;
  /** The headers sent (the signature is public; no secret is ever in a header). */
  headers: Record<string, string>;
  /** 1, or more with retries. */
  attempt: number;
  statusCode: number | null;
  reason: string;
  /** ms; undefined when not measured (e.g. a direct `call`). */
  queueMs?: number | undefined;
  /** ms; undefined when the request never reached a socket. */
  connectMs?: number | undefined;
  /** ms; undefined when no reply arrived. */
  firstByteMs?: number | undefined;
  totalMs: number;
}

let subscribed = false;
let pending: PhaseMarks | undefined;
const byRequest = new WeakMap<object, PhaseMarks>();

/** Subscribes (once per process) to undici's request channels. */
function subscribe(): void {
  if (subscribed) return;
  subscribed = true;
  diagnosticsChannel.subscribe('undici:request:create', (m) => {
    // Published synchronously inside `agent.request()`, right after `track` set `pending`.
    if (pending) byRequest.set((m as { request: object }).request, pending);
    pending = undefined;
  });
  diagnosticsChannel.subscribe('undici:client:sendHeaders', (m) => {
    const marks = byRequest.get((m as { request: object }).request);
    if (marks && marks.headersSent === undefined) marks.headersSent = performance.now();
  });
}

/** Runs `start` (which must call `agent.request` synchronously) with `marks` attached to the undici request it creates. */
export function track<T>(marks: PhaseMarks, start: () => T): T {
  subscribe();
  pending = marks;
  try {
    return start();
  } finally {
    pending = undefined;
  }
}
