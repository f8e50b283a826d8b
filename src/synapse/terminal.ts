/** TerminalInfo: the `dendrite` and `axon` parts of a synapse (PROTOCOL.md §0). */
import type { PyDict, PyValue } from './pyvalue.js';
import { isPyDict } from './pyvalue.js';

export interface TerminalInfo {
  status_code: number | null;
  status_message: string | null;
  /** Seconds, a Python float. */
  process_time: number | null;
  ip: string | null;
  port: number | null;
  version: number | null;
  /** Epoch nanoseconds: beyond 2^53, so bigint. */
  nonce: bigint | null;
  uuid: string | null;
  hotkey: string | null;
  signature: string | null;
}

/** Declaration order: header order and JSON key order. */
export const TERMINAL_FIELDS = [
  'status_code',
  'status_message',
  'process_time',
  'ip',
  'port',
  'version',
  'nonce',
  'uuid',
  'hotkey',
  'signature',
] as const satisfies readonly (keyof TerminalInfo)[];

export type TerminalField = (typeof TERMINAL_FIELDS)[number];

export function emptyTerminal(): TerminalInfo {
  return {
    status_code: null,
    status_message: null,
    process_time: null,
    ip: null,
    port: null,
    version: null,
    nonce: null,
    uuid: null,
    hotkey: null,
    signature: null,
  };
}

const INT_TEXT = /^\s*[+-]?\d+(_\d+)*\s*$/;
const FLOAT_TEXT = /^\s*[+-]?(\d+(_\d+)*(\.(\d+(_\d+)*)?)?|\.\d+(_\d+)*)([eE][+-]?\d+)?\s*$|^\s*[+-]?(inf|infinity|nan)\s*$/i;

/** Python `int(raw)` for header strings and JSON values; throws TypeError when Python would raise. */
export function pythonInt(raw: unknown): bigint {
  if (typeof raw === 'bigint') return raw;
  if (typeof raw === 'boolean') return raw ? 1n : 0n;
  if (typeof raw === 'number' && Number.isFinite(raw)) return BigInt(Math.trunc(raw));
  if (typeof raw === 'string' && INT_TEXT.test(raw)) return BigInt(raw.trim().replace(/_/g, ''));
  throw new TypeError(`invalid literal for int(): ${JSON.stringify(String(raw)).slice(0, 60)}`);
}

/** Python `float(raw)`. */
export function pythonFloat(raw: unknown): number {
  if (typeof raw === 'number') return raw;
  if (typeof raw === 'bigint') return Number(raw);
  if (typeof raw === 'boolean') return raw ? 1 : 0;
  if (typeof raw === 'string' && FLOAT_TEXT.test(raw)) {
    const t = raw.trim().replace(/_/g, '').toLowerCase();
    if (t.endsWith('nan')) return NaN;
    if (t.endsWith('inf') || t.endsWith('infinity')) return t.startsWith('-') ? -Infinity : Infinity;
    return Number(t);
  }
  throw new TypeError(`could not convert string to float: ${JSON.stringify(String(raw)).slice(0, 60)}`);
}

function smallInt(raw: unknown): number {
  return Number(pythonInt(raw));
}

function optStr(raw: unknown, field: string): string {
  if (typeof raw === 'string') return raw;
  throw new TypeError(`${field}: Input should be a valid string`);
}

/** Sets one field from a raw value with the field's before-validator (`int(raw)`, `float(raw)`). */
export function setTerminalField(t: TerminalInfo, field: TerminalField, raw: unknown): void {
  if (raw === null || raw === undefined) {
    t[field] = null as never;
    return;
  }
  switch (field) {
    case 'status_code':
    case 'port':
    case 'version':
      t[field] = smallInt(raw);
      return;
    case 'nonce':
      t.nonce = pythonInt(raw);
      return;
    case 'process_time':
      t.process_time = pythonFloat(raw);
      return;
    default:
      t[field] = optStr(raw, field);
  }
}

/** Validates a JSON value (a dict, or None) into a TerminalInfo as pydantic would. */
export function terminalFromPy(v: PyValue | undefined, path: string): TerminalInfo {
  const t = emptyTerminal();
  if (v === null || v === undefined) return t;
  if (!isPyDict(v)) throw new TypeError(`${path}: Input should be a valid dictionary`);
  for (const f of TERMINAL_FIELDS) {
    try {
      setTerminalField(t, f, v.get(f));
    } catch (e) {
      throw new TypeError(`${path}.${(e as Error).message.startsWith(f) ? '' : `${f}: `}${(e as Error).message}`);
    }
  }
  return t;
}

export function terminalToPy(t: TerminalInfo): PyDict {
  const out: PyDict = new Map();
  for (const f of TERMINAL_FIELDS) {
    const v = t[f];
    if (v === null) out.set(f, null);
    else if (f === 'process_time') out.set(f, v as number);
    else if (typeof v === 'number') out.set(f, BigInt(v));
    else out.set(f, v as string | bigint);
  }
  return out;
}
