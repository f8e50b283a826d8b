/**
 * Opening and closing a @polkadot/api connection with hard bounds.
 *
 * WsProvider on its own retries forever and ApiPromise waits forever for a
 * node that accepts the socket but never answers; a CLI must neither hang nor
 * linger. So: auto-reconnect off, one deadline for socket + metadata, every
 * later RPC bounded by the provider's request timeout, and on any failure the
 * socket is closed before the error is thrown, so the process can exit.
 *
 * @polkadot/api is loaded here with a dynamic import: it is heavy, and runs
 * that never touch the chain (--axon, --metagraph FILE, cache hits) must not
 * pay for it.
 */
import type { ApiPromise } from '@polkadot/api';
import { ChainError } from '../errors.js';

export const DEFAULT_CHAIN_TIMEOUT_MS = 10_000;

export interface ConnectOptions {
  /** Deadline for the socket, the handshake and the metadata; also each later request. */
  timeoutMs?: number;
}

export interface ChainConnection {
  api: ApiPromise;
  url: string;
  /** Closes the socket. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * Subtensor's own transaction extensions. We never build extrinsics, so they
 * are declared as no-ops only to keep @polkadot/types from printing an
 * "Unknown signed extensions" warning on stderr at every connect.
 */
const NO_OP_EXTENSION = { extrinsic: {}, payload: {} };
const QUIET_EXTENSIONS = Object.fromEntries(
  [
    'SudoTransactionExtension',
    'SubtensorTransactionExtension',
    'SubtensorSignedExtension',
    'CommitmentsSignedExtension',
    'CheckColdkeySwap',
    'DrandPriority',
  ].map((name) => [name, NO_OP_EXTENSION]),
);

export function unreachable(url: string, why: string, cause?: unknown): ChainError {
  return new ChainError('chain_unreachable', `cannot reach subtensor at ${url}: ${why}`, { cause });
}

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}

export async function connectChain(url: string, opts: ConnectOptions = {}): Promise<ChainConnection> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_CHAIN_TIMEOUT_MS;
  const { ApiPromise, WsProvider } = await import('@polkadot/api');

  // autoConnect false: a refused or dropped socket is an answer, not a reason to retry.
  // cache capacity 0: this is a one-shot reader; the LRU only hides calls.
  let provider: InstanceType<typeof WsProvider>;
  try {
    provider = new WsProvider(url, false, {}, timeoutMs, 0);
  } catch (e) {
    throw unreachable(url, (e as Error).message, e);
  }
  let api: ApiPromise | undefined;
  let closed = false;
  const wsClass = await loadWsClass();
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    // Wait (briefly) for the socket to be really closed: pending requests are
    // rejected then, and we want that to happen while the caller still
    // diverts @polkadot's log lines, not after.
    let socket: { terminate?: () => void } | undefined;
    const gone = provider.isConnected
      ? new Promise<void>((resolve) => {
          const t = setTimeout(() => {
            // A peer that never answers our close frame would keep the socket
            // (and the process) alive for ws's 30 s close timeout: cut it.
            socket?.terminate?.();
            resolve();
          }, CLOSE_GRACE_MS);
          provider.on('disconnected', () => {
            clearTimeout(t);
            resolve();
          });
        })
      : Promise.resolve();
    // WsProvider keeps its socket private; it calls socket.close()
    // synchronously inside disconnect(), so we learn which socket it is by
    // watching that one call. The disconnect itself is not awaited past the
    // grace period: a close that never completes must not keep the caller
    // (and the process) waiting; the socket is then terminated.
    const disconnecting = captureClosedSocket(
      wsClass,
      () => (api ? api.disconnect() : provider.disconnect()),
      (s) => (socket = s),
    ).catch(() => {
      // Closing a socket that never opened throws; there is nothing left to release.
    });
    let graceTimer: NodeJS.Timeout | undefined;
    await Promise.race([disconnecting, new Promise<void>((r) => (graceTimer = setTimeout(r, CLOSE_GRACE_MS)))]);
    clearTimeout(graceTimer);
    await gone;
    await new Promise((resolve) => setImmediate(resolve));
  };

  let timer: NodeJS.Timeout | undefined;
  const offs: Array<() => void> = [];
  try {
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(unreachable(url, `no answer within ${seconds(timeoutMs)} (--chain-timeout)`)), timeoutMs);
    });
    // A socket error or close before we are ready is final (no auto-reconnect).
    const dropped = new Promise<never>((_, reject) => {
      offs.push(provider.on('error', (e: unknown) => reject(unreachable(url, describeSocketError(e), e))));
      offs.push(provider.on('disconnected', () => reject(unreachable(url, 'the connection was closed'))));
    });
    dropped.catch(() => undefined);
    const ready = (async () => {
      await provider.connect();
      await new Promise<void>((resolve) => {
        if (provider.isConnected) resolve();
        else offs.push(provider.on('connected', () => resolve()));
      });
      // The deadline may have passed meanwhile; do not build an API on a closed socket.
      if (closed) return;
      // While getting ready, ApiPromise subscribes to runtime-version updates
      // (state_subscribeRuntimeVersion: an upgrade swaps its registry) and
      // turns ready without awaiting the answer. Its only off switch is a
      // provider without subscriptions, which changes how the whole API
      // queries; so connecting waits for that answer instead, and a read that
      // follows has nothing of ours in flight. Watched through the provider's
      // public subscribe(), on this instance, until ready.
      const subscribing: Promise<unknown>[] = [];
      const subscribe = provider.subscribe.bind(provider);
      provider.subscribe = (...args: Parameters<typeof subscribe>) => {
        const p = subscribe(...args);
        subscribing.push(p);
        return p;
      };
      try {
        // initWasm false: we never sign with @polkadot; its wasm start-up is pure cost.
        api = new ApiPromise({ provider, noInitWarn: true, initWasm: false, signedExtensions: QUIET_EXTENSIONS });
        await api.isReadyOrError;
      } finally {
        delete (provider as { subscribe?: unknown }).subscribe; // back to the class's own method
      }
      // A refused subscription is @polkadot's to log; only its answer matters here.
      await Promise.allSettled(subscribing);
    })();
    ready.catch(() => undefined);
    await Promise.race([ready, deadline, dropped]);
    return { api: api!, url, close };
  } catch (e) {
    await close();
    if (e instanceof ChainError) throw e;
    throw unreachable(url, (e as Error)?.message ?? String(e), e);
  } finally {
    if (timer) clearTimeout(timer);
    for (const off of offs) off();
  }
}

