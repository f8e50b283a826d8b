/**
 * HTTP for the dendrite: undici connections shared by every request of a
 * Dendrite (one per axon, more only while several requests to the same axon
 * are in flight). Each request's timeout starts when it is sent
 * (project choice 3), the reply size is capped (choice 4) and idle sockets
 * are dropped before uvicorn's 5 s keep-alive closes them (choice 6).
 */
import { Agent } from 'undici';
import { track, type PhaseMarks } from './timing.js';
import { isConnectionLoss } from './status.js';

export interface TransportOptions {
  /** Idle keep-alive time of a socket, ms. Default 4000 (uvicorn closes at 5 s). */
  keepAliveTimeout?: number;
  /** Largest reply body read, bytes. Default 8 MiB. */
  maxResponseBytes?: number;
}

export const DEFAULT_MAX_RESPONSE_BYTES = 8 * 1024 * 1024;
export const DEFAULT_KEEPALIVE_MS = 4000;

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface OpenResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: AsyncIterable<Buffer> & { destroy(err?: Error): unknown };
}

/** Thrown when the reply is larger than the cap; the socket is destroyed. */
export class ResponseTooLargeError extends Error {
  readonly code = 'ERR_RESPONSE_TOO_LARGE';
  constructor(readonly limit: number) {
    super(`response body exceeds the ${limit}-byte limit`);
  }
}

/**
 * The connection ended (closed or reset) after the headers but before the
 * whole body: aiohttp's ClientPayloadError, which Python reports as 400.
 */
export class IncompleteBodyError extends Error {
  readonly code = 'ERR_INCOMPLETE_BODY';
  constructor(
    readonly chunked: boolean,
    options: { cause: unknown },
  ) {
    super('response payload is not completed', options);
  }
}

/** True when the reply body is sent with chunked transfer-encoding. */
export function isChunked(headers: Record<string, string | string[] | undefined>): boolean {
  return /\bchunked\b/i.test(String(headers['transfer-encoding'] ?? ''));
}

/** Thrown when our own timer fires. */
export class RequestTimeoutError extends Error {
  readonly code = 'ERR_REQUEST_TIMEOUT';
}

const noop = (): void => {};

export class Transport {
  readonly maxResponseBytes: number;
  /**
   * One undici Client (one connection) per axon for the first request in
   * flight to it: undici's per-origin Pool carries a 2048-slot queue
   * (16 KiB) even when idle, 60 MB of a 4096-axon sweep's live heap.
   */
  readonly #single: Agent;
  /** Pools, for a second request in flight to the same axon (it gets its own connection at once) and for streams. */
  #pooled: Agent | undefined;
  readonly #agentOptions: ConstructorParameters<typeof Agent>[0];
  /** Requests in flight on `#single`, per origin. */
  readonly #inflight = new Map<string, number>();

