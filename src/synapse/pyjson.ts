/**
 * JSON in and out with Python's semantics. Parsing keeps ints (bigint, exact
 * beyond 2^53) apart from floats (number), and dicts ordered (Map). Writing
 * reproduces `json.dumps` byte for byte: the default `", "`/`": "` form with
 * ensure_ascii (what aiohttp sends), and the compact non-ASCII form FastAPI
 * answers with.
 */
import type { PyDict, PyValue } from './pyvalue.js';
import { floatRepr } from './pyrepr.js';

export class PyJsonError extends SyntaxError {
  constructor(message: string, readonly position: number) {
    super(message);
  }
}

/** Parses JSON text into PyValues. Accepts NaN/Infinity like Python's json.loads. */
export function parsePyJson(text: string): PyValue {
  let i = 0;
  const n = text.length;
  const fail = (what: string): never => {
    throw new PyJsonError(`${what} at char ${i}`, i);
  };
  const ws = (): void => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else break;
    }
  };
  const str = (): string => {
    i++; // opening quote
    let out = '';
    let start = i;
    for (;;) {
      if (i >= n) fail('Unterminated string');
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        out += text.slice(start, i);
        i++;
        return out;
      }
      if (c === 0x5c) {
        out += text.slice(start, i);
        const e = text[i + 1];
        i += 2;
        switch (e) {
          case '"': out += '"'; break;
          case '\\': out += '\\'; break;
          case '/': out += '/'; break;
          case 'b': out += '\b'; break;
          case 'f': out += '\f'; break;
          case 'n': out += '\n'; break;
          case 'r': out += '\r'; break;
          case 't': out += '\t'; break;
          case 'u': {
            const h = text.slice(i, i + 4);
            if (!/^[0-9a-fA-F]{4}$/.test(h)) fail('Invalid \\uXXXX escape');
            out += String.fromCharCode(parseInt(h, 16));
            i += 4;
            break;
          }
          default:
            fail('Invalid \\escape');
        }
        start = i;
        continue;
      }
      if (c < 0x20) fail('Invalid control character');
      i++;
    }
  };
  const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
  // -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?, scanned by hand (no regex match array per number).
  const num = (): PyValue => {
    const start = i;
    let j = i;
    if (text.charCodeAt(j) === 0x2d) j++;
    const first = text.charCodeAt(j);
    if (first === 0x30) j++;
    else if (first >= 0x31 && first <= 0x39) {
      j++;
      while (j < n && isDigit(text.charCodeAt(j))) j++;
    } else return fail('Expecting value');
    let float = false;
    if (text.charCodeAt(j) === 0x2e && isDigit(text.charCodeAt(j + 1))) {
      float = true;
      j += 2;
      while (j < n && isDigit(text.charCodeAt(j))) j++;
    }
    const e = text.charCodeAt(j);
    if (e === 0x65 || e === 0x45) {
      let k = j + 1;
      const sign = text.charCodeAt(k);
      if (sign === 0x2b || sign === 0x2d) k++;
      if (isDigit(text.charCodeAt(k))) {
        float = true;
        k++;
        while (k < n && isDigit(text.charCodeAt(k))) k++;
        j = k;
      }
    }
    i = j;
    const lit = text.slice(start, j);
    return float ? Number(lit) : BigInt(lit);
  };
  const value = (depth: number): PyValue => {
    if (depth > 1000) fail('Nesting too deep');
    ws();
    const c = text.charCodeAt(i);
    if (c === 0x7b /* { */) {
      i++;
      const obj: PyDict = new Map();
      ws();
      if (text.charCodeAt(i) === 0x7d) {
        i++;
        return obj;
      }
      for (;;) {
        ws();
        if (text.charCodeAt(i) !== 0x22) fail('Expecting property name enclosed in double quotes');
        const k = str();
        ws();
        if (text.charCodeAt(i) !== 0x3a) fail("Expecting ':' delimiter");
        i++;
        obj.set(k, value(depth + 1));
        ws();
        const d = text.charCodeAt(i);
        if (d === 0x2c) {
          i++;
          continue;
        }
        if (d === 0x7d) {
          i++;
          return obj;
        }
        fail("Expecting ',' delimiter");
      }
    }
    if (c === 0x5b /* [ */) {
      i++;
      const arr: PyValue[] = [];
      ws();
      if (text.charCodeAt(i) === 0x5d) {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(value(depth + 1));
        ws();
        const d = text.charCodeAt(i);
        if (d === 0x2c) {
          i++;
          continue;
        }
        if (d === 0x5d) {
          i++;
          return arr;
        }
        fail("Expecting ',' delimiter");
      }
    }
    if (c === 0x22) return str();
    if (c === 0x74 && text.startsWith('true', i)) return (i += 4), true;
    if (c === 0x66 && text.startsWith('false', i)) return (i += 5), false;
    if (c === 0x6e && text.startsWith('null', i)) return (i += 4), null;
    if (c === 0x4e && text.startsWith('NaN', i)) return (i += 3), NaN;
    if (c === 0x49 && text.startsWith('Infinity', i)) return (i += 8), Infinity;
    if (c === 0x2d && text.startsWith('-Infinity', i)) return (i += 9), -Infinity;
    return num();
  };
  const v = value(0);
  ws();
  if (i !== n) fail('Extra data');
  return v;
}

