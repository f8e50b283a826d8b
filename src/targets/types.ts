/** One axon to talk to: where it is and whose it is. */
export interface AxonTarget {
  /** IPv4 dotted or IPv6 text (no brackets). */
  ip: string;
  port: number;
  /** The axon's hotkey (SS58). Signed into every request; the axon rejects a wrong one. */
  hotkey?: string | undefined;
  coldkey?: string | undefined;
  /** Set when the target came from a metagraph. */
  uid?: number | undefined;
  netuid?: number | undefined;
}
