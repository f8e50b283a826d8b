/**
 * The pure renderers of the CLI's sweep UX: summary (counts, percentiles,
 * slowest, failing), sort/filter, fitting the table to a terminal width,
 * watch diffs, and -v timings.
 */
import { describe, expect, it } from 'vitest';
import type { CallResult } from '../../src/dendrite/dendrite.js';
import { SYNAPSE_SCHEMA } from '../../src/synapse/schema.js';
import { Synapse } from '../../src/synapse/synapse.js';
import { filterResults, fitWidths, renderResultsTable, sortResults } from '../../src/render/results.js';
import { percentile, renderSummary, summarize, summaryToPy } from '../../src/render/summary.js';
import { changesToPy, diffSweeps, renderChanges } from '../../src/render/watch.js';
import { renderTiming } from '../../src/render/timing.js';
import { toUserJson } from '../../src/synapse/pyjson.js';

const HK = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty';

function result(uid: number | undefined, statusCode: number | null, latencyMs: number, reason = statusCode === 200 ? 'ok' : 'timeout', message?: string): CallResult {
  return {
    target: { ip: '10.0.0.1', port: 8000 + (uid ?? 0), hotkey: HK, uid },
    synapse: Synapse.create(SYNAPSE_SCHEMA),
    statusCode,
    statusMessage: message ?? (statusCode === 200 ? 'Success' : `failed ${statusCode}`),
    reason: reason as CallResult['reason'],
    latencyMs,
    processTime: null,
  };
}

const ANSI = /\x1b\[/;

describe('summarize', () => {
  const rs = [
    result(0, 200, 10),
    result(1, 200, 30),
    result(2, 408, 12000),
    result(3, 200, 20),
    result(4, 503, 5, 'refused'),
    result(5, 408, 12000),
    result(6, 200, 40),
  ];
  const s = summarize(rs, 2);

  it('counts by status and reason, most frequent first', () => {
    expect(s).toMatchObject({ total: 7, ok: 4, failed: 3 });
    expect(s.byStatus.map((c) => [c.statusCode, c.reason, c.count])).toEqual([
      [200, 'ok', 4],
      [408, 'timeout', 2],
      [503, 'refused', 1],
    ]);
  });

  it('takes latency percentiles of the 200 answers only (nearest rank)', () => {
    expect(s.latency).toEqual({ min: 10, p50: 20, p90: 40, p99: 40, max: 40 });
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50)).toBe(5);
    expect(summarize([result(0, 408, 5)]).latency).toBeNull();
  });

  it('names the slowest ok and every failing uid', () => {
    expect(s.slowest.map((a) => a.uid)).toEqual([6, 1]);
    expect(s.failing.map((a) => a.uid)).toEqual([2, 4, 5]);
  });

  it('renders text without ANSI when colour is off, with it when on', () => {
    const text = renderSummary(s, { color: false });
    expect(text).not.toMatch(ANSI);
    expect(text).toContain('7 axons: 4 ok, 3 failed');
    expect(text).toMatch(/\[4\] 200 ok/);
    expect(text).toMatch(/\[2\] 408 timeout failed 408/);
    expect(text).toContain('min 10.0 ms  p50 20.0 ms  p90 40.0 ms  p99 40.0 ms  max 40.0 ms');
    expect(text).toContain('slowest: uid 6 (40.0 ms), uid 1 (30.0 ms)');
    expect(text).toContain('Failing: uid 2 (408 timeout), uid 4 (503 refused), uid 5 (408 timeout)');
    expect(renderSummary(s, { color: true })).toMatch(ANSI);
  });

  it('lists at most maxFailing failing axons and counts the rest', () => {
    expect(renderSummary(s, { color: false, maxFailing: 1 })).toContain('Failing: uid 2 (408 timeout), and 2 more');
  });

  it('is JSON with snake_case keys and exact integers', () => {
    const doc = JSON.parse(toUserJson(summaryToPy(s)));
    expect(doc).toMatchObject({ total: 7, ok: 4, failed: 3, latency_ms: { p50: 20 } });
    expect(doc.by_status[0]).toEqual({ status_code: 200, reason: 'ok', status_message: 'Success', count: 4 });
    expect(doc.failing.map((f: { uid: number }) => f.uid)).toEqual([2, 4, 5]);
  });

  it('escapes control characters an axon put in its message', () => {
    const text = renderSummary(summarize([result(0, 500, 1, 'http_error', 'bad\x1b[2Jthing')]), { color: false });
    expect(text).not.toMatch(ANSI);
    expect(text).toContain('bad\\x1b[2Jthing');
  });
});

describe('sort and filter (table only)', () => {
  const rs = [result(3, 408, 50), result(1, 200, 30), result(2, 200, 10), result(0, 503, 1, 'refused')];
  it('--sort latency: fastest first', () => {
    expect(sortResults(rs, 'latency').map((r) => r.target.uid)).toEqual([0, 2, 1, 3]);
  });
  it('--sort uid', () => {
    expect(sortResults(rs, 'uid').map((r) => r.target.uid)).toEqual([0, 1, 2, 3]);
  });
  it('--sort status: 200 first, then by code', () => {
    expect(sortResults(rs, 'status').map((r) => r.statusCode)).toEqual([200, 200, 408, 503]);
  });
  it('--only failed / ok', () => {
    expect(filterResults(rs, 'failed').map((r) => r.target.uid)).toEqual([3, 0]);
    expect(filterResults(rs, 'ok').map((r) => r.target.uid)).toEqual([1, 2]);
  });
  it('does not change the input order', () => {
    sortResults(rs, 'uid');
    expect(rs.map((r) => r.target.uid)).toEqual([3, 1, 2, 0]);
  });
});

