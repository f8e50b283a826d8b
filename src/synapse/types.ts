/**
 * Field types in Python annotation syntax (SCHEMA.md) and coercion of values
 * the way the axon's pydantic (lax mode) coerces them. The coerced value is
 * what we send and hash, so `1` in a float field becomes the float 1.0.
 */
import { SchemaError } from '../errors.js';
import type { PyDict, PyValue } from './pyvalue.js';
import { isPyDict } from './pyvalue.js';

export type FieldType =
  | { kind: 'str' }
  | { kind: 'int' }
  | { kind: 'float' }
  | { kind: 'bool' }
  | { kind: 'any' }
  | { kind: 'list'; item: FieldType }
  | { kind: 'dict'; value: FieldType }
  | { kind: 'optional'; inner: FieldType };

const ANY: FieldType = { kind: 'any' };

/** Parses `str`, `int`, `float`, `bool`, `Any`, `list[T]`, `dict[str, T]`, `Optional[T]`, `T | None` (nested). */
export function parseFieldType(text: string): FieldType {
  let i = 0;
  const src = text.replace(/\s+/g, '');
  const fail = (): never => {
    throw new SchemaError('ERR_SCHEMA_TYPE', `unsupported field type "${text}": use str, int, float, bool, Any, list[T], dict[str, T], Optional[T] or T | None`);
  };
  const ident = (): string => {
    const m = /[A-Za-z_][A-Za-z0-9_.]*/y;
    m.lastIndex = i;
    const r = m.exec(src);
    if (!r) fail();
    i = m.lastIndex;
    return r![0];
  };
  const union = (): FieldType => {
    const parts: FieldType[] = [];
    let hasNone = false;
    for (;;) {
      if (src.startsWith('None', i) && !/[A-Za-z0-9_]/.test(src[i + 4] ?? '')) {
        i += 4;
        hasNone = true;
      } else parts.push(one());
      if (src[i] !== '|') break;
      i++;
    }
    if (parts.length !== 1) fail();
    return hasNone ? optional(parts[0]!) : parts[0]!;
  };
  const optional = (t: FieldType): FieldType => (t.kind === 'optional' || t.kind === 'any' ? t : { kind: 'optional', inner: t });
  const args = (): FieldType[] => {
    if (src[i] !== '[') return [];
    i++;
    const out = [union()];
    while (src[i] === ',') {
      i++;
      out.push(union());
    }
    if (src[i] !== ']') fail();
    i++;
    return out;
  };
  const one = (): FieldType => {
    const name = ident().replace(/^(typing|t|builtins)\./, '');
    const a = args();
    switch (name) {
      case 'str':
      case 'int':
      case 'float':
      case 'bool':
        if (a.length) fail();
        return { kind: name };
      case 'Any':
      case 'object':
        if (a.length) fail();
        return ANY;
      case 'list':
      case 'List':
        if (a.length > 1) fail();
        return { kind: 'list', item: a[0] ?? ANY };
      case 'dict':
      case 'Dict':
        if (a.length === 0) return { kind: 'dict', value: ANY };
        if (a.length !== 2 || a[0]!.kind !== 'str') fail();
        return { kind: 'dict', value: a[1]! };
      case 'Optional':
        if (a.length !== 1) fail();
        return optional(a[0]!);
      default:
        return fail();
    }
  };
  const t = union();
  if (i !== src.length) fail();
  return t;
}

export function formatFieldType(t: FieldType): string {
  switch (t.kind) {
    case 'any':
      return 'Any';
    case 'list':
      return `list[${formatFieldType(t.item)}]`;
    case 'dict':
      return `dict[str, ${formatFieldType(t.value)}]`;
    case 'optional':
      return `Optional[${formatFieldType(t.inner)}]`;
    default:
      return t.kind;
  }
}

/** Whether None is a valid value (pydantic: only Optional and Any). */
export function allowsNone(t: FieldType): boolean {
  return t.kind === 'optional' || t.kind === 'any';
}

/** A value that does not fit a type: the path names where (`field[2].key`). */
export class CoercionError extends Error {
  constructor(readonly path: string, readonly expected: string, readonly got: string) {
    super(`${path}: expected ${expected}, got ${got}`);
  }
}

