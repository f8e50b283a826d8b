/**
 * The sweep summary of `ping`/`query` over several axons: counts by status
 * and reason (like oha's error distribution), latency percentiles of the
 * successful answers, the slowest and the failing axons. Pure functions:
 * results in, data or text out; colour is decided by the caller.
 */
import kleur from 'kleur';
import type { CallResult } from '../dendrite/dendrite.js';
import type { PyDict, PyValue } from '../synapse/pyvalue.js';
import { clip, hostPort, sanitize, shortHotkey, withColor } from './text.js';

export interface StatusCount {
  statusCode: number | null;
  reason: string;
  /** One message seen for this status and reason (the first). */
  message: string | null;
  count: number;
}

export interface LatencyStats {
  /** Milliseconds, of the answers with status 200. */
  min: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export interface AxonRef {
  uid?: number | undefined;
  hotkey?: string | undefined;
  address: string;
  statusCode: number | null;
  reason: string;
  message: string | null;
  latencyMs: number;
}

export interface SweepSummary {
  total: number;
  ok: number;
  failed: number;
  /** Most frequent first; ties by status code. */
  byStatus: StatusCount[];
  /** `null` when no axon answered 200. */
  latency: LatencyStats | null;
  /** The slowest successful answers, slowest first. */
  slowest: AxonRef[];
  /** Every axon that did not answer 200, in input order. */
  failing: AxonRef[];
}

/** Nearest-rank percentile of ascending `sorted` (p in 0..100). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

function ref(r: CallResult): AxonRef {
  return {
    uid: r.target.uid,
    hotkey: r.target.hotkey,
    address: hostPort(r.target.ip, r.target.port),
    statusCode: r.statusCode,
    reason: r.reason,
    message: r.statusMessage,
    latencyMs: r.latencyMs,
  };
}

export function summarize(results: readonly CallResult[], slowestCount = 5): SweepSummary {
  const ok = results.filter((r) => r.statusCode === 200);
  const counts = new Map<string, StatusCount>();
  for (const r of results) {
    const key = `${r.statusCode}|${r.reason}`;
    const c = counts.get(key);
    if (c) c.count++;
    else counts.set(key, { statusCode: r.statusCode, reason: r.reason, message: r.statusMessage, count: 1 });
  }
  const byStatus = [...counts.values()].sort((a, b) => b.count - a.count || (a.statusCode ?? 999) - (b.statusCode ?? 999) || a.reason.localeCompare(b.reason));
  const lat = ok.map((r) => r.latencyMs).sort((a, b) => a - b);
  const latency: LatencyStats | null = lat.length
    ? { min: lat[0]!, p50: percentile(lat, 50), p90: percentile(lat, 90), p99: percentile(lat, 99), max: lat[lat.length - 1]! }
    : null;
  const slowest = [...ok].sort((a, b) => b.latencyMs - a.latencyMs).slice(0, slowestCount).map(ref);
  return {
    total: results.length,
    ok: ok.length,
    failed: results.length - ok.length,
    byStatus,
    latency,
    slowest,
    failing: results.filter((r) => r.statusCode !== 200).map(ref),
  };
}


function ms(n: number): string {
  return `${n.toFixed(1)} ms`;
}

function who(a: AxonRef, wide: boolean): string {
  return a.uid !== undefined ? `uid ${a.uid}` : sanitize(`${shortHotkey(a.hotkey, wide)}@${a.address}`);
}

export interface SummaryTextOptions {
  color: boolean;
  wide?: boolean;
  /** Most failing axons listed by name (the rest are counted). Default 10; wide: all. */
  maxFailing?: number;
}

/** The summary as a few lines for people. */
export function renderSummary(s: SweepSummary, opts: SummaryTextOptions): string {
  return withColor(opts.color, () => {
    const wide = opts.wide ?? false;
    const lines: string[] = [];
    lines.push(kleur.bold('Summary'));
    const okText = kleur.green(`${s.ok} ok`);
    lines.push(`  ${s.total} axons: ${okText}${s.failed ? `, ${kleur.red(`${s.failed} failed`)}` : ''}`);
    lines.push(kleur.bold('Status distribution'));
    const width = Math.max(...s.byStatus.map((c) => String(c.count).length), 1);
    for (const c of s.byStatus) {
      const code = c.statusCode === null ? '-' : String(c.statusCode);
      const paint = c.statusCode === 200 ? kleur.green : c.statusCode !== null && c.statusCode >= 500 ? kleur.red : kleur.yellow;
      const msg = c.reason === 'ok' ? '' : ` ${clip(c.message ?? '', wide ? 200 : 60)}`;
      lines.push(`  [${String(c.count).padStart(width)}] ${paint(code)} ${c.reason}${msg}`);
    }
    if (s.latency) {
      const l = s.latency;
      lines.push(kleur.bold('Latency of ok answers'));
      lines.push(`  min ${ms(l.min)}  p50 ${ms(l.p50)}  p90 ${ms(l.p90)}  p99 ${ms(l.p99)}  max ${ms(l.max)}`);
      if (s.slowest.length) lines.push(`  slowest: ${s.slowest.map((a) => `${who(a, wide)} (${ms(a.latencyMs)})`).join(', ')}`);
    }
    if (s.failing.length) {
      const max = wide ? Infinity : (opts.maxFailing ?? 10);
      const shown = s.failing.slice(0, max).map((a) => `${who(a, wide)} (${a.statusCode ?? '-'} ${a.reason})`);
      const more = s.failing.length - shown.length;
      lines.push(`${kleur.bold('Failing')}: ${shown.join(', ')}${more > 0 ? `, and ${more} more` : ''}`);
    }
    return lines.join('\n');
  });
}

function refToPy(a: AxonRef): PyDict {
  const o: PyDict = new Map<string, PyValue>();
  if (a.uid !== undefined) o.set('uid', BigInt(a.uid));
  o.set('hotkey', a.hotkey ?? null);
  o.set('address', a.address);
  o.set('status_code', a.statusCode === null ? null : BigInt(a.statusCode));
  o.set('reason', a.reason);
  o.set('status_message', a.message);
  o.set('latency_ms', Math.round(a.latencyMs * 1000) / 1000);
  return o;
}

const round = (n: number): number => Math.round(n * 1000) / 1000;

/** The summary as a JSON value (snake_case keys, like the results). */
export function summaryToPy(s: SweepSummary): PyDict {
  const o: PyDict = new Map<string, PyValue>();
  o.set('total', BigInt(s.total));
  o.set('ok', BigInt(s.ok));
  o.set('failed', BigInt(s.failed));
  o.set(
    'by_status',
    s.byStatus.map((c) => new Map<string, PyValue>([
      ['status_code', c.statusCode === null ? null : BigInt(c.statusCode)],
      ['reason', c.reason],
      ['status_message', c.message],
      ['count', BigInt(c.count)],
    ])),
  );
  o.set(
    'latency_ms',
    s.latency
      ? new Map<string, PyValue>(Object.entries(s.latency).map(([k, v]) => [k, round(v)]))
      : null,
  );
  o.set('slowest', s.slowest.map(refToPy));
  o.set('failing', s.failing.map(refToPy));
  return o;
}