describe('table width', () => {
  const long = [result(1, 500, 12.5, 'http_error', 'x'.repeat(150)), result(2, 200, 3)];
  const widest = (t: string): number => Math.max(...t.split('\n').map((l) => [...l].length));

  it('fits the terminal width by clipping messages, never wrapping rows', () => {
    for (const cols of [70, 80, 100]) {
      const t = renderResultsTable(long, { color: false, maxWidth: cols });
      expect(widest(t)).toBeLessThanOrEqual(cols);
      expect(t.split('\n')).toHaveLength(5); // top border, head, 2 rows, bottom border
      expect(t).toContain('…');
    }
  });

  it('--wide shows everything: full hotkey and message', () => {
    const t = renderResultsTable(long, { color: false, wide: true, maxWidth: 60 });
    expect(t).toContain(HK);
    expect(t).toContain('x'.repeat(150));
  });

  it('shortens hotkeys unless wide', () => {
    expect(renderResultsTable(long, { color: false })).toContain('5FHneW46…94ty');
  });

  it('fitWidths shrinks the widest shrinkable column first, not below its minimum', () => {
    expect(fitWidths([5, 40, 20], new Map([[1, 5], [2, 5]]), 50)).toEqual([5, 17, 18]);
    expect(fitWidths([5, 40, 20], new Map([[1, 30]]), 10)).toEqual([5, 30, 20]);
  });
});

describe('watch diff', () => {
  const a = [result(1, 200, 5), result(2, 408, 100), result(3, 200, 5), result(4, 200, 5)];
  const b = [result(1, 408, 100), result(2, 200, 5), result(3, 200, 6), result(5, 200, 5)];
  const changes = diffSweeps(a, b);

  it('reports newly down, recovered, new and gone axons, and nothing for the unchanged', () => {
    expect(changes.map((c) => [c.kind, c.uid])).toEqual([
      ['down', 1],
      ['recovered', 2],
      ['new', 5],
      ['gone', 4],
    ]);
    expect(diffSweeps(undefined, b)).toEqual([]);
    expect(diffSweeps(b, b)).toEqual([]);
  });

  it('a status change that is still a failure is reported as a status change', () => {
    expect(diffSweeps([result(1, 408, 1)], [result(1, 503, 1, 'refused')]).map((c) => c.kind)).toEqual(['status']);
  });

  it('renders one line per change, and JSON', () => {
    const text = renderChanges(changes, { color: false });
    expect(text.split('\n')).toHaveLength(4);
    expect(text).toMatch(/▼ down\s+uid 1 \(200 → 408 timeout\)/);
    expect(text).toMatch(/▲ recovered\s+uid 2 \(408 → 200 ok\)/);
    expect(renderChanges([], { color: false })).toBe('no changes since the last sweep');
    expect(JSON.parse(toUserJson(changesToPy(changes)))[0]).toEqual({ kind: 'down', uid: 1, hotkey: HK, address: '10.0.0.1:8001', from: 200, to: 408, reason: 'timeout' });
  });
});

describe('-v request timings', () => {
  it('prints the headers and every phase, and never a secret-looking header', () => {
    const text = renderTiming({
      target: { ip: '127.0.0.1', port: 1 },
      url: 'http://127.0.0.1:1/Synapse',
      headers: { name: 'Synapse', bt_header_dendrite_signature: '0xabc', authorization: 'Bearer x' },
      attempt: 2,
      statusCode: 200,
      reason: 'ok',
      queueMs: 1,
      connectMs: 2,
      firstByteMs: 3.25,
      totalMs: 4,
    });
    expect(text).toContain('> POST http://127.0.0.1:1/Synapse (attempt 2)');
    expect(text).toContain('> bt_header_dendrite_signature: 0xabc');
    expect(text).not.toContain('Bearer');
    expect(text).toContain('< 200 ok  queue 1.0 ms  connect 2.0 ms  first byte 3.3 ms  total 4.0 ms');
  });
});

describe('listSubnets (the subnet prompt)', () => {
  const key = (n: number) => ({ args: [{ toString: () => String(n) }] });
  const bytes = (s: string) => ({ toU8a: () => new TextEncoder().encode(s) });
  const api = (identities: Record<string, unknown>) =>
    ({
      query: {
        subtensorModule: {
          networksAdded: { entries: async () => [[key(7), { isTrue: true }], [key(0), { isTrue: true }], [key(3), { isTrue: false }], [key(1), { isTrue: true }]] },
          ...identities,
        },
      },
    }) as never;

  it('lists the added netuids in order, named from SubnetIdentitiesV3 where set (control characters dropped)', async () => {
    const { listSubnets } = await import('../../src/chain/subnets.js');
    const ids = {
      subnetIdentitiesV3: {
        entries: async () => [
          [key(1), { isSome: true, unwrap: () => ({ subnetName: bytes('Apex\x1b[2J') }) }],
          [key(7), { isSome: true, unwrap: () => ({ subnetName: bytes('') }) }],
        ],
      },
    };
    expect(await listSubnets(api(ids))).toEqual([{ netuid: 0, name: undefined }, { netuid: 1, name: 'Apex[2J' }, { netuid: 7, name: undefined }]);
  });

  it('falls back to the older identity map, and to no names', async () => {
    const { listSubnets } = await import('../../src/chain/subnets.js');
    const v2 = { subnetIdentitiesV2: { entries: async () => [[key(7), { isSome: true, unwrap: () => ({ subnetName: bytes('Seven') }) }]] } };
    expect((await listSubnets(api(v2))).find((s) => s.netuid === 7)?.name).toBe('Seven');
    expect((await listSubnets(api({}))).map((s) => s.name)).toEqual([undefined, undefined, undefined]);
  });
});
