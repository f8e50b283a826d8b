/**
 * Streaming calls (PROTOCOL.md §9): the axon answers 200 `text/event-stream`
 * with raw chunks; we yield each chunk as it arrives and finish with the
 * merged result, also when the request fails. Unlike Python, a JSON error
 * reply before streaming comes back as that error, never as chunks.
 */
import type { PhaseMarks, RequestTiming } from './timing.js';
import type { Synapse } from '../synapse/synapse.js';
import type { PyValue } from '../synapse/pyvalue.js';
import type { AxonTarget } from '../targets/types.js';
import { createChunker, type SplitMode } from './chunking.js';
import type { CallResult } from './dendrite.js';
import { nextNonce } from './nonce.js';
import { decodeJsonReply, mimeType } from './reply.js';
import { prepareRequest, type RequestIdentity } from './request.js';
import {
  cancelledFailure,
  idleFailure,
  isConnectionLoss,
  parseFailure,
  payloadFailure,
  timeoutFailure,
  transportFailure,
  type Failure,
  type FailureContext,
} from './status.js';
import { isChunked, type Transport } from './transport.js';

export interface StreamOptions {
  /** Seconds for the whole stream, from sending (Python's single timeout). Default: the Dendrite's. */
  timeout?: number;
  /** Longest silence allowed between chunks (and before the first), seconds. Default: none. */
  idleTimeout?: number;
  /** How to cut chunks: as they arrived ("raw", default), by line, or by SSE `data:` event. */
  split?: SplitMode;
  /** Stops the stream (Ctrl-C); the result then has reason "cancelled". */
  signal?: AbortSignal;
}

export interface StreamChunk {
  type: 'chunk';
  /** 0, 1, 2, … per axon. */
  seq: number;
  data: string;
  /** Milliseconds since the request was sent. */
  atMs: number;
}

export interface StreamResult extends CallResult {
  chunks: number;
  bytes: number;
  /** Milliseconds from sending to the first chunk, or null. */
  firstChunkMs: number | null;
}

export interface StreamDone {
  type: 'done';
  result: StreamResult;
}

export type StreamEvent = StreamChunk | StreamDone;

export interface StreamContext {
  http: Transport;
  id: RequestIdentity;
  defaultTimeout: number;
  /** Headers and phase timings of the request, when asked for (`-v`). */
  onTiming?: ((timing: RequestTiming) => void) | undefined;
}

const EVENT_STREAM = 'text/event-stream';

