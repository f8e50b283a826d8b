// One sweep client, run in a fresh process per trial by the bench:
//   node bench/clients/sweep.js '{"mode":"dendrite"|"undici", "ports":[...], "hotkey":..., "sweeps":N, ...}'
// Prints one JSON line: wall time of each sweep (the first opens the
// connections), send spread, timer-start-to-send gaps, failures, RSS.
import diagnostics from 'node:diagnostics_channel';
import { Agent } from 'undici';
import { distUrl } from '../lib.js';

const lib = await import(distUrl('src/index.js'));
const cfg = JSON.parse(process.argv[2]);
// The V8 flags the CLI launcher sets at run time (bin/dendrite.js), when the bench measures what the CLI does.
if (cfg.v8flags) for (const f of [].concat(cfg.v8flags)) (await import('node:v8')).setFlagsFromString(f);
const mode = cfg.mode;
const sweeps = cfg.sweeps ?? 4;
const timeout = cfg.timeout ?? 12;
const targets = cfg.ports.map((port) => ({ ip: '127.0.0.1', port, hotkey: cfg.hotkey }));
const now = () => Number(process.hrtime.bigint()) / 1e6;

// When each request is handed to undici (our timer starts in the same tick)
// and when its headers are written to the socket ("leaves").
let created = new Map();
let sent = [];
let gaps = [];
if (cfg.trace) {
  diagnostics.channel('undici:request:create').subscribe(({ request }) => created.set(request, now()));
  diagnostics.channel('undici:client:sendHeaders').subscribe(({ request }) => {
    const t = now();
    sent.push(t);
    const c = created.get(request);
    if (c !== undefined) gaps.push(t - c);
  });
}

const signer = await lib.pairFromUri('//Alice');
const synapse = lib.Synapse.create(lib.SYNAPSE_SCHEMA, {});
let sweep;
let close;
if (mode === 'dendrite' || mode === 'nosign') {
  // nosign: the same Dendrite with a signer that costs nothing (a constant
  // signature; the bench axons do not verify): the bound on what moving
  // signatures off the main thread could win.
  const fixed = signer.sign(new Uint8Array(1));
  const free = { address: signer.address, publicKey: signer.publicKey, sign: () => fixed };
  const d = new lib.Dendrite({
    signer: mode === 'nosign' ? free : signer,
    timeout,
    ...(cfg.concurrency ? { concurrency: cfg.concurrency } : {}),
    ...(cfg.signingThreads !== undefined ? { signingThreads: cfg.signingThreads } : {}),
  });
  sweep = async () => {
    const rs = await d.forward(targets, synapse);
    return rs.filter((r) => r.statusCode !== 200).map((r) => `${r.reason}: ${r.statusMessage}`);
  };
  close = () => d.close();
} else {
  // Baseline: the same POSTs with undici, headers and body precomputed once
  // (no nonce, hashing, signing or JSON), all in flight at once.
  const agent = new Agent({ keepAliveTimeout: 4000, keepAliveMaxTimeout: 4000, headersTimeout: 0, bodyTimeout: 0 });
  const req = lib.prepareRequest(synapse.clone(), targets[0], { signer, uuid: lib.uuid1(), ip: '0.0.0.0', version: 10002000 }, lib.nextNonce(), timeout);
  const one = async (t) => {
    const res = await agent.request({ origin: `http://127.0.0.1:${t.port}`, path: req.path, method: 'POST', headers: req.headers, body: req.body });
    const text = await res.body.text();
    return res.statusCode === 200 && text.length > 0 ? undefined : `http ${res.statusCode}`;
  };
  sweep = async () => (await Promise.all(targets.map((t) => one(t).catch((e) => String(e))))).filter(Boolean);
  close = () => agent.destroy();
}

const wall = [];
const cpu = [];
const spreads = [];
const maxGaps = [];
const rss = [];
const mem = [];
let failures = [];
let failureCount = 0;
for (let i = 0; i < sweeps; i++) {
  created = new Map();
  sent = [];
  gaps = [];
  const t0 = now();
  const c0 = process.cpuUsage();
  const failed = await sweep();
  wall.push(now() - t0);
  const c1 = process.cpuUsage(c0);
  cpu.push((c1.user + c1.system) / 1000);
  failureCount += failed.length;
  if (failed.length) failures = failures.concat(failed.slice(0, 3)).slice(0, 10);
  if (cfg.trace) {
    spreads.push(sent.length ? Math.max(...sent) - Math.min(...sent) : NaN);
    maxGaps.push(gaps.length ? Math.max(...gaps) : NaN);
  }
  if (cfg.gc && globalThis.gc) globalThis.gc();
  rss.push(process.memoryUsage.rss());
  const mu = process.memoryUsage();
  mem.push({ rss: mu.rss, heapUsed: mu.heapUsed, heapTotal: mu.heapTotal, external: mu.external, arrayBuffers: mu.arrayBuffers });
  if (cfg.pauseMs) await new Promise((r) => setTimeout(r, cfg.pauseMs));
}
await close();
process.stdout.write(
  JSON.stringify({
    mode,
    n: targets.length,
    wall,
    cpu,
    spreads,
    maxGaps,
    failures,
    failureCount,
    rss,
    mem,
    maxRss: process.resourceUsage().maxRSS * 1024,
  }) + '\n',
);
process.exit(0);