/** How long a clean WebSocket close may take before the socket is destroyed. */
const CLOSE_GRACE_MS = 500;

type WsClass = { prototype: { close: (...args: unknown[]) => unknown } };

/**
 * The `ws` class that @polkadot/x-ws uses on Node (resolved from x-ws's own
 * location, so it is the same module instance). Undefined when x-ws uses a
 * global WebSocket instead (Node >= 22); then we rely on a normal close.
 */
async function loadWsClass(): Promise<WsClass | undefined> {
  if (typeof (globalThis as { WebSocket?: unknown }).WebSocket !== 'undefined') return undefined;
  try {
    const { createRequire } = await import('node:module');
    const req = createRequire(import.meta.resolve('@polkadot/x-ws'));
    const ws = req('ws') as WsClass | { WebSocket?: WsClass };
    const cls = (ws as { WebSocket?: WsClass }).WebSocket ?? (ws as WsClass);
    return typeof cls?.prototype?.close === 'function' ? cls : undefined;
  } catch {
    return undefined;
  }
}

/** Runs `disconnect`, noting the socket whose close() it calls synchronously. */
async function captureClosedSocket(
  cls: WsClass | undefined,
  disconnect: () => Promise<unknown>,
  onSocket: (socket: { terminate?: () => void }) => void,
): Promise<{ terminate?: () => void } | undefined> {
  if (!cls) {
    await disconnect();
    return undefined;
  }
  const original = cls.prototype.close;
  let captured: { terminate?: () => void } | undefined;
  cls.prototype.close = function (this: { terminate?: () => void }, ...args: unknown[]) {
    if (!captured) onSocket(this);
    captured ??= this;
    return original.apply(this, args);
  };
  let pending: Promise<unknown>;
  try {
    pending = disconnect();
  } finally {
    // Restored before anything else can run: the patch never outlives this call.
    cls.prototype.close = original;
  }
  await pending;
  return captured;
}

function describeSocketError(e: unknown): string {
  const err = (e as { error?: unknown; message?: unknown }) ?? {};
  const inner = err.error as { code?: string; message?: string } | undefined;
  if (inner?.code) return inner.code === 'ECONNREFUSED' ? 'connection refused' : `${inner.code}`;
  if (typeof err.message === 'string' && err.message) return err.message;
  return 'connection failed';
}
