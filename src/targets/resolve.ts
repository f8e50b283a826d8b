/**
 * Target selection for query, ping and stream: `--axon` specs and/or a
 * subnet's axons chosen by `--uid`, `--all` or `--validators`, from a
 * snapshot, the cache or the chain.
 */
import { UsageError } from '../errors.js';
import { parseAxonSpec } from './axon-spec.js';
import { loadMetagraph, type LoadedMetagraph, type MetagraphContext } from './metagraph-source.js';
import { selectFromMetagraph, type Skipped } from './select.js';
import type { AxonTarget } from './types.js';
import { parseUidList } from './uids.js';

export interface TargetSelection {
  /** Raw `--axon` specs. */
  axon?: string[] | undefined;
  netuid?: number | undefined;
  /** Raw `--uid` values: `42`, `1,5,10-20`; repeatable. */
  uid?: string[] | undefined;
  all?: boolean | undefined;
  validators?: boolean | undefined;
  /** Snapshot file used instead of the chain. */
  metagraph?: string | undefined;
  network?: string | undefined;
  /** Seconds (default 10). */
  chainTimeout?: number | undefined;
  /** Seconds (default 300; 0 disables the cache). */
  cacheTtl?: number | undefined;
  refresh?: boolean | undefined;
}

export interface TargetResolution {
  targets: AxonTarget[];
  /** Named uids that cannot be queried (missing, not serving, no permit). */
  skipped: Skipped[];
  /** Set when the targets came from a metagraph. */
  metagraph?: LoadedMetagraph | undefined;
}

export type ResolveContext = MetagraphContext;

/** True when the selection asks for anything from a subnet. */
export function wantsSubnet(sel: TargetSelection): boolean {
  return Boolean((sel.uid && sel.uid.length > 0) || sel.all || sel.validators);
}

export async function resolveTargets(sel: TargetSelection, ctx: ResolveContext = {}): Promise<TargetResolution> {
  const fromAxons = (sel.axon ?? []).map((spec) => parseAxonSpec(spec));
  const uids = sel.uid && sel.uid.length > 0 ? parseUidList(sel.uid) : undefined;
  const subnet = wantsSubnet(sel);

  if (!subnet) {
    if (sel.netuid !== undefined || sel.metagraph) {
      throw new UsageError('no_uid_selection', 'a subnet was named but no axons of it: add --uid LIST, --all or --validators');
    }
    return { targets: fromAxons, skipped: [] };
  }
  if (uids && sel.all) {
    throw new UsageError('uid_and_all', '--uid and --all both choose axons: use one of them');
  }
  if (sel.netuid === undefined && !sel.metagraph) {
    throw new UsageError('netuid_required', '--uid/--all/--validators need a subnet: add --netuid N (or --metagraph FILE)');
  }
  const loaded = await loadMetagraph(sel, ctx);
  const picked = selectFromMetagraph(loaded.metagraph, { uids, all: sel.all, validators: sel.validators });
  return { targets: [...fromAxons, ...picked.targets], skipped: picked.skipped, metagraph: loaded };
}
