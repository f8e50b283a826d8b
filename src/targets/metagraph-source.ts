/**
 * Where a metagraph comes from, in order: a snapshot file (`--metagraph
 * FILE`), the cache, the chain. Only the last one loads the chain code, and
 * with it @polkadot/api, through a dynamic import.
 */
import { selectNetwork } from '../chain/networks.js';
import type { Metagraph } from '../chain/types.js';
import { UsageError } from '../errors.js';
import { cacheDir, DEFAULT_CACHE_TTL_S, readCachedMetagraph, writeCachedMetagraph } from './cache.js';
import { readSnapshotFile } from './snapshot.js';

export const DEFAULT_CHAIN_TIMEOUT_S = 10;

export interface MetagraphRequest {
  netuid?: number | undefined;
  /** Snapshot file to use instead of the chain. */
  metagraph?: string | undefined;
  /** Network name or ws(s):// URL; default: btcli config, then finney. */
  network?: string | undefined;
  /** Seconds; default 10. */
  chainTimeout?: number | undefined;
  /** Seconds; default 300; 0 disables the cache. */
  cacheTtl?: number | undefined;
  /** Ignore a cached entry (and replace it). */
  refresh?: boolean | undefined;
}

export interface MetagraphContext {
  env?: NodeJS.ProcessEnv;
  now?: () => Date;
  /** Progress for stderr (e.g. cache hit, storage fallback). */
  onNote?: (note: string) => void;
}

export interface LoadedMetagraph {
  metagraph: Metagraph;
  from: 'snapshot' | 'cache' | 'chain';
}

export function checkNetuid(n: unknown, flag = '--netuid'): number {
  const v = typeof n === 'string' && /^\d+$/.test(n.trim()) ? Number(n) : n;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 65535) {
    throw new UsageError('bad_netuid', `${flag} ${String(n)}: a subnet id is an integer from 0 to 65535`);
  }
  return v;
}

export async function loadMetagraph(req: MetagraphRequest, ctx: MetagraphContext = {}): Promise<LoadedMetagraph> {
  const env = ctx.env ?? process.env;
  const now = ctx.now ?? (() => new Date());
  const netuid = req.netuid === undefined ? undefined : checkNetuid(req.netuid);

  if (req.metagraph) {
    const mg = readSnapshotFile(req.metagraph);
    if (netuid !== undefined && mg.netuid !== netuid) {
      throw new UsageError('netuid_mismatch', `--metagraph ${req.metagraph} holds subnet ${mg.netuid}, not --netuid ${netuid}: drop --netuid or use another file`);
    }
    return { metagraph: mg, from: 'snapshot' };
  }
  if (netuid === undefined) {
    throw new UsageError('netuid_required', 'a subnet is needed: give --netuid N (or --metagraph FILE)');
  }

  const network = selectNetwork(req.network, env);
  const ttl = req.cacheTtl ?? DEFAULT_CACHE_TTL_S;
  if (!(ttl >= 0)) throw new UsageError('bad_cache_ttl', `--cache-ttl ${ttl}: give seconds (0 disables the cache)`);
  const timeout = req.chainTimeout ?? DEFAULT_CHAIN_TIMEOUT_S;
  if (!(timeout > 0)) throw new UsageError('bad_chain_timeout', `--chain-timeout ${timeout}: give a positive number of seconds`);
  const dir = cacheDir(env);

  if (!req.refresh) {
    const hit = readCachedMetagraph({ dir, endpoint: network.url, netuid, ttlS: ttl, now: now() });
    if (hit) {
      ctx.onNote?.(`subnet ${netuid} from cache (block ${hit.block}, read ${hit.fetchedAt}); --refresh to re-read`);
      return { metagraph: hit, from: 'cache' };
    }
  }

  const { fetchMetagraph } = await import('../chain/fetch.js');
  const mg = await fetchMetagraph({
    network,
    netuid,
    timeoutMs: Math.round(timeout * 1000),
    now,
    ...(ctx.onNote ? { onNote: ctx.onNote } : {}),
  });
  if (ttl > 0) {
    const err = writeCachedMetagraph(dir, mg);
    if (err) ctx.onNote?.(err);
  }
  return { metagraph: mg, from: 'chain' };
}
