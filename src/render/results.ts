/**
 * Renderers for query/ping results: a table for people, JSON for scripts.
 * Pure functions: results in, text out; colour is decided by the caller.
 */
import Table from 'cli-table3';
import kleur from 'kleur';
import type { CallResult } from '../dendrite/dendrite.js';
import { pyRepr } from '../synapse/pyrepr.js';
import { toUserJson } from '../synapse/pyjson.js';
import type { PyDict, PyValue } from '../synapse/pyvalue.js';
import { clip, hostPort, sanitize, shortHotkey } from './text.js';

export interface TableOptions {
  color: boolean;
  /** Show full hotkeys and messages. */
  wide?: boolean;
}

/** The answer of a result in a few words: the schema's output field, else the subclass fields. */
export function previewOf(r: CallResult, max = 40): string {
  if (r.reason !== 'ok') return '';
  const s = r.synapse;
  if (s.schema.output !== undefined) return clip(pyRepr(s.fields.get(s.schema.output) ?? null), max);
  if (s.fields.size === 0) return '';
  return clip([...s.fields].map(([k, v]) => `${k}=${pyRepr(v)}`).join(' '), max);
}

function withColor<T>(on: boolean, f: () => T): T {
  const before = kleur.enabled;
  kleur.enabled = on;
  try {
    return f();
  } finally {
    kleur.enabled = before;
  }
}

function paintStatus(code: number | null): string {
  const text = code === null ? '-' : String(code);
  if (code === 200) return kleur.green(text);
  if (code !== null && code >= 500) return kleur.red(text);
  return kleur.yellow(text);
}

export function renderResultsTable(results: readonly CallResult[], opts: TableOptions): string {
  return withColor(opts.color, () => {
    const hasUid = results.some((r) => r.target.uid !== undefined);
    const head = [...(hasUid ? ['UID'] : []), 'HOTKEY', 'ADDRESS', 'STATUS', 'MESSAGE', 'LATENCY', 'OUTPUT'];
    const table = new Table({
      head: head.map((h) => kleur.bold(h)),
      style: { head: [], border: [], compact: true },
      chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
    });
    for (const r of results) {
      const msgMax = opts.wide ? 200 : 44;
      table.push([
        ...(hasUid ? [String(r.target.uid ?? '-')] : []),
        shortHotkey(r.target.hotkey, opts.wide),
        hostPort(r.target.ip, r.target.port),
        paintStatus(r.statusCode),
        clip(r.statusMessage ?? '', msgMax),
        `${r.latencyMs.toFixed(1)} ms`,
        previewOf(r, opts.wide ? 200 : 40),
      ]);
    }
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
    return sanitize(parts.join(', '));
  });
}
