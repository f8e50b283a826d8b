/** Picking axons out of a metagraph: explicit uids, every serving axon, or validators only. */
import type { Metagraph, Neuron } from '../chain/types.js';
import type { AxonTarget } from './types.js';

export interface Skipped {
  uid: number;
  reason: string;
}

export interface NeuronPick {
  /** Explicit uids, in the order given. */
  uids?: number[] | undefined;
  /** Every serving axon. */
  all?: boolean | undefined;
  /** Only neurons with a validator permit (alone: every serving validator). */
  validators?: boolean | undefined;
}

export function neuronTarget(n: Neuron, netuid: number): AxonTarget {
  return { ip: n.axon.ip, port: n.axon.port, hotkey: n.hotkey, coldkey: n.coldkey, uid: n.uid, netuid };
}

/**
 * Explicit uids that cannot be queried are reported one by one in `skipped`;
 * with --all/--validators, non-serving neurons are simply not targets.
 */
export function selectFromMetagraph(mg: Metagraph, pick: NeuronPick): { targets: AxonTarget[]; skipped: Skipped[] } {
  const targets: AxonTarget[] = [];
  const skipped: Skipped[] = [];
  if (pick.uids && pick.uids.length > 0) {
    const byUid = new Map(mg.neurons.map((n) => [n.uid, n]));
    for (const uid of pick.uids) {
      const n = byUid.get(uid);
      if (!n) skipped.push({ uid, reason: `no uid ${uid} in subnet ${mg.netuid} (${mg.neurons.length} neurons)` });
      else if (!n.serving) skipped.push({ uid, reason: `uid ${uid} is not serving (no axon on chain)` });
      else if (pick.validators && !n.validatorPermit) skipped.push({ uid, reason: `uid ${uid} has no validator permit` });
      else targets.push(neuronTarget(n, mg.netuid));
    }
    return { targets, skipped };
  }
  if (pick.all || pick.validators) {
    for (const n of mg.neurons) {
      if (!n.serving) continue;
      if (pick.validators && !n.validatorPermit) continue;
      targets.push(neuronTarget(n, mg.netuid));
    }
  }
  return { targets, skipped };
}
