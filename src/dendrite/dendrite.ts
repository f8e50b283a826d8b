/**
 * The Dendrite: signs synapses with a hotkey, sends them to axons and merges
 * the replies, as `bittensor.dendrite` does (PROTOCOL.md), with the project
 * choices listed there (bounded concurrency, timeout from send, size cap,
 * no history, no external IP lookup).
 */
import { availableParallelism } from 'node:os';
import { bytesToHex, utf8 } from '../crypto/bytes.js';
import type { ParallelSigner, Signer } from '../crypto/sr25519.js';
import type { Synapse } from '../synapse/synapse.js';
import type { AxonTarget } from '../targets/types.js';
import { nextNonce } from './nonce.js';
import type { PreparedRequest, RequestIdentity } from './request.js';
import { RequestTemplate } from './request-template.js';
import { parseFailure, payloadFailure, timeoutFailure, transportFailure, type Failure, type FailureContext, type Reason } from './status.js';
import { decodeJsonReply } from './reply.js';
import { streamCall, type StreamEvent, type StreamOptions } from './stream.js';
import { IncompleteBodyError, RequestTimeoutError, ResponseTooLargeError, Transport, type RawResponse } from './transport.js';
import { uuid1 } from './uuid.js';
import type { PhaseMarks, RequestTiming } from './timing.js';
import { DEFAULT_VERSION_AS_INT } from './version.js';

export interface DendriteOptions {
  /** The hotkey that signs every request. */
  signer: Signer;
  /** `dendrite.ip` sent in headers and body. Default "0.0.0.0" (the axon replaces it with the TCP peer). */
  ip?: string;
  /** Your own public IP, if you want axons at that IP reached on 127.0.0.1 (Python's rule). Default: none. */
  externalIp?: string;
  /** `version_as_int` sent. Default 10002000 (bittensor 10.2.0). */
  version?: number;
  /** Default request timeout, seconds. Default 12. */
  timeout?: number;
  /** Largest reply body, bytes. Default 8 MiB. */
  maxResponseBytes?: number;
  /** Requests in flight at once in `forward`. Default 256. */
  concurrency?: number;
  /** Idle keep-alive, ms. Default 4000. */
  keepAliveTimeout?: number;
  /** The instance uuid. Default: a fresh uuid1. */
  uuid?: string;
  /** Extra attempts after a timeout or connection error (never after a reply). Default 0. */
  retries?: number;
  /** Called after each request (each attempt) with its headers and phase timings (`-v`). Default: nothing measured. */
  onTiming?: (timing: RequestTiming) => void;
  /**
   * Worker threads that share the signing of a `forward` to at least
   * `PARALLEL_SIGNING_MIN` (64) axons, when the signer supports it (a hotkey
   * does). Default: one per spare core, at most 2 (0 on a single core).
   * Started on the first such forward, stopped by `close()`.
   */
  signingThreads?: number;
}

/** Smallest forward whose signatures are shared with worker threads. */
export const PARALLEL_SIGNING_MIN = 64;

export type { RequestTiming } from './timing.js';

/** Where `forward` passes a call's time in its queue (internal). */
const QUEUE_MS = Symbol('queueMs');
/** Where `forward` passes the request template it built once for all axons (internal). */
const TEMPLATE = Symbol('template');
/** Where `forward` passes the threaded signer for a large sweep (internal). */
const PARALLEL = Symbol('parallel');

export interface CallOptions {
  /** Seconds. Default: the Dendrite's timeout. */
  timeout?: number;
  /** Extra attempts after a timeout or connection error. Default: the Dendrite's retries (0). */
  retries?: number;
}

/**
 * Failures worth another attempt: nothing reached the axon's handler or
 * nothing came back. A reply of any kind (even a broken one) is never retried,
 * because the axon may have acted on the request.
 */
export const RETRYABLE: ReadonlySet<Reason> = new Set<Reason>(['timeout', 'refused', 'unreachable', 'reset', 'disconnected']);

