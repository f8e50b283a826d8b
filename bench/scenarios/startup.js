// Scenario 4: start-up of the CLI against bare `node -e 0`; the ping goes to
// our own verifying axon (the bench's one verifying scenario).
import { BIN, median, startServers, timeCommand } from '../lib.js';

export async function run({ tiny, log }) {
  log('start-up');
  const srv = await startServers({ count: 1, verifying: true });
  const runs = tiny ? 1 : 9;
  const cmds = {
    node: ['-e', '0'],
    version: [BIN, '--version'],
    help: [BIN, '--help'],
    ping: [BIN, 'ping', '--axon', `${srv.verifying.hotkey}@127.0.0.1:${srv.verifying.port}`, '--uri', '//Alice', '--json'],
  };
  const t = { node: [], version: [], help: [], ping: [] };
  try {
    // One untimed round warms the file cache.
    for (const args of Object.values(cmds)) await timeCommand(args);
    for (let i = 0; i < runs; i++) {
      for (const [k, args] of Object.entries(cmds)) {
        const { ms, out } = await timeCommand(args);
        if (k === 'ping' && !/"status_code":\s*200/.test(out)) throw new Error(`ping did not succeed: ${out.slice(0, 300)}`);
        t[k].push(ms);
      }
    }
  } finally {
    await srv.close();
  }
  const base = median(t.node);
  const row = (k, label, target, limit, limitText) => {
    const ratios = t[k].map((v, i) => v / t.node[i]);
    return {
      scenario: '4. start-up',
      metric: `${label} vs node -e 0`,
      ours: `${median(t[k]).toFixed(0)} ms`,
      baseline: `${base.toFixed(0)} ms`,
      ratio: median(t[k]) / base,
      spread: [Math.min(...ratios), Math.max(...ratios)],
      target,
      met: limit === undefined ? null : median(t[k]) / base <= limit,
      limit: limitText,
    };
  };
  return {
    rows: [
      row('version', 'dendrite --version', '(info)'),
      row('help', 'dendrite --help', '≤ 2×', 2, 'loading the CLI bundle and commander; moves with machine load'),
      row('ping', 'dendrite ping, 1 verifying axon', '≤ 3×', 3, 'loading the command, deriving the key, loading the wasm signer, one connection; moves with machine load'),
    ],
    raw: t,
  };
}
