/** `--uid` values: numbers, comma lists and inclusive ranges (`1,5,10-20`), repeatable. */
import { UsageError } from '../errors.js';

const MAX_UID = 65535; // uids are u16 on chain

export function parseUidList(specs: readonly string[]): number[] {
  const seen = new Set<number>();
  const out: number[] = [];
  const add = (u: number) => {
    if (!seen.has(u)) {
      seen.add(u);
      out.push(u);
    }
  };
  for (const spec of specs) {
    for (const raw of String(spec).split(',')) {
      const part = raw.trim();
      if (part === '') continue;
      const m = /^(\d+)(?:\s*-\s*(\d+))?$/.exec(part);
      if (!m) throw bad(spec, `"${part}" is not a uid or a range`);
      const lo = Number(m[1]);
      const hi = m[2] === undefined ? lo : Number(m[2]);
      if (lo > MAX_UID || hi > MAX_UID) throw bad(spec, `uids go up to ${MAX_UID}`);
      if (hi < lo) throw bad(spec, `range "${part}" runs backwards`);
      for (let u = lo; u <= hi; u++) add(u);
    }
  }
  if (out.length === 0 && specs.length > 0) throw bad(specs.join(' '), 'no uid given');
  return out;
}

function bad(spec: string, why: string): UsageError {
  return new UsageError('bad_uid', `--uid "${spec}": ${why}; use numbers, lists and ranges like 1,5,10-20`);
}
