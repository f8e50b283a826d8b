// Scenario 7: time from a chunk leaving the axon (the server stamps each
// chunk with CLOCK_MONOTONIC, shared by every process) to its bytes arriving
// on the stdout pipe of `dendrite stream`, against a raw undici reader whose
// stdout is read the same way. Added latency = ours - raw, at p50 and p99.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { BENCH_DIR, BIN, quantile, startServers } from '../lib.js';

function collect(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const lat = [];
    let pending = '';
    let err = '';
    child.stdout.on('data', (d) => {
      const at = process.hrtime.bigint();
      pending += d.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop();
      for (const l of lines) {
        const m = /^t(\d+)$/.exec(l.trim());
        if (m) lat.push(Number(at - BigInt(m[1])) / 1e6);
      }
    });
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`${args.slice(1).join(' ')} exited ${code}: ${err.slice(-500)}`));
      resolve(lat);
    });
  });
}

export async function run({ tiny, log }) {
  const chunks = tiny ? 5 : 60;
  const runs = tiny ? 1 : 5;
  log(`streaming: ${runs} runs of ${chunks} chunks`);
  const srv = await startServers({ count: 1, stream: { chunks, intervalMs: 10 } });
  const port = srv.ports[0];
  const ours = [];
  const base = [];
  const p99s = [];
  try {
    for (let i = 0; i < runs; i++) {
      const o = await collect([BIN, 'stream', '--axon', `${srv.hotkey}@127.0.0.1:${port}`, '--uri', '//Alice', '--synapse', 'StreamCount', '--split', 'raw']);
      const b = await collect([join(BENCH_DIR, 'clients', 'stream-raw.js'), JSON.stringify({ port })]);
      if (o.length !== chunks || b.length !== chunks) throw new Error(`expected ${chunks} chunks, got ${o.length} (ours) and ${b.length} (raw)`);
      // The first two chunks of each run are left out: they meet cold code
      // paths in both readers (first-use compilation), not steady streaming.
      ours.push(...o.slice(2));
      base.push(...b.slice(2));
      p99s.push(quantile(o.slice(2), 0.99) - quantile(b.slice(2), 0.99));
    }
  } finally {
    await srv.close();
  }
  const added99 = quantile(ours, 0.99) - quantile(base, 0.99);
  const added50 = quantile(ours, 0.5) - quantile(base, 0.5);
  return {
    rows: [
      {
        scenario: '7. streaming',
        metric: `chunk axon→stdout latency (from chunk 3), p99 added; p50 added ${added50.toFixed(2)} ms`,
        ours: `p50 ${quantile(ours, 0.5).toFixed(2)} ms, p99 ${quantile(ours, 0.99).toFixed(2)} ms`,
        baseline: `p50 ${quantile(base, 0.5).toFixed(2)} ms, p99 ${quantile(base, 0.99).toFixed(2)} ms (raw undici)`,
        ratio: quantile(ours, 0.99) / quantile(base, 0.99),
        spread: [Math.min(...p99s), Math.max(...p99s)],
        spreadUnit: 'ms',
        target: 'p99 added < 2 ms',
        met: added99 < 2,
      },
    ],
    raw: { ours, base, perRunP99Added: p99s },
  };
}
