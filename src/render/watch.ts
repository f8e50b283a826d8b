/**
 * `ping --watch`: what changed between two sweeps of the same axons. Pure:
 * results in, changes and text out; colour is decided by the caller.
 */
import kleur from 'kleur';
import type { CallResult } from '../dendrite/dendrite.js';
import type { PyDict, PyValue } from '../synapse/pyvalue.js';
import { hostPort, sanitize, shortHotkey, withColor } from './text.js';

export type ChangeKind = 'down' | 'recovered' | 'status' | 'new' | 'gone';

export interface SweepChange {
  kind: ChangeKind;
  /** `uid 42`, else `5Fabc…wxyz@1.2.3.4:8091`. */
  label: string;
  uid?: number | undefined;
  hotkey?: string | undefined;
  address: string;
  /** Status before (null: no answer code; undefined: not in that sweep). */
  from?: number | null | undefined;
  to?: number | null | undefined;
  reason?: string | undefined;
}

/** The identity of an axon across sweeps: its uid on a subnet, else hotkey and address. */
export function resultKey(r: CallResult): string {
  return r.target.uid !== undefined ? `uid:${r.target.netuid ?? ''}:${r.target.uid}` : `${r.target.hotkey ?? ''}@${hostPort(r.target.ip, r.target.port)}`;
}

function labelOf(r: CallResult, wide = false): string {
  return r.target.uid !== undefined ? `uid ${r.target.uid}` : sanitize(`${shortHotkey(r.target.hotkey, wide)}@${hostPort(r.target.ip, r.target.port)}`);
}

const up = (r: CallResult): boolean => r.statusCode === 200;

/** Changes from `prev` to `next`, in `next`'s order (then the axons gone). No previous sweep: no changes. */
export function diffSweeps(prev: readonly CallResult[] | undefined, next: readonly CallResult[], wide = false): SweepChange[] {
  if (!prev) return [];
  const before = new Map(prev.map((r) => [resultKey(r), r]));
  const out: SweepChange[] = [];
  const base = (r: CallResult) => ({ label: labelOf(r, wide), uid: r.target.uid, hotkey: r.target.hotkey, address: hostPort(r.target.ip, r.target.port) });
  for (const r of next) {
    const key = resultKey(r);
    const p = before.get(key);
    before.delete(key);
    if (!p) {
      out.push({ kind: 'new', ...base(r), to: r.statusCode, reason: r.reason });
      continue;
    }
    if (up(p) && !up(r)) out.push({ kind: 'down', ...base(r), from: p.statusCode, to: r.statusCode, reason: r.reason });
    else if (!up(p) && up(r)) out.push({ kind: 'recovered', ...base(r), from: p.statusCode, to: r.statusCode, reason: r.reason });
    else if (p.statusCode !== r.statusCode || p.reason !== r.reason) out.push({ kind: 'status', ...base(r), from: p.statusCode, to: r.statusCode, reason: r.reason });
  }
  for (const p of before.values()) out.push({ kind: 'gone', ...base(p), from: p.statusCode });
  return out;
}


const code = (c: number | null | undefined): string => (c === undefined ? '' : c === null ? '-' : String(c));

/** One line per change, e.g. `▼ down       uid 7 (200 → 408 timeout)`; "no changes" when none. */
export function renderChanges(changes: readonly SweepChange[], opts: { color: boolean }): string {
  return withColor(opts.color, () => {
    if (changes.length === 0) return kleur.dim('no changes since the last sweep');
    const paint: Record<ChangeKind, (s: string) => string> = {
      down: (s) => kleur.red(`▼ ${s}`),
      recovered: (s) => kleur.green(`▲ ${s}`),
      status: (s) => kleur.yellow(`~ ${s}`),
      new: (s) => kleur.cyan(`+ ${s}`),
      gone: (s) => kleur.dim(`- ${s}`),
    };
    return changes
      .map((c) => {
        const what = c.kind === 'new' ? `(${code(c.to)} ${c.reason})` : c.kind === 'gone' ? `(was ${code(c.from)})` : `(${code(c.from)} → ${code(c.to)} ${c.reason})`;
        return `${paint[c.kind](c.kind.padEnd(9))} ${c.label} ${what}`;
      })
      .join('\n');
  });
}

export function changesToPy(changes: readonly SweepChange[]): PyValue[] {
  return changes.map((c) => {
    const o: PyDict = new Map<string, PyValue>([['kind', c.kind]]);
    if (c.uid !== undefined) o.set('uid', BigInt(c.uid));
    o.set('hotkey', c.hotkey ?? null);
    o.set('address', c.address);
    if (c.from !== undefined) o.set('from', c.from === null ? null : BigInt(c.from));
    if (c.to !== undefined) o.set('to', c.to === null ? null : BigInt(c.to));
    if (c.reason !== undefined) o.set('reason', c.reason);
    return o;
  });
}
