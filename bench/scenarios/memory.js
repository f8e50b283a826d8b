// Scenario 6: peak RSS of a 4096-axon sweep with 1 KiB replies, repeated 20
// times in one process (what `--watch` does), against bare undici doing the
// same POSTs.
import { join } from 'node:path';
import { BENCH_DIR, median, runJson, startServers } from '../lib.js';

const CLIENT = join(BENCH_DIR, 'clients', 'sweep.js');
const MB = 1024 * 1024;

export async function run({ tiny, log }) {
  const n = tiny ? 32 : 4096;
  const sweeps = tiny ? 3 : 20;
  log(`memory: ${n} axons, 1 KiB replies, ${sweeps} sweeps`);
  const srv = await startServers({ count: n, replyBytes: 1024 });
  let ours;
  let base;
  try {
    ours = await runJson(CLIENT, { mode: 'dendrite', ports: srv.ports, hotkey: srv.hotkey, sweeps }, { killAfterMs: 400_000 });
    base = await runJson(CLIENT, { mode: 'undici', ports: srv.ports, hotkey: srv.hotkey, sweeps: tiny ? 2 : 3 }, { killAfterMs: 200_000 });
  } finally {
    await srv.close();
  }
  if (ours.failureCount) throw new Error(`memory sweep: ${ours.failureCount} failed, e.g. ${ours.failures[0]}`);
  // Growth: RSS after the last 5 sweeps against after sweeps 2-6 (the first warms up).
  const early = median(ours.rss.slice(1, 6));
  const late = median(ours.rss.slice(-5));
  const growth = (late - early) / MB;
  return {
    rows: [
      {
        scenario: `6. memory ${n}`,
        metric: `peak RSS over ${sweeps} sweeps, 1 KiB replies`,
        ours: `${(ours.maxRss / MB).toFixed(0)} MB`,
        baseline: `${(base.maxRss / MB).toFixed(0)} MB (undici)`,
        ratio: ours.maxRss / base.maxRss,
        target: '< 250 MB',
        met: ours.maxRss / MB < 250,
      },
      {
        scenario: `6. memory ${n}`,
        metric: `RSS growth, sweeps 2–6 → last 5 (sweep ${median(ours.wall).toFixed(0)} ms)`,
        ours: `${growth >= 0 ? '+' : ''}${growth.toFixed(1)} MB`,
        baseline: '—',
        ratio: null,
        target: 'flat (≤ +10 MB)',
        met: growth <= 10,
      },
    ],
    raw: { ours, base },
  };
}
