// Scenario 3 client: sr25519 signatures per second with the signer the core
// uses (dist: @polkadot-labs/schnorrkel-wasm), bare @polkadot/wasm-crypto,
// the pure-JS signer of @polkadot/util-crypto (@scure/sr25519), and our
// signer's wasm in 2 worker threads.
//   node bench/clients/sign.js '{"count":N,"rounds":R}'
import { Worker } from 'node:worker_threads';
import { distUrl } from '../lib.js';

const cfg = JSON.parse(process.argv[2] ?? '{}');
const count = cfg.count ?? 400;
const rounds = cfg.rounds ?? 5;

const lib = await import(distUrl('src/index.js'));
const pair = await lib.pairFromUri('//Alice');
const wasm = await import('@polkadot/wasm-crypto');
await wasm.waitReady();
const utilCrypto = await import('@polkadot/util-crypto');
const seed = new Uint8Array(32).fill(7);
const kp = wasm.sr25519KeypairFromSeed(seed);
const pub = kp.slice(64, 96);
const sec = kp.slice(0, 64);
const jsPair = utilCrypto.sr25519PairFromSeed(seed);

// A message of the size a dendrite signs: nonce.hotkey.hotkey.uuid.hash
const message = new TextEncoder().encode(`1795622850638193053.${pair.address}.5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty.5121ffd0-e8ea-11f1-9382-e3370577133e.a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a`);

const signers = {
  ours: () => pair.sign(message),
  wasmCrypto: () => wasm.sr25519Sign(pub, sec, message),
  utilCryptoJs: () => utilCrypto.sr25519Sign(message, jsPair),
};

function rate(fn, n) {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn();
  return n / (Number(process.hrtime.bigint() - t0) / 1e9);
}

// Worker threads: `threads` workers each signing its share of `n` messages.
const WORKER_SRC = `
const { parentPort, workerData } = require('node:worker_threads');
import('@polkadot-labs/schnorrkel-wasm').then(async (w) => {
  const { pub, sec, message } = workerData;
  parentPort.on('message', (n) => {
    for (let i = 0; i < n; i++) w.sr25519_sign(pub, sec, message);
    parentPort.postMessage(n);
  });
  parentPort.postMessage('ready');
});`;
async function workerPool(threads) {
  const ws = await Promise.all(
    Array.from({ length: threads }, () =>
      new Promise((resolve) => {
        const w = new Worker(WORKER_SRC, { eval: true, workerData: { pub, sec, message } });
        w.once('message', () => resolve(w));
      }),
    ),
  );
  return {
    rate: async (n) => {
      const t0 = process.hrtime.bigint();
      await Promise.all(ws.map((w) => new Promise((resolve) => { w.once('message', resolve); w.postMessage(Math.ceil(n / threads)); })));
      return (Math.ceil(n / threads) * threads) / (Number(process.hrtime.bigint() - t0) / 1e9);
    },
    close: () => Promise.all(ws.map((w) => w.terminate())),
  };
}

const results = { ours: [], wasmCrypto: [], utilCryptoJs: [], workers2: [] };
for (const f of Object.values(signers)) rate(f, 20); // warm up
const pool = await workerPool(2);
await pool.rate(20);
for (let r = 0; r < rounds; r++) {
  // Alternate the order so that neither signer always runs first in a round.
  const pair = [
    () => results.ours.push(rate(signers.ours, count)),
    () => results.wasmCrypto.push(rate(signers.wasmCrypto, count)),
  ];
  for (const f of r % 2 ? pair.reverse() : pair) f();
  results.utilCryptoJs.push(rate(signers.utilCryptoJs, Math.max(10, count >> 2)));
  results.workers2.push(await pool.rate(count));
}
await pool.close();
process.stdout.write(JSON.stringify(results) + '\n');
process.exit(0);
