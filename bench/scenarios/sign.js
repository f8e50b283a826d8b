// Scenario 3: signatures per second.
import { join } from 'node:path';
import { BENCH_DIR, median, runJson } from '../lib.js';

export async function run({ tiny, log }) {
  log('signing');
  const r = await runJson(join(BENCH_DIR, 'clients', 'sign.js'), { count: tiny ? 20 : 300, rounds: tiny ? 2 : 15 });
  const m = (k) => median(r[k]);
  const fastest = Math.max(m('wasmCrypto'), m('utilCryptoJs'));
  const ratios = r.ours.map((v, i) => v / Math.max(r.wasmCrypto[i], r.utilCryptoJs[i]));
  const fmt = (v) => `${Math.round(v)}/s (${(1e6 / v).toFixed(0)} µs)`;
  const rows = [
    {
      scenario: '3. signing',
      metric: 'signatures/s vs fastest of wasm-crypto, util-crypto JS',
      ours: fmt(m('ours')),
      baseline: `${fmt(fastest)} wasm-crypto; JS ${fmt(m('utilCryptoJs'))}`,
      ratio: median(ratios),
      spread: [Math.min(...ratios), Math.max(...ratios)],
      target: '≥ 1×',
      higherIsBetter: true,
      met: median(ratios) >= 1,
    },
    {
      scenario: '3. signing',
      metric: 'our signer in 2 worker threads vs 1 thread',
      ours: fmt(m('workers2')),
      baseline: fmt(m('ours')),
      ratio: m('workers2') / m('ours'),
      spread: [Math.min(...r.workers2) / m('ours'), Math.max(...r.workers2) / m('ours')],
      target: '(info: workers only if > 1)',
      higherIsBetter: true,
      met: null,
    },
  ];
  return { rows, raw: r };
}
