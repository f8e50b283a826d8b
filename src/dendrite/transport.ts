/**
 * HTTP for the dendrite: one undici Agent (a pool per axon origin) shared by
 * every request of a Dendrite. Each request's timeout starts when it is sent
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
  readonly agent: Agent;
  readonly maxResponseBytes: number;

  constructor(opts: TransportOptions = {}) {
    const keepAlive = opts.keepAliveTimeout ?? DEFAULT_KEEPALIVE_MS;
    this.maxResponseBytes = opts.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    this.agent = new Agent({
      keepAliveTimeout: keepAlive,
      keepAliveMaxTimeout: keepAlive,
      // Our own per-request timer governs; undici's own timers stay out of the way.
      headersTimeout: 0,
      bodyTimeout: 0,
      connect: { timeout: 24 * 3600 * 1000 },
      maxResponseSize: -1,
    });
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
          finish(undefined, { status, headers: resHeaders!, body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size) });
        },
        onResponseError(_c: unknown, err: Error): void {
          if (settled) return;
          // A connection lost after the headers is aiohttp's ClientPayloadError (a 400 in Python).
          if (resHeaders && isConnectionLoss(err)) finish(new IncompleteBodyError(isChunked(resHeaders), { cause: err }));
          else finish(err);
        },
      };
      const opts = { origin, path, method: 'POST' as const, headers, body };
      try {
        if (marks) track(marks, () => this.agent.dispatch(opts, handler));
        else this.agent.dispatch(opts, handler);
      } catch (e) {
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
    const res = await (marks ? track(marks, () => this.agent.request(opts)) : this.agent.request(opts));
    if (marks) marks.firstByte = performance.now();
    res.body.on('error', noop);
    return { status: res.statusCode, headers: res.headers, body: res.body };
  }

  async close(): Promise<void> {
    await this.agent.destroy();
  }
}
