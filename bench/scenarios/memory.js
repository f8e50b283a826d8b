// Scenario 6: peak RSS of a 4096-axon sweep with 1 KiB replies, repeated 20
// times in one process (what `--watch` does) under the CLI's V8 settings,
// against the library under V8 defaults and bare undici doing the same POSTs.
import { join } from 'node:path';
import { BENCH_DIR, median, runJson, startServers } from '../lib.js';
import { CLI_V8_FLAGS } from '../../bin/v8-flags.js';

const CLIENT = join(BENCH_DIR, 'clients', 'sweep.js');
const MB = 1024 * 1024;

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
    // The library in a process with V8's defaults, and bare undici, for comparison.
    lib = await runJson(CLIENT, { mode: 'dendrite', ports: srv.ports, hotkey: srv.hotkey, sweeps: tiny ? 2 : 5 }, { killAfterMs: 200_000 });
    base = await runJson(CLIENT, { mode: 'undici', ports: srv.ports, hotkey: srv.hotkey, sweeps: tiny ? 2 : 5 }, { killAfterMs: 200_000 });
  } finally {
    await srv.close();
  }
  if (ours.failureCount) throw new Error(`memory sweep: ${ours.failureCount} failed, e.g. ${ours.failures[0]}`);
  // Growth: the least-squares slope of RSS after each sweep (the first, which
  // warms up, left out), times the sweeps: what a steady leak would add over
  // the run. RSS swings by tens of MB between collections, so two windows
  // compared directly mostly measure where the collector happened to be.
  const ys = ours.rss.slice(1).map((v) => v / MB);
  const xs = ys.map((_, i) => i);
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  const den = xs.reduce((a, x) => a + (x - mx) ** 2, 0);
  const slope = den > 0 ? xs.reduce((a, x, i) => a + (x - mx) * (ys[i] - my), 0) / den : 0;
  const growth = slope * ys.length;
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
      },
      {
        scenario: `6. memory ${n}`,
        metric: `same, library under V8 defaults (${lib.wall.length} sweeps)`,
        ours: `${(lib.maxRss / MB).toFixed(0)} MB`,
        baseline: `${(base.maxRss / MB).toFixed(0)} MB (undici)`,
        ratio: lib.maxRss / base.maxRss,
        target: '(info)',
        met: null,
      },
      {
        scenario: `6. memory ${n}`,
        metric: `RSS trend over sweeps 2–${sweeps} (sweep ${median(ours.wall).toFixed(0)} ms)`,
        ours: `${growth >= 0 ? '+' : ''}${growth.toFixed(1)} MB over the run (${slope >= 0 ? '+' : ''}${slope.toFixed(2)} MB/sweep; RSS ${Math.min(...ys).toFixed(0)}–${Math.max(...ys).toFixed(0)} MB)`,
        baseline: '—',
        ratio: null,
        target: 'flat (≤ +10 MB)',
        met: growth <= 10,
      },
    ],
    raw: { ours, lib, base, cliV8Flags: CLI_V8_FLAGS, slopeMBPerSweep: slope },
  };
}
