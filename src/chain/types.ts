/**
 * The metagraph as dendrite uses it: one entry per uid of a subnet, with the
 * axon address already in text form. Every u64/u128 quantity is a bigint
 * (stake in rao can exceed 2^53); uids, ports and versions fit in a number.
 */

export interface AxonInfo {
  /** IPv4 dotted or IPv6 compressed text; `0.0.0.0` when never served. */
  ip: string;
  port: number;
  /** 4, 6, or 0 for a never-served axon. */
  ipType: number;
  /** The axon software's version_as_int. */
  version: number;
  protocol: number;
  /** Block of the last serve_axon. */
  block: bigint;
}

export interface Neuron {
  uid: number;
  /** SS58 (prefix 42). */
  hotkey: string;
  coldkey: string;
  active: boolean;
  validatorPermit: boolean;
  /**
   * Stake in rao units (9 decimals): the sum of the neuron's stake entries,
   * which the current runtime fills with TotalHotkeyAlpha(hotkey, netuid),
   * i.e. the subnet's alpha (TAO on the root subnet).
   */
  stake: bigint;
  axon: AxonInfo;
  /** False when the chain's ip is 0 (Python's `is_serving`). */
  serving: boolean;
}

/** How the neurons were read (CHAIN.md A5). */
export type MetagraphSource = 'runtime-api' | 'runtime-api-bytes' | 'storage' | 'snapshot' | 'cache';

export interface Metagraph {
  netuid: number;
  /** SDK network name (`finney`, `test`, …) or `unknown`. */
  network: string;
  /** The node the data came from. */
  endpoint: string;
  /** Block the data was read at. */
  block: number;
  blockHash: string;
  /** When it was read, ISO 8601 UTC. */
  fetchedAt: string;
  source: MetagraphSource;
  /** Sorted by uid. */
  neurons: Neuron[];
}

export function servingCount(mg: Metagraph): number {
  return mg.neurons.filter((n) => n.serving).length;
}
