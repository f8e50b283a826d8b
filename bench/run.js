#!/usr/bin/env node
// `npm run bench`: runs every scenario against baselines measured in the same
// run, prints one table of ratios (median over several runs, with the spread
// of the per-run ratios) and writes the raw figures as JSON under
// bench/results/. Loopback only; bounded; stops by itself.
//
//   node bench/run.js [--tiny] [--only sweep,sign,startup,chain,memory,stream] [--out FILE] [--markdown]
//
// --tiny runs every scenario at a toy size (for `npm test`: it checks that
// the scripts run, not how fast they are).
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Not imported from lib.js: lib.js reads DENDRITE_BENCH_BUILD when it loads,
// which must happen after the build copy below exists (scenarios load it).
const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const ROOT = join(BENCH_DIR, '..');

const SCENARIOS = ['sweep', 'sign', 'startup', 'chain', 'memory', 'stream'];
const args = process.argv.slice(2);
const tiny = args.includes('--tiny');
const markdown = args.includes('--markdown');
const onlyArg = args[args.indexOf('--only') + 1];
const only = args.includes('--only') ? onlyArg.split(',') : SCENARIOS;
const outArg = args.includes('--out') ? args[args.indexOf('--out') + 1] : undefined;
for (const s of only) if (!SCENARIOS.includes(s)) throw new Error(`unknown scenario ${s}; known: ${SCENARIOS.join(', ')}`);

const log = (m) => process.stderr.write(`${m}\n`);

// Measure a private copy of the build: other work in the same tree may run
// `npm run build` while the bench runs. The copy sits inside the repository,
// so its imports still resolve to node_modules.
const buildCopy = join(BENCH_DIR, 'results', `build-${process.pid}`);
rmSync(buildCopy, { recursive: true, force: true });
cpSync(join(ROOT, 'dist'), join(buildCopy, 'dist'), { recursive: true });
cpSync(join(ROOT, 'bin'), join(buildCopy, 'bin'), { recursive: true });
process.env.DENDRITE_BENCH_BUILD = buildCopy;
process.on('exit', () => rmSync(buildCopy, { recursive: true, force: true }));
const started = Date.now();
// Hard stop: the bench never runs away.
setTimeout(() => {
  log('bench: 15-minute limit reached, stopping');
  process.exit(3);
}, 15 * 60_000).unref();

const machine = {
  cores: cpus().length,
  cpu: cpus()[0]?.model,
  memGiB: +(totalmem() / 2 ** 30).toFixed(1),
  node: process.version,
  loadavgAtStart: loadavg().map((x) => +x.toFixed(2)),
  platform: process.platform,
};
log(`dendrite bench${tiny ? ' (tiny)' : ''}: ${machine.cores} cores, ${machine.cpu}, node ${machine.node}, load ${machine.loadavgAtStart.join(' ')}`);

const rows = [];
const raw = {};
const errors = {};
for (const name of only) {
  const t0 = Date.now();
  try {
    const mod = await import(`./scenarios/${name}.js`);
    const r = await mod.run({ tiny, log });
    rows.push(...r.rows);
    raw[name] = r.raw;
  } catch (e) {
    errors[name] = String(e?.stack ?? e);
    log(`scenario ${name} failed: ${e?.stack ?? e}`);
    rows.push({ scenario: name, metric: 'FAILED', ours: String(e?.message ?? e).slice(0, 120), baseline: '', ratio: null, target: '', met: false });
  }
  log(`  (${name}: ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
}

const fmtRatio = (r) => (r === null || r === undefined || Number.isNaN(r) ? '—' : `${r >= 100 ? r.toFixed(0) : r.toFixed(2)}×`);
const fmtSpread = (row) => {
  if (!row.spread) return '—';
  const [a, b] = row.spread;
  if (row.spreadUnit === 'ms') return `${a.toFixed(1)}–${b.toFixed(1)} ms`;
  const f = (x) => (x >= 100 ? x.toFixed(0) : x.toFixed(2));
  return `${f(a)}–${f(b)}×`;
};
const fmtMet = (m) => (m === null || m === undefined ? 'info' : m ? 'yes' : 'NO');
const header = ['Scenario', 'Metric', 'Ours (median)', 'Baseline (median)', 'Ratio', 'Spread', 'Target', 'Met'];
const table = rows.map((r) => [r.scenario, r.metric, r.ours, r.baseline, fmtRatio(r.ratio), fmtSpread(r), r.target, fmtMet(r.met)]);

function render() {
  if (markdown) {
    const esc = (s) => String(s).replace(/\|/g, '\\|');
    return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...table.map((r) => `| ${r.map(esc).join(' | ')} |`)].join('\n');
  }
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((c, i) => String(c).padEnd(widths[i])).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...table.map(line)].join('\n');
}

const seconds = (Date.now() - started) / 1000;
process.stdout.write(`\n${render()}\n\n`);
// For each target not met: what limits it (the README's Performance section says more).
const unmet = rows.filter((r) => r.met === false && r.limit);
if (unmet.length) process.stdout.write(`Not met, and what limits it:\n${unmet.map((r) => `- ${r.scenario}, ${r.metric}: ${r.limit}`).join('\n')}\n\n`);
process.stdout.write(`${tiny ? 'tiny run (sizes not meaningful); ' : ''}${machine.cores}-core machine, node ${machine.node}, load at start ${machine.loadavgAtStart.join(' ')}; ${seconds.toFixed(0)} s. Ratio = ours / baseline (higher is better only for throughput and signing rows).\n`);

const result = { version: 1, date: new Date(started).toISOString(), tiny, seconds, machine, scenarios: only, rows, raw, errors };
const outFile = outArg ?? join(BENCH_DIR, 'results', `bench-${new Date(started).toISOString().replace(/[:.]/g, '-')}${tiny ? '-tiny' : ''}.json`);
mkdirSync(join(outFile, '..'), { recursive: true });
writeFileSync(outFile, JSON.stringify(result, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2));
process.stdout.write(`raw figures: ${outFile}\n`);
process.exit(Object.keys(errors).length ? 1 : 0);
