import { describe, expect, it } from 'vitest';
import { parseExact, stringifyExact } from '../../src/targets/exact-json.js';

describe('targets: JSON with exact integers', () => {
  it('writes bigints as bare integer literals', () => {
    const text = stringifyExact({ stake: 1152921504606846976n, small: 5n, n: 1, s: 'x' }, 0);
    expect(text).toBe('{"stake":1152921504606846976,"small":5,"n":1,"s":"x"}');
  });

  it('does not touch strings that look like the placeholder', () => {
    const text = stringifyExact({ a: '\u0000bigint:0', b: 2n }, 0);
    expect(JSON.parse(text)).toEqual({ a: '\u0000bigint:0', b: 2 });
  });

  it('reads back integers beyond 2^53 as bigint, others as plain JSON', () => {
    const v = parseExact('{"a":18446744073709551615,"b":[1,-2,3.5,1e3,true,false,null],"c":"q\\"\\u00e9","d":9007199254740991}');
    expect(v).toEqual({ a: 18446744073709551615n, b: [1, -2, 3.5, 1000, true, false, null], c: 'q"é', d: 9007199254740991 });
  });

  it('round-trips', () => {
    const value = { list: [{ x: (1n << 100n) + 1n }], y: 'z' };
    expect(parseExact(stringifyExact(value))).toEqual(value);
  });

  it('rejects malformed text', () => {
    for (const bad of ['{', '{"a":}', '[1,]', '{"a":1} x', "{'a':1}", '"open']) {
      expect(() => parseExact(bad), bad).toThrow(SyntaxError);
    }
  });
});
