// Scenario 5: resolving a 256-neuron subnet from the loopback test chain node.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { BENCH_DIR, ROOT, median, runJson } from '../lib.js';

export async function run({ tiny, log }) {
  log('chain');
  // The test node is TypeScript (test/support/chain-node.ts): bundle it. The
  // bundle sits at the same depth as the source, so its fixture URL
  // (../../../shared/fixtures/...) still points at the shared specs.
  const fixture = join(ROOT, '..', 'shared', 'fixtures', 'subtensor-metadata-v16-spec381.scale');
  if (!existsSync(fixture)) {
    return { rows: [{ scenario: '5. chain', metric: 'skipped', ours: `no metadata fixture at ${fixture}`, baseline: '', ratio: null, target: '', met: null }], raw: {} };
  }
  const outDir = join(BENCH_DIR, 'results');
  mkdirSync(outDir, { recursive: true });
  const nodeModule = join(outDir, 'chain-node.mjs');
  await build({
    entryPoints: [join(ROOT, 'test', 'support', 'chain-node.ts')],
    outfile: nodeModule,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  const r = await runJson(join(BENCH_DIR, 'clients', 'chain.js'), { nodeModule, neurons: tiny ? 16 : 256, reads: tiny ? 1 : 3, cached: tiny ? 1 : 7 }, { killAfterMs: 180_000 });
  const trips = r.reads.map((x) => x.afterConnectRoundTrips);
  const first = r.reads[0];
  // e.g. "[state_call(...) + chain_getHeader]": one bracket per round trip
  const shape = first.afterConnectTrips.map((t) => `[${t.join(' + ')}]`).join(', ');
  const added = r.cli.cached.map((v, i) => v - r.cli.snapshot[i]);
  const runtimePath = r.reads.every((x) => x.source === 'runtime-api' || x.source === 'runtime-api-bytes');
  const rows = [
    {
      scenario: '5. chain',
      metric: `JSON-RPC round trips after connect (${first.source})`,
      ours: `${median(trips)}: ${median(r.reads.map((x) => x.afterConnectCalls))} calls ${shape}`,
      baseline: `connect: ${median(r.reads.map((x) => x.connectRoundTrips))} round trips, ${median(r.reads.map((x) => x.connectCalls))} calls, ${median(r.reads.map((x) => x.connectMs)).toFixed(0)} ms; read ${median(r.reads.map((x) => x.readMs)).toFixed(0)} ms`,
      ratio: null,
      target: '1',
      met: runtimePath && trips.every((t) => t === 1) && r.reads.every((x) => x.connectUnanswered.length === 0),
    },
    {
      scenario: '5. chain',
      metric: 'cached resolve: new connections, time in process',
      ours: `${r.newConnections} connections; ${r.inProcessMedianMs.toFixed(1)} ms`,
      baseline: '—',
      ratio: null,
      target: '0 connections, < 50 ms',
      met: r.newConnections === 0 && r.inProcessMedianMs < 50 && r.cachedFrom.every((f) => f === 'cache'),
    },
    {
      scenario: '5. chain',
      metric: 'CLI metagraph from cache vs from a snapshot file',
      ours: `${median(r.cli.cached).toFixed(0)} ms`,
      baseline: `${median(r.cli.snapshot).toFixed(0)} ms`,
      ratio: median(r.cli.cached) / median(r.cli.snapshot),
      spread: [Math.min(...added), Math.max(...added)],
      spreadUnit: 'ms',
      target: '< 50 ms added',
      met: median(added) < 50,
    },
  ];
  return { rows, raw: r };
}
