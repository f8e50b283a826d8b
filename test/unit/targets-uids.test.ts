import { describe, expect, it } from 'vitest';
import { parseUidList } from '../../src/targets/uids.js';

describe('targets: --uid lists and ranges', () => {
  it('parses numbers, lists and inclusive ranges, repeated flags, without duplicates', () => {
    expect(parseUidList(['42'])).toEqual([42]);
    expect(parseUidList(['1,5,10-13'])).toEqual([1, 5, 10, 11, 12, 13]);
    expect(parseUidList(['3', '1-3', ' 7 , 0 '])).toEqual([3, 1, 2, 7, 0]);
    expect(parseUidList(['65535'])).toEqual([65535]);
  });

  it('rejects what is not a uid, with a usage error naming the input', () => {
    for (const bad of ['x', '1,,a', '5-2', '-1', '1.5', '65536', '', '0-70000']) {
      expect(() => parseUidList([bad]), bad).toThrow(expect.objectContaining({ kind: 'usage', code: 'bad_uid' }));
    }
    expect(() => parseUidList(['5-2'])).toThrow(/--uid "5-2".*1,5,10-20/);
  });
});