  constructor(opts: TransportOptions = {}) {
    const keepAlive = opts.keepAliveTimeout ?? DEFAULT_KEEPALIVE_MS;
    this.maxResponseBytes = opts.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    this.#agentOptions = {
      keepAliveTimeout: keepAlive,
      keepAliveMaxTimeout: keepAlive,
      // Our own per-request timer governs; undici's own timers stay out of the way.
      headersTimeout: 0,
      bodyTimeout: 0,
      connect: { timeout: 24 * 3600 * 1000 },
      maxResponseSize: -1,
    };
    this.#single = new Agent({ ...this.#agentOptions, connections: 1 });
  }

  get #pool(): Agent {
    this.#pooled ??= new Agent(this.#agentOptions);
    return this.#pooled;
  }

  /**
   * The dispatcher for a POST to `origin`, and what to call when undici is
   * done with the request (its end or error, also after our own abort). A
   * request never waits behind another: the busy case goes to a pool.
   */
  #take(origin: string): { agent: Agent; release: () => void } {
    const busy = this.#inflight.get(origin) ?? 0;
    if (busy > 0) return { agent: this.#pool, release: noop };
    this.#inflight.set(origin, 1);
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      this.#inflight.delete(origin);
    };
    return { agent: this.#single, release };
  }

  /**
   * POSTs and reads the whole reply. `timeoutMs` counts from this call (the
   * moment of sending), covering connect, headers and body. `marks`, when
   * given, gets the phase times (timing.ts); nothing is measured otherwise.
   *
   * Built on undici's low-level `dispatch` (handler callbacks) rather than
   * `request()`: no body stream, async iterator or AbortController per
   * request. On a 256-axon sweep that is most of our per-request garbage.
   */
  post(origin: string, path: string, headers: Record<string, string>, body: string, timeoutMs: number, marks?: PhaseMarks): Promise<RawResponse> {
    return new Promise<RawResponse>((resolve, reject) => {
      const max = this.maxResponseBytes;
      let controller: { abort(reason: Error): void } | undefined;
      let pendingAbort: Error | undefined;
      let status = 0;
      let resHeaders: RawResponse['headers'] | undefined;
      let chunks: Buffer[] = [];
      let size = 0;
      let settled = false;
      const { agent, release } = this.#take(origin);
      const finish = (err: Error | undefined, res?: RawResponse): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (err) reject(err);
        else resolve(res!);
      };
      // Ends the request with our own error: the promise settles now, and
      // undici is told to drop the socket (at once, or when it hands us the
      // request's controller, if it is still waiting for a connection).
      const fail = (err: Error): void => {
        finish(err);
        chunks = [];
        if (controller) controller.abort(err);
        else pendingAbort = err;
      };
      const timer = setTimeout(() => fail(new RequestTimeoutError('timeout')), timeoutMs);
      const handler = {
        onRequestStart(c: { abort(reason: Error): void }): void {
          controller = c;
          if (pendingAbort) c.abort(pendingAbort);
        },
        onResponseStart(_c: unknown, statusCode: number, h: RawResponse['headers']): void {
          if (marks) marks.firstByte = performance.now();
          status = statusCode;
          resHeaders = h;
          const declared = Number(h['content-length']);
          if (Number.isFinite(declared) && declared > max) fail(new ResponseTooLargeError(max));
        },
        onResponseData(_c: unknown, chunk: Buffer): void {
          if (settled) return;
          size += chunk.length;
          if (size > max) fail(new ResponseTooLargeError(max));
          else chunks.push(chunk);
        },
        onResponseEnd(): void {
          release();
          finish(undefined, { status, headers: resHeaders!, body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size) });
        },
        onResponseError(_c: unknown, err: Error): void {
          // Also after our own abort: only now is the axon's connection free for the next request.
          release();
          if (settled) return;
          // A connection lost after the headers is aiohttp's ClientPayloadError (a 400 in Python).
          if (resHeaders && isConnectionLoss(err)) finish(new IncompleteBodyError(isChunked(resHeaders), { cause: err }));
          else finish(err);
        },
      };
      const opts = { origin, path, method: 'POST' as const, headers, body };
      try {
        if (marks) track(marks, () => agent.dispatch(opts, handler));
        else agent.dispatch(opts, handler);
      } catch (e) {
        release();
        finish(e as Error);
      }
    });
  }

  /**
   * POSTs and returns as soon as the headers arrive, with the body still
   * streaming. The caller owns `signal` (its timers) and must consume or
   * destroy the body.
   */
  async open(origin: string, path: string, headers: Record<string, string>, body: string, signal: AbortSignal, marks?: PhaseMarks): Promise<OpenResponse> {
    const opts = { origin, path, method: 'POST' as const, headers, body, signal };
    // Streams hold their connection for long: they always get one of their own.
    const agent = this.#pool;
    const res = await (marks ? track(marks, () => agent.request(opts)) : agent.request(opts));
    if (marks) marks.firstByte = performance.now();
    res.body.on('error', noop);
    return { status: res.statusCode, headers: res.headers, body: res.body };
  }

  async close(): Promise<void> {
    await Promise.all([this.#single.destroy(), this.#pooled?.destroy()]);
  }
}