export interface ForwardOptions extends CallOptions {
  /** Requests in flight at once. Default: the Dendrite's concurrency. */
  concurrency?: number;
  /** One after another, like Python's `run_async=False`. Default false. */
  sequential?: boolean;
  /** Called as each result arrives (for progress). */
  onResult?: (result: CallResult, index: number) => void;
  /** Streaming mode (as Python's `streaming=True`): returns one event iterator per axon instead. */
  streaming?: boolean;
}

/** One axon's answer. Axon failures are data here, never exceptions. */
export interface CallResult {
  target: AxonTarget;
  /** The merged synapse: the server's fields on 200, statuses always. */
  synapse: Synapse;
  /** `dendrite.status_code`: 200 on success, else the axon's or the §8 code. */
  statusCode: number | null;
  statusMessage: string | null;
  reason: Reason;
  /** Wall time from sending to the end of the reply, ms. */
  latencyMs: number;
  /** The axon's own `process_time`, seconds. */
  processTime: number | null;
  /** HTTP status when a reply arrived. */
  httpStatus?: number | undefined;
  /** Requests sent for this result: 1, or more with retries. */
  attempts?: number;
}

/** What `#callOnce` tells `#attempt` about the request it sent (for `onTiming`). */
interface Probe {
  url?: string;
  headers?: Record<string, string>;
  marks?: PhaseMarks;
}

export const DEFAULT_TIMEOUT = 12;
export const DEFAULT_CONCURRENCY = 256;

export class Dendrite {
  readonly uuid: string;
  readonly signer: Signer;
  readonly timeout: number;
  readonly concurrency: number;
  readonly retries: number;
  readonly #id: RequestIdentity;
  readonly #onTiming: ((timing: RequestTiming) => void) | undefined;
  readonly #signingThreads: number;
  #parallel: Promise<ParallelSigner | undefined> | undefined;
  #transport: Transport | undefined;
  readonly #transportOptions: { maxResponseBytes?: number; keepAliveTimeout?: number };

