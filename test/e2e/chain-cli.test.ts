/**
 * The real CLI binary against the loopback subtensor test node, whose
 * metagraph points at our own axons on 127.0.0.1 (and ::1 when available).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAxon, type RunningAxon } from '../../src/axon/server.js';
import { dummyRoute } from '../../src/axon/routes.js';
import { streamRoutes } from '../../src/axon/stream-routes.js';
import { pairFromUri } from '../../src/crypto/derive.js';
import { parseExact } from '../../src/targets/exact-json.js';
import { FORBID_POLKADOT, runCli, startChainNode, type ChainNode, type TestNeuron } from '../support/chain-node.js';

async function ipv6Loopback(): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(0, '::1', () => s.close(() => resolve(true)));
  });
}

const NETUID = 3;
let node: ChainNode;
let axons: RunningAxon[] = [];
let servingUids: number[] = [];
let env: NodeJS.ProcessEnv;

function cleanEnv(): NodeJS.ProcessEnv {
  const home = mkdtempSync(join(tmpdir(), 'dendrite-e2e-chain-'));
  return { PATH: process.env.PATH, HOME: home, XDG_CACHE_HOME: join(home, 'cache'), NO_COLOR: '1' };
}

beforeAll(async () => {
  const v6 = await ipv6Loopback();
  const uris = ['//Bob', '//Charlie', '//Dave'];
  const signers = await Promise.all(uris.map((u) => pairFromUri(u)));
  axons = await Promise.all(
    signers.map((signer, i) => startAxon({ signer, host: i === 2 && v6 ? '::1' : '127.0.0.1', routes: [dummyRoute, ...streamRoutes] })),
  );
  const owner = (await pairFromUri('//Ferdie')).address;
  // uid 0, 2, 4 serve (our axons); uid 1 and 3 are registered but never served.
  const neurons: TestNeuron[] = [];
  axons.forEach((a, i) => {
    const onV6 = a.host === '::1';
    neurons.push({
      uid: i * 2,
      hotkey: a.hotkey,
      coldkey: owner,
      ip: onV6 ? 1n : 0x7f000001n,
      ipType: onV6 ? 6 : 4,
      port: a.port,
      validatorPermit: i === 0,
      stake: 12_345_678_901_234_567_890n,
    });
  });
  neurons.push({ uid: 1, hotkey: (await pairFromUri('//Eve')).address, coldkey: owner, ip: 0n, ipType: 0, port: 0 });
  neurons.push({ uid: 3, hotkey: (await pairFromUri('//One')).address, coldkey: owner, ip: 0n, ipType: 0, port: 0 });
  servingUids = [0, 2, 4];
  node = await startChainNode({ subnets: { [NETUID]: neurons } });
  env = cleanEnv();
});

afterAll(async () => {
  await node?.close();
  await Promise.all(axons.map((a) => a.close()));
});

describe('dendrite ping/query --netuid (e2e)', { timeout: 90_000 }, () => {
  it('ping --all reaches every serving axon of the subnet with 200', async () => {
    const r = await runCli(['ping', '--netuid', String(NETUID), '--all', '--network', node.url, '--uri', '//Alice', '--json'], env);
    expect(r.stderr).not.toMatch(/RPC-CORE|API\/INIT|REGISTRY/);
    expect(r.code).toBe(0);
    const results = parseExact(r.stdout) as Array<Record<string, unknown>>;
    expect(results.map((x) => x.uid)).toEqual(servingUids);
    expect(results.map((x) => x.status_code)).toEqual([200, 200, 200]);
    expect(results.every((x) => x.netuid === NETUID)).toBe(true);
    for (const a of axons) expect(a.counts.get('Synapse')).toBeGreaterThanOrEqual(1);
  });

  it('query --uid U --synapse Dummy returns 200 and the answer, from the cache this time', async () => {
    const connections = node.connections;
    const r = await runCli(
      ['query', '--netuid', String(NETUID), '--uid', '2', '--synapse', 'Dummy', '--field', 'dummy_input=21', '--network', node.url, '--uri', '//Alice', '--json'],
      env,
    );
    expect(r.code).toBe(0);
    const [res] = parseExact(r.stdout) as Array<Record<string, any>>;
    expect(res!.uid).toBe(2);
    expect(res!.status_code).toBe(200);
    expect(res!.synapse.dummy_output).toBe(42);
    expect(node.connections).toBe(connections); // the ping above filled the cache
    expect(r.stderr).toMatch(/from cache/);
  });

  it('reports non-serving and missing uids per target, and still queries the rest', async () => {
    const r = await runCli(
      ['ping', '--netuid', String(NETUID), '--uid', '0-1,99', '--network', node.url, '--uri', '//Alice', '--json', '--refresh'],
      env,
    );
    expect(r.code).toBe(0);
    const results = parseExact(r.stdout) as Array<Record<string, unknown>>;
    expect(results.map((x) => [x.uid, x.status_code])).toEqual([[0, 200]]);
    expect(r.stderr).toMatch(/uid 1: skipped, uid 1 is not serving/);
    expect(r.stderr).toMatch(/uid 99: skipped, no uid 99 in subnet 3/);
    const failing = await runCli(['ping', '--netuid', String(NETUID), '--uid', '1', '--network', node.url, '--uri', '//Alice', '--fail'], env);
    expect(failing.code).toBe(4);
  });

  it('stream --netuid --uid streams from each chosen axon, labelled by uid', async () => {
    const r = await runCli(
      ['stream', '--netuid', String(NETUID), '--uid', '0,2', '--synapse', 'StreamCount', '--field', 'n=3', '--field', 'delay_ms=1', '--split', 'lines', '--json', '--network', node.url, '--uri', '//Alice'],
      env,
    );
    expect(r.code).toBe(0);
    const events = r.stdout.trim().split('\n').map((l) => parseExact(l) as Record<string, any>);
    const done = events.filter((e) => e.type === 'done').map((e) => [e.uid, e.status_code, e.synapse.completion]);
    expect(done.sort()).toEqual([[0, 200, 'data0data1data2'], [2, 200, 'data0data1data2']]);
    expect(events.filter((e) => e.type === 'chunk' && e.uid === 2)).toHaveLength(3);
  });

  it('--validators picks the validator-permit axons only', async () => {
    const r = await runCli(['ping', '--netuid', String(NETUID), '--validators', '--network', node.url, '--uri', '//Alice', '--json'], env);
    expect(r.code).toBe(0);
    expect((parseExact(r.stdout) as Array<Record<string, unknown>>).map((x) => x.uid)).toEqual([0]);
  });

  it('a missing subnet is exit 3 with the netuid named', async () => {
    const r = await runCli(['ping', '--netuid', '99', '--all', '--network', node.url, '--uri', '//Alice'], env);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/subnet 99 does not exist/);
  });

  it('usage mistakes are exit 2', async () => {
    expect((await runCli(['ping', '--netuid', '3', '--network', node.url, '--uri', '//Alice'], env)).code).toBe(2);
    expect((await runCli(['ping', '--netuid', '3', '--uid', '5-2', '--network', node.url, '--uri', '//Alice'], env)).code).toBe(2);
    const bad = await runCli(['ping', '--netuid', '3', '--all', '--network', 'nowhere', '--uri', '//Alice'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown network "nowhere"/);
  });

  it('the library entry of the chain code does not load @polkadot/api until it reads the chain', () => {
    const entry = new URL('../../dist/src/chain/index.js', import.meta.url).href;
    const r = spawnSync(process.execPath, [...FORBID_POLKADOT, '--input-type=module', '-e', `const m = await import(${JSON.stringify(entry)}); console.log(typeof m.fetchMetagraph, m.ipToString(1n, 6));`], { encoding: 'utf8' });
    expect(r.stderr).not.toMatch(/FORBIDDEN/);
    expect(r.stdout).toBe('function ::1\n');
  });

  it('--axon runs never load @polkadot/api', async () => {
    const a = axons[0]!;
    const r = await runCli(['ping', '--axon', `${a.hotkey}@127.0.0.1:${a.port}`, '--uri', '//Alice', '--json'], cleanEnv(), FORBID_POLKADOT);
    expect(r.stderr).not.toMatch(/FORBIDDEN/);
    expect(r.code).toBe(0);
  });
});

describe('a subtensor node that never answers (e2e)', { timeout: 90_000 }, () => {
  it('fails within --chain-timeout with exit 3 and the url, and the process exits', async () => {
    const silent = await startChainNode({ silent: true });
    try {
      const r = await runCli(['ping', '--netuid', '1', '--all', '--network', silent.url, '--chain-timeout', '0.5', '--uri', '//Alice'], cleanEnv());
      expect(r.code).toBe(3);
      expect(r.stderr).toContain(`cannot reach subtensor at ${silent.url}`);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(silent.connections).toBe(1);
    } finally {
      await silent.close();
    }
  });

  it('also exits by itself when the node does not even answer the WebSocket close', async () => {
    const frozen = await startChainNode({ frozen: true });
    try {
      // ws would otherwise hold the socket (and the process) for its 30 s close
      // timeout; the 20 s guard only turns such a hang into a clear failure.
      const r = await runCli(['metagraph', '--netuid', '1', '--network', frozen.url, '--chain-timeout', '0.5'], cleanEnv(), [], 20_000);
      expect(r.signal).toBeNull();
      expect(r.code).toBe(3);
      expect(r.stderr).toContain(`cannot reach subtensor at ${frozen.url}`);
    } finally {
      await frozen.close();
    }
  });
});
