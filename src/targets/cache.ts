/**
 * The metagraph cache: one snapshot file per (endpoint, netuid) under
 * `$XDG_CACHE_HOME/dendrite` (default `~/.cache/dendrite`), reused while
 * younger than the TTL. A hit needs no chain connection and never loads
 * @polkadot/api. The cache is best effort: an unreadable or corrupt entry is
 * a miss, and a failed write is not an error.
 */
import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Metagraph } from '../chain/types.js';
import { readSnapshotFile, writeSnapshotFile } from './snapshot.js';

export const DEFAULT_CACHE_TTL_S = 300;

export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache');
  return join(base, 'dendrite');
}

/** Keyed by the endpoint URL (not the name): `local` can point anywhere. */
export function cacheFile(dir: string, endpoint: string, netuid: number): string {
  const id = createHash('sha256').update(endpoint).digest('hex').slice(0, 16);
  const label = endpoint.replace(/^wss?:\/\//, '').replace(/[^A-Za-z0-9.-]+/g, '_').slice(0, 60);
  return join(dir, `metagraph-${label}-${id}-${netuid}.json`);
}

export interface CacheLookup {
  dir: string;
  endpoint: string;
  netuid: number;
  ttlS: number;
  now: Date;
}

export function readCachedMetagraph(q: CacheLookup): Metagraph | undefined {
  if (q.ttlS <= 0) return undefined;
  let mg: Metagraph;
  try {
    mg = readSnapshotFile(cacheFile(q.dir, q.endpoint, q.netuid));
  } catch {
    return undefined;
  }
  const age = q.now.getTime() - Date.parse(mg.fetchedAt);
  if (!(age >= 0 && age < q.ttlS * 1000)) return undefined;
  if (mg.netuid !== q.netuid || mg.endpoint !== q.endpoint) return undefined;
  return mg;
}

/** Returns an error message when the entry could not be written. */
export function writeCachedMetagraph(dir: string, mg: Metagraph): string | undefined {
  try {
    writeSnapshotFile(cacheFile(dir, mg.endpoint, mg.netuid), mg);
    return undefined;
  } catch (e) {
    return `could not write the metagraph cache in ${dir}: ${(e as Error).message}`;
  }
}