const SHORT_ESCAPES: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

function u4(c: number): string {
  return `\\u${c.toString(16).padStart(4, '0')}`;
}

const NEEDS_ESCAPE_ASCII = /[\\"]|[^ -~]/;
const NEEDS_ESCAPE = /[\\"\x00-\x1f]/;

/** A JSON string literal as Python writes it; `ensureAscii` escapes everything outside ' '..'~'. */
export function pyJsonString(s: string, ensureAscii: boolean): string {
  // Fast path (most keys and values): nothing to escape, no regex replace.
  if (!(ensureAscii ? NEEDS_ESCAPE_ASCII : NEEDS_ESCAPE).test(s)) return `"${s}"`;
  const re = ensureAscii ? /[\\"]|[^ -~]/g : /[\\"\x00-\x1f]/g;
  return `"${s.replace(re, (ch) => SHORT_ESCAPES[ch] ?? u4(ch.charCodeAt(0)))}"`;
}

export interface DumpOptions {
  /** Python json.dumps default form (aiohttp's request body): ", " and ": ", ensure_ascii. */
  style: 'python' | 'compact';
}

/**
 * `json.dumps(value)`: style "python" is the default call (what the Python
 * dendrite sends); "compact" is `separators=(",",":")`, `ensure_ascii=False`
 * (FastAPI's JSONResponse, what a Python axon answers).
 */
export function dumpPyJson(v: PyValue, style: DumpOptions['style'] = 'python'): string {
  const ascii = style === 'python';
  const item = style === 'python' ? ', ' : ',';
  const kv = style === 'python' ? ': ' : ':';
  const go = (x: PyValue): string => {
    if (x === null) return 'null';
    switch (typeof x) {
      case 'boolean':
        return x ? 'true' : 'false';
      case 'bigint':
        return x.toString();
      case 'number':
        if (Number.isNaN(x)) return 'NaN';
        if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
        return floatRepr(x);
      case 'string':
        return pyJsonString(x, ascii);
    }
    if (Array.isArray(x)) return `[${x.map(go).join(item)}]`;
    const parts: string[] = [];
    for (const [k, val] of x) parts.push(`${pyJsonString(k, ascii)}${kv}${go(val)}`);
    return `{${parts.join(item)}}`;
  };
  return go(v);
}

/**
 * JSON for users (CLI `--json`): UTF-8 text, ints as exact integer literals,
 * floats in Python repr, NaN/Infinity as null (valid JSON for jq), and
 * `undefined` entries of a dict left out. `indent` > 0 pretty-prints.
 */
export function toUserJson(v: PyValue, indent = 0): string {
  // JSON leaves DEL and the C1 controls (U+0080-U+009F, e.g. U+009B, a one-character
  // CSI that many terminals obey) raw; escape them too, so axon text printed as
  // JSON cannot drive a terminal. Same value for any JSON reader.
  const str = (s: string): string => pyJsonString(s, false).replace(/[\x7f-\x9f]/g, (c) => u4(c.charCodeAt(0)));
  const go = (x: PyValue, depth: number): string => {
    if (typeof x === 'number' && !Number.isFinite(x)) return 'null';
    if (typeof x === 'string') return str(x);
    if (x === null || typeof x !== 'object') return dumpPyJson(x, 'compact');
    const pad = indent > 0 ? `\n${' '.repeat(indent * (depth + 1))}` : '';
    const end = indent > 0 ? `\n${' '.repeat(indent * depth)}` : '';
    const sep = indent > 0 ? ': ' : ':';
    if (Array.isArray(x)) {
      if (x.length === 0) return '[]';
      return `[${x.map((e) => pad + go(e, depth + 1)).join(',')}${end}]`;
    }
    if (x.size === 0) return '{}';
    const parts: string[] = [];
    for (const [k, val] of x) parts.push(`${pad}${str(k)}${sep}${go(val, depth + 1)}`);
    return `{${parts.join(',')}${end}}`;
  };
  return go(v, 0);
}
