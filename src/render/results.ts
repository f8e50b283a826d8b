/**
 * Renderers for query/ping results: a table for people, JSON for scripts.
 * Pure functions: results in, text out; colour is decided by the caller.
 */
import { createRequire } from 'node:module';
import kleur from 'kleur';
import type { CallResult } from '../dendrite/dendrite.js';
import { pyRepr } from '../synapse/pyrepr.js';
import { toUserJson } from '../synapse/pyjson.js';
import type { PyDict, PyValue } from '../synapse/pyvalue.js';
import { clip, hostPort, sanitize, shortHotkey, withColor } from './text.js';

// Loaded when a table is drawn, not for --json (start-up of scripted runs).
const loadTable = (): typeof import('cli-table3') => createRequire(import.meta.url)('cli-table3') as typeof import('cli-table3');

export interface TableOptions {
  color: boolean;
  /** Show full hotkeys and messages. */
  wide?: boolean;
  /** Terminal width: the table is narrowed (messages and outputs clipped) to fit. Ignored with `wide`. */
  maxWidth?: number | undefined;
}

export type SortKey = 'latency' | 'uid' | 'status';
export const SORT_KEYS: readonly SortKey[] = ['latency', 'uid', 'status'];
export type OnlyFilter = 'failed' | 'ok';
export const ONLY_FILTERS: readonly OnlyFilter[] = ['failed', 'ok'];

/** `--sort`: fastest first; by uid (then address); or 200 first, then by status code. Stable, a new array. */
export function sortResults(results: readonly CallResult[], key: SortKey): CallResult[] {
  const addr = (r: CallResult): string => hostPort(r.target.ip, r.target.port);
  const byAddr = (a: CallResult, b: CallResult): number => addr(a).localeCompare(addr(b));
  const cmp: Record<SortKey, (a: CallResult, b: CallResult) => number> = {
    latency: (a, b) => a.latencyMs - b.latencyMs,
    uid: (a, b) => (a.target.uid ?? Infinity) - (b.target.uid ?? Infinity) || byAddr(a, b),
    status: (a, b) => (a.statusCode === 200 ? -1 : (a.statusCode ?? 1000)) - (b.statusCode === 200 ? -1 : (b.statusCode ?? 1000)) || a.reason.localeCompare(b.reason),
  };
  return [...results].sort(cmp[key]);
}

/** `--only`: the axons that answered 200, or those that did not. */
export function filterResults(results: readonly CallResult[], only: OnlyFilter): CallResult[] {
  return results.filter((r) => (only === 'ok' ? r.statusCode === 200 : r.statusCode !== 200));
}

/**
 * Column widths (content only, padding excluded) that fit `maxWidth`: the
 * widest shrinkable column gives up a character until the table fits or every
 * shrinkable column is at its minimum.
 */
export function fitWidths(natural: readonly number[], shrinkable: ReadonlyMap<number, number>, maxWidth: number): number[] {
  const w = [...natural];
  // Each column has one space of padding on both sides, plus one border character more than columns.
  const total = (): number => w.reduce((a, b) => a + b + 2, 0) + w.length + 1;
  while (total() > maxWidth) {
    let pick = -1;
    for (const [i, min] of shrinkable) if (w[i]! > min && (pick < 0 || w[i]! > w[pick]!)) pick = i;
    if (pick < 0) break;
    w[pick]!--;
  }
  return w;
}

/** The answer of a result in a few words: the schema's output field, else the subclass fields. */
export function previewOf(r: CallResult, max = 40): string {
  if (r.reason !== 'ok') return '';
  const s = r.synapse;
  if (s.schema.output !== undefined) return clip(pyRepr(s.fields.get(s.schema.output) ?? null), max);
  if (s.fields.size === 0) return '';
  return clip([...s.fields].map(([k, v]) => `${k}=${pyRepr(v)}`).join(' '), max);
}


function paintStatus(code: number | null): string {
  const text = code === null ? '-' : String(code);
  if (code === 200) return kleur.green(text);
  if (code !== null && code >= 500) return kleur.red(text);
  return kleur.yellow(text);
}

export function renderResultsTable(results: readonly CallResult[], opts: TableOptions): string {
  return withColor(opts.color, () => {
    const wide = opts.wide ?? false;
    const hasUid = results.some((r) => r.target.uid !== undefined);
    const head = [...(hasUid ? ['UID'] : []), 'HOTKEY', 'ADDRESS', 'STATUS', 'MESSAGE', 'LATENCY', 'OUTPUT'];
    const rows = results.map((r) => [
      ...(hasUid ? [String(r.target.uid ?? '-')] : []),
      shortHotkey(r.target.hotkey, wide),
      sanitize(hostPort(r.target.ip, r.target.port)),
      r.statusCode === null ? '-' : String(r.statusCode),
      clip(r.statusMessage ?? '', wide ? 200 : 44),
      `${r.latencyMs.toFixed(1)} ms`,
      previewOf(r, wide ? 200 : 40),
    ]);
    const col = (name: string): number => head.indexOf(name);
    let widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => [...row[i]!].length)));
    if (!wide && opts.maxWidth !== undefined && opts.maxWidth > 0) {
      const shrink = new Map<number, number>([
        [col('OUTPUT'), 3],
        [col('MESSAGE'), 5],
        [col('ADDRESS'), 9],
        [col('HOTKEY'), 9],
      ]);
      widths = fitWidths(widths, shrink, opts.maxWidth);
    }
    const Table = loadTable();
    const table = new Table({
      head: head.map((h, i) => kleur.bold(clip(h, widths[i]!))),
      style: { head: [], border: [], compact: true },
      chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
    });
    const status = col('STATUS');
    results.forEach((r, n) => {
      table.push(rows[n]!.map((cell, i) => (i === status ? paintStatus(r.statusCode) : [...cell].length > widths[i]! ? clip(cell, widths[i]!) : cell)));
    });
    return table.toString();
  });
}

/** A result as a JSON object (exact integers, the merged synapse included). */
export function resultToPy(r: CallResult): PyDict {
  const o: PyDict = new Map<string, PyValue>();
  if (r.target.netuid !== undefined) o.set('netuid', BigInt(r.target.netuid));
  if (r.target.uid !== undefined) o.set('uid', BigInt(r.target.uid));
  o.set('hotkey', r.target.hotkey ?? null);
  o.set('ip', r.target.ip);
  o.set('port', BigInt(r.target.port));
  o.set('status_code', r.statusCode === null ? null : BigInt(r.statusCode));
  o.set('status_message', r.statusMessage);
  o.set('reason', r.reason);
  o.set('latency_ms', Math.round(r.latencyMs * 1000) / 1000);
  o.set('process_time', r.processTime);
  o.set('synapse', r.synapse.dump());
  return o;
}

/** `--json`: one array, one object per axon in input order. */
export function renderResultsJson(results: readonly CallResult[], indent = 0): string {
  return toUserJson(results.map(resultToPy), indent);
}

/** One line for people: how many answered and how. */
export function renderResultsFooter(results: readonly CallResult[], color: boolean): string {
  return withColor(color, () => {
    const ok = results.filter((r) => r.statusCode === 200).length;
    const failed = results.length - ok;
    const parts = [`${results.length} axon${results.length === 1 ? '' : 's'}`, kleur.green(`${ok} ok`)];
    if (failed) parts.push(kleur.red(`${failed} failed`));
    // Numbers and our own words only: nothing to sanitize (and sanitizing would escape the colour codes).
    return parts.join(', ');
  });
}
