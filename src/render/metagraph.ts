/**
 * `dendrite metagraph` output: a plain-text table with the totals on top, or
 * the JSON document (exact integers; the same shape `--save` writes and
 * `--metagraph FILE` reads). Pure functions: no I/O, no colour.
 */
import type { Metagraph, Neuron } from '../chain/types.js';
import { serializeMetagraph } from '../targets/snapshot.js';

const RAO_PER_UNIT = 1_000_000_000n;

/**
 * A 9-decimal on-chain amount (rao of TAO or of a subnet's alpha) in whole
 * units with all 9 decimals, exact (no float on the way).
 */
export function formatStake(rao: bigint): string {
  const sign = rao < 0n ? '-' : '';
  const abs = rao < 0n ? -rao : rao;
  return `${sign}${abs / RAO_PER_UNIT}.${(abs % RAO_PER_UNIT).toString().padStart(9, '0')}`;
}

/** `ip:port`, IPv6 in brackets; `-` for a neuron that does not serve. */
export function formatAddress(n: Neuron): string {
  if (!n.serving) return '-';
  return n.axon.ip.includes(':') ? `[${n.axon.ip}]:${n.axon.port}` : `${n.axon.ip}:${n.axon.port}`;
}

export function metagraphSummary(mg: Metagraph): string {
  const serving = mg.neurons.filter((n) => n.serving).length;
  const where = mg.endpoint ? `${mg.network} (${mg.endpoint})` : mg.network;
  return [
    `subnet ${mg.netuid} on ${where}`,
    `block ${mg.block}  neurons ${mg.neurons.length}  serving ${serving}  source ${mg.source}  read ${mg.fetchedAt}`,
  ].join('\n');
}

const HEADERS = ['UID', 'HOTKEY', 'COLDKEY', 'ADDRESS', 'VERSION', 'STAKE', 'VPERMIT', 'ACTIVE'] as const;
const RIGHT = new Set([0, 4, 5]);

export function renderMetagraphTable(mg: Metagraph): string {
  const rows = mg.neurons.map((n) => [
    String(n.uid),
    n.hotkey,
    n.coldkey,
    formatAddress(n),
    n.axon.version ? String(n.axon.version) : '-',
    formatStake(n.stake),
    n.validatorPermit ? 'yes' : 'no',
    n.active ? 'yes' : 'no',
  ]);
  const widths = HEADERS.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (RIGHT.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [metagraphSummary(mg), '', line(HEADERS), ...rows.map(line)].join('\n') + '\n';
}

/** Indented for a terminal (and for files), one line for a pipe, like the other --json outputs. */
export function renderMetagraphJson(mg: Metagraph, indent = 2): string {
  return serializeMetagraph(mg, indent);
}
