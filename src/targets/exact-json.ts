/**
 * JSON with exact integers. Stake (rao) and other u64/u128 values pass 2^53,
 * where JSON.parse/JSON.stringify silently round. We write bigints as bare
 * integer literals and read any integer literal outside the safe range back
 * as a bigint (parsing is `parsePyJson`'s; Node 20 has no JSON.parse source-text access).
 */
import { parsePyJson } from '../synapse/pyjson.js';
import { isPyDict, type PyValue } from '../synapse/pyvalue.js';

/** Like JSON.stringify(value, null, indent), with bigints as exact integer literals. */
export function stringifyExact(value: unknown, indent = 2): string {
  const marks = new Map<string, string>();
  let n = 0;
  const tag = `\u0000bigint${Math.random().toString(36).slice(2)}:`;
  const text = JSON.stringify(
    value,
    (_k, v) => {
      if (typeof v !== 'bigint') return v;
      const key = `${tag}${n++}`;
      marks.set(key, v.toString());
      return key;
    },
    indent,
  );
  if (marks.size === 0) return text;
  // Each placeholder is a unique JSON string; swap it (quotes included) for the digits.
  return text.replace(/"\\u0000bigint[a-z0-9]+:\d+"/g, (m) => marks.get(JSON.parse(m) as string) ?? m);
}

/** JSON.parse, except that integers beyond ±(2^53-1) come back as bigint. */
export function parseExact(text: string): unknown {
  let v;
  try {
    v = parsePyJson(text);
  } catch (e) {
    throw new SyntaxError(`invalid JSON: ${(e as Error).message}`);
  }
  return plain(v);
}

/** PyValue -> plain JS: safe ints as numbers, larger ones as bigint, dicts as objects. */
function plain(v: PyValue): unknown {
  if (typeof v === 'bigint') return v >= -MAX_SAFE && v <= MAX_SAFE ? Number(v) : v;
  if (Array.isArray(v)) return v.map(plain);
  if (isPyDict(v)) {
    const o: Record<string, unknown> = {};
    for (const [k, x] of v) o[k] = plain(x);
    return o;
  }
  return v;
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
