// Scenario 6: peak RSS of a 4096-axon sweep with 1 KiB replies, repeated 20
// times in one process (what `--watch` does) under the CLI's V8 settings,
// against the library under V8 defaults and bare undici doing the same POSTs.
import { join } from 'node:path';
import { BENCH_DIR, median, runJson, startServers } from '../lib.js';
import { CLI_V8_FLAGS } from '../../bin/v8-flags.js';

const CLIENT = join(BENCH_DIR, 'clients', 'sweep.js');
const MB = 1024 * 1024;
const sign = (v, digits = 1) => `${v >= 0 ? '+' : ''}${v.toFixed(digits)}`;

export async function run({ tiny, log }) {
  const n = tiny ? 32 : 4096;
  const sweeps = tiny ? 3 : 20;
  log(`memory: ${n} axons, 1 KiB replies, ${sweeps} sweeps`);
  const srv = await startServers({ count: n, replyBytes: 1024 });
  let ours;
  let lib;
  let base;
  try {
    // What the CLI does (--watch): the Dendrite under the CLI's V8 settings (bin/v8-flags.js).
    ours = await runJson(CLIENT, { mode: 'dendrite', ports: srv.ports, hotkey: srv.hotkey, sweeps, v8flags: CLI_V8_FLAGS }, { killAfterMs: 400_000 });
    // The library under V8's defaults, with a full collection after each sweep:
    // its live heap after each collection is the leak check (RSS, which swings
    // by tens of MB with the collector's timing, is not).
    lib = await runJson(CLIENT, { mode: 'dendrite', ports: srv.ports, hotkey: srv.hotkey, sweeps, gc: true }, { killAfterMs: 400_000, nodeArgs: ['--expose-gc'] });
    base = await runJson(CLIENT, { mode: 'undici', ports: srv.ports, hotkey: srv.hotkey, sweeps: tiny ? 2 : 3 }, { killAfterMs: 200_000 });
  } finally {
    await srv.close();
  }
  if (ours.failureCount) throw new Error(`memory sweep: ${ours.failureCount} failed, e.g. ${ours.failures[0]}`);
  // Trends: the least-squares slope of a figure taken after each sweep (the
  // first, which warms up, left out), times the sweeps: what a steady leak
  // would add over the run.
  const trend = (values) => {
    const ys = values.slice(1).map((v) => v / MB);
    const xs = ys.map((_, i) => i);
    const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
    const my = ys.reduce((a, b) => a + b, 0) / ys.length;
    const den = xs.reduce((a, x) => a + (x - mx) ** 2, 0);
    const slope = den > 0 ? xs.reduce((a, x, i) => a + (x - mx) * (ys[i] - my), 0) / den : 0;
    return { slope, growth: slope * ys.length, min: Math.min(...ys), max: Math.max(...ys) };
  };
  const rssTrend = trend(ours.rss);
  const live = trend(lib.mem.map((m) => m.heapUsed));
  return {
    rows: [
      {
        scenario: `6. memory ${n}`,
        metric: `peak RSS over ${sweeps} sweeps, 1 KiB replies (CLI V8 settings)`,
        ours: `${(ours.maxRss / MB).toFixed(0)} MB`,
        baseline: `${(base.maxRss / MB).toFixed(0)} MB (undici)`,
        ratio: ours.maxRss / base.maxRss,
        target: '< 250 MB',
        met: ours.maxRss / MB < 250,
        limit: "undici's 4096 open connections (~100 MB live) plus V8's slack between collections; see README Performance",
      },
      {
        scenario: `6. memory ${n}`,
        metric: `same, library under V8 defaults, full GC after each sweep`,
        ours: `${(lib.maxRss / MB).toFixed(0)} MB`,
        baseline: `${(base.maxRss / MB).toFixed(0)} MB (undici)`,
        ratio: lib.maxRss / base.maxRss,
        target: '(info)',
        met: null,
      },
      {
        scenario: `6. memory ${n}`,
        metric: `live heap after GC, trend over sweeps 2–${sweeps}`,
        ours: `${sign(live.growth)} MB over the run (${sign(live.slope, 2)} MB/sweep; ${live.min.toFixed(0)}–${live.max.toFixed(0)} MB)`,
        baseline: '—',
        ratio: null,
        target: 'flat (≤ +10 MB)',
        met: live.growth <= 10,
        limit: 'a growing live heap: look for what each sweep keeps',
      },
      {
        scenario: `6. memory ${n}`,
        metric: `RSS after each sweep, trend (CLI settings; sweep ${median(ours.wall).toFixed(0)} ms)`,
        ours: `${sign(rssTrend.growth)} MB over the run (${sign(rssTrend.slope, 2)} MB/sweep; ${rssTrend.min.toFixed(0)}–${rssTrend.max.toFixed(0)} MB)`,
        baseline: '—',
        ratio: null,
        target: '(info: moves with GC timing)',
        met: null,
      },
    ],
    raw: { ours, lib, base, cliV8Flags: CLI_V8_FLAGS, liveTrend: live, rssTrend },
  };
}