  constructor(opts: DendriteOptions) {
    this.signer = opts.signer;
    this.uuid = opts.uuid ?? uuid1();
    this.timeout = opts.timeout ?? DEFAULT_TIMEOUT;
    this.concurrency = Math.max(1, opts.concurrency ?? DEFAULT_CONCURRENCY);
    this.retries = Math.max(0, Math.floor(opts.retries ?? 0));
    this.#onTiming = opts.onTiming;
    this.#signingThreads = Math.max(0, Math.floor(opts.signingThreads ?? Math.min(2, availableParallelism() - 1)));
    this.#id = {
      signer: opts.signer,
      uuid: this.uuid,
      ip: opts.ip ?? '0.0.0.0',
      version: opts.version ?? DEFAULT_VERSION_AS_INT,
      externalIp: opts.externalIp,
    };
    this.#transportOptions = {};
    if (opts.maxResponseBytes !== undefined) this.#transportOptions.maxResponseBytes = opts.maxResponseBytes;
    if (opts.keepAliveTimeout !== undefined) this.#transportOptions.keepAliveTimeout = opts.keepAliveTimeout;
  }

  /** The dendrite's hotkey address. */
  get hotkey(): string {
    return this.signer.address;
  }

  get #http(): Transport {
    this.#transport ??= new Transport(this.#transportOptions);
    return this.#transport;
  }

  /**
   * Sends `synapse` (a copy; yours is not changed) to one axon and returns
   * the merged result. Never throws for axon or network failures. With
   * `retries`, a timeout or connection error is tried again, each attempt a
   * fresh request (new nonce, new signature, its own timeout).
   */
  async call(target: AxonTarget, synapse: Synapse, opts: CallOptions = {}): Promise<CallResult> {
    const retries = Math.max(0, Math.floor(opts.retries ?? this.retries));
    let attempts = 1;
    let r = await this.#attempt(target, synapse, opts, attempts);
    // A 400 payload error means the reply had started: the axon acted, so no retry.
    while (attempts <= retries && RETRYABLE.has(r.reason) && r.statusCode !== 400) {
      attempts++;
      r = await this.#attempt(target, synapse, opts, attempts);
    }
    if (attempts > 1) r.attempts = attempts;
    return r;
  }

  /** One attempt, reported to `onTiming` when set. */
  async #attempt(target: AxonTarget, synapse: Synapse, opts: CallOptions, attempt: number): Promise<CallResult> {
    const onTiming = this.#onTiming;
    if (!onTiming) return this.#callOnce(target, synapse, opts);
    const probe: Probe = {};
    const r = await this.#callOnce(target, synapse, opts, probe);
    const m = probe.marks;
    if (m && probe.url !== undefined && probe.headers) {
      const since = (t: number | undefined): number | undefined => (t === undefined ? undefined : t - m.sent);
      onTiming({
        target,
        url: probe.url,
        headers: probe.headers,
        attempt,
        statusCode: r.statusCode,
        reason: r.reason,
        queueMs: attempt === 1 ? (opts as { [QUEUE_MS]?: number })[QUEUE_MS] : 0,
        connectMs: since(m.headersSent),
        firstByteMs: since(m.firstByte),
        totalMs: r.latencyMs,
      });
    }
    return r;
  }

  async #callOnce(target: AxonTarget, synapse: Synapse, opts: CallOptions, probe?: Probe): Promise<CallResult> {
    const timeout = opts.timeout ?? this.timeout;
    const shared = (opts as { [TEMPLATE]?: RequestTemplate })[TEMPLATE];
    const template = shared?.timeout === timeout ? shared : new RequestTemplate(synapse, this.#id, timeout);
    const local = synapse.clone();
    const parallel = (opts as { [PARALLEL]?: ParallelSigner })[PARALLEL];
    let req: PreparedRequest;
    if (parallel && template.canSplice(target)) {
      const nonce = nextNonce();
      const sig = await parallel.sign(utf8(template.message(target.hotkey!, nonce)));
      req = template.finish(local, target, nonce, bytesToHex(sig));
    } else {
      req = template.prepare(local, target, nextNonce());
    }
    const ctx: FailureContext = { ip: target.ip, port: target.port, name: local.name, timeout, url: req.url };
    const start = performance.now();
    if (probe) Object.assign(probe, { url: req.url, headers: req.headers, marks: { sent: start } });
    let raw: RawResponse;
    try {
      raw = await this.#http.post(req.origin, req.path, req.headers, req.body, timeout * 1000, probe?.marks);
    } catch (err) {
      const f =
        err instanceof RequestTimeoutError
          ? timeoutFailure(ctx)
          : err instanceof ResponseTooLargeError
            ? parseFailure(err.message, 'too_large')
            : err instanceof IncompleteBodyError
              ? payloadFailure(err.cause, err.chunked)
              : transportFailure(err, ctx);
      return this.#failed(target, local, f, start);
    }
    const latencyMs = performance.now() - start;
    const decoded = decodeJsonReply(raw, req.url);
    if ('failure' in decoded) return this.#failed(target, local, decoded.failure, start, raw.status);
    try {
      local.mergeResponse(raw.status, decoded.json, raw.headers);
    } catch (e) {
      return this.#failed(target, local, parseFailure((e as Error).message, 'bad_response'), start, raw.status);
    }
    local.dendrite.process_time = latencyMs / 1000;
    return {
      target,
      synapse: local,
      statusCode: local.dendrite.status_code,
      statusMessage: local.dendrite.status_message,
      reason: raw.status === 200 ? 'ok' : 'http_error',
      latencyMs,
      processTime: local.axon.process_time,
      httpStatus: raw.status,
    };
  }

  #failed(target: AxonTarget, local: Synapse, f: Failure, start: number, httpStatus?: number): CallResult {
    // Python sets only the dendrite status; axon fields and process_time stay as they were.
    local.dendrite.status_code = f.statusCode;
    local.dendrite.status_message = f.statusMessage;
    return {
      target,
      synapse: local,
      statusCode: f.statusCode,
      statusMessage: f.statusMessage,
      reason: f.reason,
      latencyMs: performance.now() - start,
      processTime: local.axon.process_time,
      httpStatus,
    };
  }

  /**
   * A streaming call (Python's `call_stream`): yields each chunk as it
   * arrives, then one `done` event with the merged result, also when the
   * request fails. Breaking out of the loop closes the connection.
   */
  callStream(target: AxonTarget, synapse: Synapse, opts: StreamOptions = {}): AsyncGenerator<StreamEvent, void, undefined> {
    return streamCall({ http: this.#http, id: this.#id, defaultTimeout: this.timeout, onTiming: this.#onTiming }, target, synapse, opts);
  }

  /**
   * Sends the synapse to many axons, at most `concurrency` in flight, and
   * returns the results in input order. Each request is signed just before
   * it is sent, and its timeout starts then. With `streaming: true` it
   * returns one `callStream` iterator per axon (each starts when first read).
   */
  forward(targets: readonly AxonTarget[], synapse: Synapse, opts: ForwardOptions & StreamOptions & { streaming: true }): AsyncGenerator<StreamEvent, void, undefined>[];
  forward(targets: readonly AxonTarget[], synapse: Synapse, opts?: ForwardOptions): Promise<CallResult[]>;
  forward(
    targets: readonly AxonTarget[],
    synapse: Synapse,
    opts: ForwardOptions & StreamOptions = {},
  ): Promise<CallResult[]> | AsyncGenerator<StreamEvent, void, undefined>[] {
    if (opts.streaming) return targets.map((t) => this.callStream(t, synapse, opts));
    return this.#forward(targets, synapse, opts);
  }

  async #forward(targets: readonly AxonTarget[], synapse: Synapse, opts: ForwardOptions): Promise<CallResult[]> {
    const limit = opts.sequential ? 1 : Math.max(1, opts.concurrency ?? this.concurrency);
    const results = new Array<CallResult>(targets.length);
    const started = performance.now();
    // One serialisation and body hash for every axon (request-template.ts).
    const base = { ...opts, [TEMPLATE]: new RequestTemplate(synapse, this.#id, opts.timeout ?? this.timeout) } as CallOptions;
    if (targets.length >= PARALLEL_SIGNING_MIN && limit > 1) {
      const parallel = await this.#parallelSigner();
      if (parallel) (base as { [PARALLEL]?: ParallelSigner })[PARALLEL] = parallel;
    }
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < targets.length) {
        const i = next++;
        const r = await this.call(targets[i]!, synapse, this.#onTiming ? ({ ...base, [QUEUE_MS]: performance.now() - started } as CallOptions) : base);
        results[i] = r;
        opts.onResult?.(r, i);
      }
    };
    await Promise.all(Array.from({ length: Math.min(limit, targets.length) }, worker));
    return results;
  }

  /** The threaded signer, started once (undefined when the signer has none or threads are 0). */
  #parallelSigner(): Promise<ParallelSigner | undefined> {
    if (this.#signingThreads === 0 || !this.signer.parallel) return Promise.resolve(undefined);
    this.#parallel ??= this.signer.parallel(this.#signingThreads).catch(() => undefined);
    return this.#parallel;
  }

  /** Closes every pooled connection and stops signing threads. The Dendrite can be used again afterwards. */
  async close(): Promise<void> {
    const t = this.#transport;
    const p = this.#parallel;
    this.#transport = undefined;
    this.#parallel = undefined;
    await Promise.all([t?.close(), p?.then((s) => s?.close())]);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** One-shot: a Dendrite for one forward, closed afterwards (Python's `query`). */
  static async query(opts: DendriteOptions, targets: readonly AxonTarget[], synapse: Synapse, fopts: ForwardOptions = {}): Promise<CallResult[]> {
    const d = new Dendrite(opts);
    try {
      return await d.forward(targets, synapse, fopts);
    } finally {
      await d.close();
    }
  }
}

