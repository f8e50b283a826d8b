/**
 * CPython as an oracle for the fuzz tests, when a `python3` is on the PATH
 * (the tests that need it are skipped otherwise). One process per batch:
 * thousands of inputs in, thousands of answers out, as JSON.
 */
import { spawnSync } from 'node:child_process';
import type { PyValue } from '../../src/synapse/pyvalue.js';

export const hasPython = spawnSync('python3', ['-c', 'import sys; sys.exit(0 if sys.version_info >= (3, 9) else 1)']).status === 0;

/** Runs `script` with `input` (JSON) on stdin; the script prints JSON. */
export function python<T>(script: string, input: unknown): T {
  const r = spawnSync('python3', ['-c', script], { input: JSON.stringify(input), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: 60_000 });
  if (r.status !== 0) throw new Error(`python3 failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

/**
 * A PyValue as tagged JSON Python can rebuild exactly: ints as decimal text,
 * floats as IEEE-754 bits (so 1.0 stays a float and -0.0 keeps its sign).
 */
export function tag(v: PyValue): unknown {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'bigint') return { i: v.toString() };
  if (typeof v === 'number') {
    const b = Buffer.alloc(8);
    b.writeDoubleBE(v);
    return { f: b.toString('hex') };
  }
  if (Array.isArray(v)) return { l: v.map(tag) };
  return { d: [...v].map(([k, x]) => [k, tag(x)]) };
}

/** Python side of `tag`: defines `untag(x)`. */
export const UNTAG = `
import json, sys, struct, hashlib
def untag(x):
    if x is None or isinstance(x, (bool, str)):
        return x
    if 'i' in x: return int(x['i'])
    if 'f' in x: return struct.unpack('>d', bytes.fromhex(x['f']))[0]
    if 'l' in x: return [untag(e) for e in x['l']]
    return {k: untag(v) for k, v in x['d']}
`;
