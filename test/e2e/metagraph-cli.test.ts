/** `dendrite metagraph` end to end: the built CLI against the loopback subtensor node. */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAxon, type RunningAxon } from '../../src/axon/server.js';
import { pairFromUri } from '../../src/crypto/derive.js';
import { parseExact } from '../../src/targets/exact-json.js';
import { FORBID_POLKADOT, makeSubnet, runCli, startChainNode, type ChainNode } from '../support/chain-node.js';

const NETUID = 12;
let node: ChainNode;
let axon: RunningAxon;
const subnet = makeSubnet(40);

function freshEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const home = mkdtempSync(join(tmpdir(), 'dendrite-e2e-mg-'));
  return { PATH: process.env.PATH, HOME: home, XDG_CACHE_HOME: join(home, 'cache'), NO_COLOR: '1', ...extra };
}

beforeAll(async () => {
  axon = await startAxon({ signer: await pairFromUri('//Bob') });
  // uid 1 is our axon on loopback, so a saved snapshot can be pinged offline
  subnet[1] = { ...subnet[1]!, hotkey: axon.hotkey, ip: 0x7f000001n, ipType: 4, port: axon.port };
  node = await startChainNode({ subnets: { [NETUID]: subnet } });
});
afterAll(async () => {
  await node?.close();
  await axon?.close();
});