export async function* streamCall(c: StreamContext, target: AxonTarget, synapse: Synapse, opts: StreamOptions = {}): AsyncGenerator<StreamEvent, void, undefined> {
  const timeout = opts.timeout ?? c.defaultTimeout;
  const idleMs = opts.idleTimeout !== undefined && opts.idleTimeout > 0 ? opts.idleTimeout * 1000 : 0;
  const local = synapse.clone();
  const req = prepareRequest(local, target, c.id, nextNonce(), timeout);
  const ctx: FailureContext = { ip: target.ip, port: target.port, name: local.name, timeout, url: req.url };
  const ac = new AbortController();
  let why: 'timeout' | 'idle' | 'cancel' | undefined;
  const stop = (reason: 'timeout' | 'idle' | 'cancel'): void => {
    why ??= reason;
    ac.abort();
  };
  const totalTimer = setTimeout(() => stop('timeout'), timeout * 1000);
  let idleTimer: NodeJS.Timeout | undefined;
  const armIdle = (): void => {
    if (!idleMs) return;
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => stop('idle'), idleMs);
  };
  const onCancel = (): void => stop('cancel');
  if (opts.signal?.aborted) onCancel();
  opts.signal?.addEventListener('abort', onCancel, { once: true });

  const start = performance.now();
  const marks: PhaseMarks | undefined = c.onTiming ? { sent: start } : undefined;
  const cap = c.http.maxResponseBytes;
  let failure: Failure | undefined;
  let httpStatus: number | undefined;
  let chunks = 0;
  let bytes = 0;
  let firstChunkMs: number | null = null;
  let text = '';
  let finished = false;
  let chunkedBody: boolean | undefined;
  try {
    armIdle();
    const res = await c.http.open(req.origin, req.path, req.headers, req.body, ac.signal, marks);
    httpStatus = res.status;
    chunkedBody = isChunked(res.headers);
    if (mimeType(res.headers) !== EVENT_STREAM) {
      // Not a stream: an error before streaming (JSON), or an axon that answered plainly. Read it like `call`.
      const parts: Buffer[] = [];
      for await (const b of res.body) {
        bytes += b.length;
        if (bytes > cap) {
          res.body.destroy();
          throw Object.assign(new Error(`response body exceeds the ${cap}-byte limit`), { tooLarge: true });
        }
        parts.push(b);
      }
      const decoded = decodeJsonReply({ status: res.status, headers: res.headers, body: Buffer.concat(parts) }, req.url);
      if ('failure' in decoded) failure = decoded.failure;
      else {
        try {
          local.mergeResponse(res.status, decoded.json, res.headers);
        } catch (e) {
          failure = parseFailure((e as Error).message, 'bad_response');
        }
      }
    } else {
      const chunker = createChunker(opts.split ?? 'raw');
      const emit = function* (pieces: string[]): Generator<StreamChunk> {
        for (const data of pieces) {
          const atMs = performance.now() - start;
          firstChunkMs ??= atMs;
          text += data;
          yield { type: 'chunk', seq: chunks++, data, atMs };
        }
      };
      for await (const b of res.body) {
        bytes += b.length;
        if (bytes > cap) {
          res.body.destroy();
          failure = parseFailure(`stream exceeds the ${cap}-byte limit`, 'too_large');
          break;
        }
        armIdle();
        yield* emit(chunker.push(b));
      }
      if (!failure) {
        yield* emit(chunker.end());
        // extract_response_json: the local synapse, its output filled with the text, statuses from headers.
        const body = local.dump();
        const out = local.schema.fields.find((f) => f.name === local.schema.output);
        if (out && (out.type.kind === 'str' || (out.type.kind === 'optional' && out.type.inner.kind === 'str'))) body.set(out.name, text as PyValue);
        local.mergeResponse(200, body, res.headers);
        if (local.dendrite.status_code === null) {
          local.axon.status_code = local.dendrite.status_code = 200;
          local.axon.status_message = local.dendrite.status_message = 'Success';
        }
      }
    }
    finished = true;
  } catch (err) {
    finished = true;
    failure =
      why === 'timeout'
        ? timeoutFailure(ctx)
        : why === 'idle'
          ? idleFailure(opts.idleTimeout!)
          : why === 'cancel'
            ? cancelledFailure()
            : (err as { tooLarge?: boolean }).tooLarge
              ? parseFailure((err as Error).message, 'too_large')
              : chunkedBody !== undefined && isConnectionLoss(err)
                ? payloadFailure(err, chunkedBody) // lost after the headers: aiohttp's ClientPayloadError
                : transportFailure(err, ctx);
  } finally {
    clearTimeout(totalTimer);
    clearTimeout(idleTimer);
    opts.signal?.removeEventListener('abort', onCancel);
    // The consumer stopped early (break/return): close the connection.
    if (!finished) ac.abort();
  }
  const latencyMs = performance.now() - start;
  if (failure) {
    local.dendrite.status_code = failure.statusCode;
    local.dendrite.status_message = failure.statusMessage;
  } else {
    local.dendrite.process_time = latencyMs / 1000;
  }
  if (marks && c.onTiming) {
    const since = (t: number | undefined): number | undefined => (t === undefined ? undefined : t - marks.sent);
    c.onTiming({
      target,
      url: req.url,
      headers: req.headers,
      attempt: 1,
      statusCode: local.dendrite.status_code,
      reason: failure ? failure.reason : httpStatus === 200 ? 'ok' : 'http_error',
      connectMs: since(marks.headersSent),
      firstByteMs: since(marks.firstByte),
      totalMs: latencyMs,
    });
  }
  yield {
    type: 'done',
    result: {
      target,
      synapse: local,
      statusCode: local.dendrite.status_code,
      statusMessage: local.dendrite.status_message,
      reason: failure ? failure.reason : httpStatus === 200 ? 'ok' : 'http_error',
      latencyMs,
      processTime: local.axon.process_time,
      httpStatus,
      chunks,
      bytes,
      firstChunkMs,
    },
  };
}
