// Scenario 5 client: resolving a 256-neuron subnet from the loopback test
// chain node (test/support/chain-node.ts, bundled by the scenario), counting
// JSON-RPC round trips after connect, then timing cached resolves (which must
// not connect at all), in process and through the CLI.
// A round trip is a group of requests the client had out at once: the node
// records when it read each request and when it answered, and a request read
// before the group's first answer went out joins the group (roundTrips() in
// src/devnet/node.ts; it can over-count, never under-count).
//   node bench/clients/chain.js '{"nodeModule":".../chain-node.mjs","neurons":256,"reads":3,"cached":9}'
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BIN, distUrl, median } from '../lib.js';

const cfg = JSON.parse(process.argv[2]);
const nodeLib = await import(pathToFileURL(cfg.nodeModule).href);
const chain = await import(distUrl('src/chain/index.js'));
const NETUID = 1;
const node = await nodeLib.startChainNode({ subnets: { [NETUID]: nodeLib.makeSubnet(cfg.neurons) } });
const now = () => Number(process.hrtime.bigint()) / 1e6;

// Round trips after connect, on fresh connections.
const label = (c) => (c.method === 'state_call' ? `state_call(${c.params[0]})` : c.method);
const trips = (calls) => nodeLib.roundTrips(calls).map((group) => group.map(label));
const reads = [];
for (let i = 0; i < cfg.reads; i++) {
  const c0 = node.calls.length;
  const t0 = now();
  const conn = await chain.connectChain(node.url, { timeoutMs: 20_000 });
  const t1 = now();
  const c1 = node.calls.length;
  // Anything of connect's still unanswered here would overlap the read's first round trip.
  const connectUnanswered = node.calls.slice(c0, c1).filter((c) => c.repliedAt === undefined).map(label);
  const read = await chain.readSubnet(conn.api, NETUID);
  const t2 = now();
  const c2 = node.calls.length;
  await conn.close();
  const connectTrips = trips(node.calls.slice(c0, c1));
  const afterTrips = trips(node.calls.slice(c1, c2));
  reads.push({
    connectCalls: c1 - c0,
    connectRoundTrips: connectTrips.length,
    connectTrips,
    connectUnanswered,
    afterConnectCalls: c2 - c1,
    afterConnectRoundTrips: afterTrips.length,
    afterConnectTrips: afterTrips,
    afterConnectMethods: afterTrips.flat(),
    source: read.source,
    neurons: read.neurons.length,
    connectMs: t1 - t0,
    readMs: t2 - t1,
  });
}

// Cached resolves: fill the cache once, then resolve again; no new connection allowed.
const cache = mkdtempSync(join(tmpdir(), 'dendrite-bench-cache-'));
const env = { ...process.env, XDG_CACHE_HOME: cache };
const req = { netuid: NETUID, network: node.url, cacheTtl: 3600, chainTimeout: 20 };
const first = await chain.loadMetagraph(req, { env });
const conns0 = node.connections;
const inProcess = [];
let cachedFrom = [];
for (let i = 0; i < cfg.cached; i++) {
  const t0 = now();
  const r = await chain.loadMetagraph(req, { env });
  inProcess.push(now() - t0);
  cachedFrom.push(r.from);
}

function timeCli(args) {
  return new Promise((resolve, reject) => {
    const t0 = now();
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('exit', (code) => (code === 0 ? resolve({ ms: now() - t0, out }) : reject(new Error(`dendrite ${args.join(' ')} exited ${code}`))));
  });
}
// The same CLI command from the cache and from a snapshot file (no resolve at all).
const snapshot = join(cache, 'snap.json');
await timeCli(['metagraph', '--netuid', String(NETUID), '--network', node.url, '--save', snapshot, '--json']);
const cli = { cached: [], snapshot: [] };
for (let i = 0; i < cfg.cached; i++) {
  cli.cached.push((await timeCli(['metagraph', '--netuid', String(NETUID), '--network', node.url, '--json'])).ms);
  cli.snapshot.push((await timeCli(['metagraph', '--metagraph', snapshot, '--json'])).ms);
}
const newConnections = node.connections - conns0;
await node.close();
rmSync(cache, { recursive: true, force: true });
process.stdout.write(
  JSON.stringify({ reads, firstFrom: first.from, cachedFrom, inProcessMs: inProcess, inProcessMedianMs: median(inProcess), cli, newConnections }) + '\n',
);
process.exit(0);