describe('dendrite metagraph (e2e)', { timeout: 90_000 }, () => {
  it('prints the totals and one row per uid', async () => {
    const r = await runCli(['metagraph', '--netuid', String(NETUID), '--network', node.url], freshEnv());
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe(`subnet ${NETUID} on local (${node.url})`);
    expect(lines[1]).toMatch(/^block 4242424 {2}neurons 40 {2}serving 36 {2}source runtime-api/);
    expect(lines[3]).toMatch(/^UID +HOTKEY +COLDKEY +ADDRESS +VERSION +STAKE +VPERMIT +ACTIVE$/);
    expect(lines.filter((l) => /^ *\d+ {2}5/.test(l))).toHaveLength(40);
    expect(r.stdout).toContain(`127.0.0.1:${axon.port}`);
    expect(r.stdout).toContain('[2001:db8::7]:8007');
  });

  it('--json writes exact integers', async () => {
    const r = await runCli(['metagraph', '--netuid', String(NETUID), '--network', node.url, '--json'], freshEnv());
    expect(r.code).toBe(0);
    const stake39 = subnet[39]!.stake!;
    expect(stake39 > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
    expect(r.stdout).toContain(`"stake":${stake39}`);
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(1); // one line in a pipe
    const doc = parseExact(r.stdout) as { neuronCount: number; servingCount: number; block: number; neurons: Array<{ uid: number; stake: bigint }> };
    expect(doc.neuronCount).toBe(40);
    expect(doc.servingCount).toBe(36);
    expect(doc.neurons[39]).toMatchObject({ uid: 39, stake: stake39 });
  });

  it('--save writes a snapshot that --metagraph FILE uses offline, without loading @polkadot/api', async () => {
    const env = freshEnv();
    const file = join(env.HOME!, 'sn12.json');
    const saved = await runCli(['metagraph', '--netuid', String(NETUID), '--network', node.url, '--save', file, '--json'], env);
    expect(saved.code).toBe(0);
    const savedText = readFileSync(file, 'utf8');
    expect(savedText).toContain(`\n  "neuronCount": 40,\n`); // files are indented
    expect(parseExact(savedText)).toEqual(parseExact(saved.stdout));

    const connections = node.connections;
    const offline = freshEnv();
    const shown = await runCli(['metagraph', '--metagraph', file, '--json'], offline, FORBID_POLKADOT);
    expect(shown.stderr).toBe('');
    expect(shown.code).toBe(0);
    expect(shown.stdout).toBe(saved.stdout);

    const pinged = await runCli(['ping', '--metagraph', file, '--uid', '1', '--uri', '//Alice', '--json'], offline, FORBID_POLKADOT);
    expect(pinged.stderr).not.toMatch(/FORBIDDEN/);
    expect(pinged.code).toBe(0);
    expect((parseExact(pinged.stdout) as Array<Record<string, unknown>>).map((x) => [x.uid, x.netuid, x.status_code])).toEqual([[1, NETUID, 200]]);
    expect(node.connections).toBe(connections);
  });

  it('the loader guard does catch a chain read (control for the test above)', async () => {
    const r = await runCli(['metagraph', '--netuid', String(NETUID), '--network', node.url], freshEnv(), FORBID_POLKADOT);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/FORBIDDEN import of @polkadot\/api/);
  });

  it('a cache hit opens no connection and loads no @polkadot/api; --refresh reads again', async () => {
    const env = freshEnv();
    const first = await runCli(['metagraph', '--netuid', String(NETUID), '--network', node.url, '--json'], env);
    expect(first.code).toBe(0);
    const connections = node.connections;
    const hit = await runCli(['metagraph', '--netuid', String(NETUID), '--network', node.url, '--json'], env, FORBID_POLKADOT);
    expect(hit.code).toBe(0);
    expect(hit.stdout).toBe(first.stdout);
    expect(hit.stderr).toMatch(/from cache \(block 4242424/);
    expect(node.connections).toBe(connections);

    const refreshed = await runCli(['metagraph', '--netuid', String(NETUID), '--network', node.url, '--refresh', '--json'], env);
    expect(refreshed.code).toBe(0);
    expect(node.connections).toBe(connections + 1);
    const noCache = await runCli(['metagraph', '--netuid', String(NETUID), '--network', node.url, '--cache-ttl', '0'], env);
    expect(noCache.code).toBe(0);
    expect(node.connections).toBe(connections + 2);
  });

  it('finds the node through local + BT_SUBTENSOR_CHAIN_ENDPOINT, and through btcli config.yml', async () => {
    const viaEnv = await runCli(['metagraph', '--netuid', String(NETUID), '--network', 'local'], freshEnv({ BT_SUBTENSOR_CHAIN_ENDPOINT: node.url }));
    expect(viaEnv.code).toBe(0);
    expect(viaEnv.stdout.split('\n')[0]).toBe(`subnet ${NETUID} on local (${node.url})`);

    const env = freshEnv();
    mkdirSync(join(env.HOME!, '.bittensor'));
    writeFileSync(join(env.HOME!, '.bittensor', 'config.yml'), `wallet_name: default\nnetwork: ${node.url}\n`);
    const viaConfig = await runCli(['metagraph', '--netuid', String(NETUID)], env);
    expect(viaConfig.code).toBe(0);
    expect(viaConfig.stdout.split('\n')[0]).toBe(`subnet ${NETUID} on local (${node.url})`);
  });

  it('missing subnet and silent node are exit 3; bad flags exit 2', async () => {
    const missing = await runCli(['metagraph', '--netuid', '77', '--network', node.url], freshEnv());
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/^dendrite: subnet 77 does not exist/);

    const silent = await startChainNode({ silent: true });
    try {
      const r = await runCli(['metagraph', '--netuid', '1', '--network', silent.url, '--chain-timeout', '0.5'], freshEnv());
      expect(r.code).toBe(3);
      expect(r.stderr).toBe(`dendrite: cannot reach subtensor at ${silent.url}: no answer within 0.5 s (--chain-timeout)\n`);
    } finally {
      await silent.close();
    }

    expect((await runCli(['metagraph', '--network', node.url], freshEnv())).code).toBe(2);
    expect((await runCli(['metagraph', '--netuid', 'x', '--network', node.url], freshEnv())).code).toBe(2);
    expect((await runCli(['metagraph', '--metagraph', '/nonexistent/sn.json'], freshEnv())).code).toBe(2);
  });
});