function describe(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'bigint') return `int ${v}`;
  if (typeof v === 'number') return Number.isInteger(v) ? `number ${v}` : `float ${v}`;
  if (typeof v === 'string') return `str ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  if (typeof v === 'boolean') return `bool ${v ? 'true' : 'false'}`;
  if (Array.isArray(v)) return 'list';
  return 'dict';
}

const TRUE_STRINGS = new Set(['1', 'on', 't', 'true', 'y', 'yes']);
const FALSE_STRINGS = new Set(['0', 'off', 'f', 'false', 'n', 'no']);
const INT_STRING = /^\s*[+-]?\d+(_\d+)*\s*$/;
const FLOAT_STRING = /^\s*[+-]?(\d+(_\d+)*(\.(\d+(_\d+)*)?)?|\.\d+(_\d+)*)([eE][+-]?\d+)?\s*$/;

/**
 * Converts a plain JS or PyValue input to the PyValue pydantic would store
 * for type `t`. JS numbers count as ints when integral (in Any fields),
 * objects become dicts. Throws CoercionError.
 */
export function coerce(t: FieldType, v: unknown, path: string): PyValue {
  if (v === undefined) v = null;
  switch (t.kind) {
    case 'optional':
      return v === null ? null : coerce(t.inner, v, path);
    case 'any':
      return normalisePy(v, path);
    case 'str':
      if (typeof v === 'string') return v;
      break;
    case 'int':
      if (typeof v === 'bigint') return v;
      if (typeof v === 'number' && Number.isFinite(v) && Number.isInteger(v)) return BigInt(v);
      if (typeof v === 'boolean') return v ? 1n : 0n;
      if (typeof v === 'string' && INT_STRING.test(v)) return BigInt(v.trim().replace(/_/g, ''));
      if (typeof v === 'number' && Number.isFinite(v)) throw new CoercionError(path, 'int', `${describe(v)} with a fractional part`);
      break;
    case 'float':
      if (typeof v === 'number') {
        if (!Number.isFinite(v)) throw new CoercionError(path, 'a finite float', describe(v));
        return v;
      }
      if (typeof v === 'bigint') {
        const f = Number(v);
        if (!Number.isFinite(f)) throw new CoercionError(path, 'float', `${describe(v)} (too large)`);
        return f;
      }
      if (typeof v === 'boolean') return v ? 1 : 0;
      if (typeof v === 'string' && FLOAT_STRING.test(v)) return Number(v.trim().replace(/_/g, ''));
      break;
    case 'bool':
      if (typeof v === 'boolean') return v;
      if ((typeof v === 'bigint' || typeof v === 'number') && (v == 0 || v == 1)) return v == 1;
      if (typeof v === 'string') {
        const s = v.trim().toLowerCase();
        if (TRUE_STRINGS.has(s)) return true;
        if (FALSE_STRINGS.has(s)) return false;
      }
      break;
    case 'list':
      if (Array.isArray(v)) return v.map((x, idx) => coerce(t.item, x, `${path}[${idx}]`));
      break;
    case 'dict': {
      const entries = dictEntries(v);
      if (entries) {
        const out: PyDict = new Map();
        for (const [k, x] of entries) out.set(k, coerce(t.value, x, `${path}.${k}`));
        return out;
      }
      break;
    }
  }
  throw new CoercionError(path, formatFieldType(t), describe(v));
}

function dictEntries(v: unknown): Iterable<[string, unknown]> | undefined {
  if (isPyDict(v)) return v.entries();
  if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype) {
    return Object.entries(v as Record<string, unknown>);
  }
  return undefined;
}

/**
 * Plain JS -> PyValue for library callers: an integral JS number becomes an
 * int (JS cannot tell 1 from 1.0; pass a float field's value and it turns
 * back into a float there). Objects become dicts.
 */
export function toPyValue(v: unknown, path = 'value'): PyValue {
  return convert(v, path, true);
}

/** A value already in PyValue form (numbers are floats), with plain objects accepted as dicts. */
export function normalisePy(v: unknown, path = 'value'): PyValue {
  return convert(v, path, false);
}

function convert(v: unknown, path: string, integralNumbersAreInts: boolean): PyValue {
  if (v === null || v === undefined) return null;
  switch (typeof v) {
    case 'boolean':
    case 'bigint':
    case 'string':
      return v;
    case 'number':
      if (!Number.isFinite(v)) throw new CoercionError(path, 'a finite number', describe(v));
      return integralNumbersAreInts && Number.isSafeInteger(v) ? BigInt(v) : v;
  }
  if (Array.isArray(v)) return v.map((x, i) => convert(x, `${path}[${i}]`, integralNumbersAreInts));
  const entries = dictEntries(v);
  if (entries) {
    const out: PyDict = new Map();
    for (const [k, x] of entries) out.set(k, convert(x, `${path}.${k}`, integralNumbersAreInts));
    return out;
  }
  throw new CoercionError(path, 'a JSON value', typeof v);
}

/** PyValue -> plain JS for library users: ints stay bigint, dicts become objects. */
export function fromPyValue(v: PyValue): unknown {
  if (Array.isArray(v)) return v.map(fromPyValue);
  if (isPyDict(v)) {
    const o: Record<string, unknown> = {};
    for (const [k, x] of v) o[k] = fromPyValue(x);
    return o;
  }
  return v;
}
