/**
 * The production chain client (@polkadot/api 16.5.6, unchanged) against a
 * loopback JSON-RPC node serving the real spec-381 metadata.
 */
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiPromise } from '@polkadot/api';
import { connectChain } from '../../src/chain/connect.js';
import { fetchMetagraph } from '../../src/chain/fetch.js';
import { readSubnet } from '../../src/chain/read.js';
import type { Metagraph } from '../../src/chain/types.js';
import { encodeAddress } from '../../src/crypto/ss58.js';
import { hexToBytes } from '../../src/crypto/bytes.js';
import { ChainError } from '../../src/errors.js';
import { cacheDir } from '../../src/targets/cache.js';
import { loadMetagraph } from '../../src/targets/metagraph-source.js';
import { makeSubnet, roundTrips, startBlackHole, startChainNode, type ChainNode, type RpcCall } from '../support/chain-node.js';

const NETUID = 7;
const subnet = makeSubnet(256);
const local = (url: string) => ({ name: 'local', url });

/** Storage reads the client made, all of which must be pinned to the block it chose. */
function storageCalls(node: ChainNode) {
  return node.calls.filter((c) => ['state_getStorage', 'state_getKeysPaged', 'state_queryStorageAt'].includes(c.method));
}

describe('chain: 256-neuron subnet through NeuronInfoRuntimeApi.get_neurons_lite', () => {
  let node: ChainNode;
  let mg: Metagraph;
  beforeAll(async () => {
    node = await startChainNode({ subnets: { [NETUID]: subnet, 8: makeSubnet(3) } });
    mg = await fetchMetagraph({ network: local(node.url), netuid: NETUID, now: () => new Date('2026-11-25T12:00:00Z') });
  });
  afterAll(() => node.close());

  it('reads every neuron in one runtime call at the best block, with the block from its header', () => {
    expect(mg.source).toBe('runtime-api');
    expect(mg.block).toBe(4_242_424);
    expect(mg.blockHash).toBe(node.bestHash);
    expect(mg.neurons).toHaveLength(256);
    expect(mg.neurons.map((n) => n.uid)).toEqual([...Array(256).keys()]);
    const calls = node.calls.filter((c) => c.method === 'state_call' && c.params[0] === 'NeuronInfoRuntimeApi_get_neurons_lite');
    expect(calls.map(({ method, params }) => ({ method, params }))).toEqual([{ method: 'state_call', params: ['NeuronInfoRuntimeApi_get_neurons_lite', '0x0700'] }]);
    // a non-empty answer proves the subnet exists: no storage read at all
    expect(storageCalls(node)).toEqual([]);
  });

  it('converts IPv4, IPv6 and never-served axons, and keeps keys and flags', () => {
    const n1 = mg.neurons[1]!;
    expect(n1.hotkey).toBe(encodeAddress(hexToBytes(subnet[1]!.hotkey), 42));
    expect(n1.coldkey).toBe(encodeAddress(hexToBytes(subnet[1]!.coldkey), 42));
    expect(n1.axon).toEqual({ ip: '10.0.0.1', port: 8001, ipType: 4, version: 10_002_000, protocol: 4, block: 4_000_000n });
    expect(n1.serving).toBe(true);
    expect(mg.neurons[255]!.axon.ip).toBe('10.0.0.255');
    expect(mg.neurons[17]!.axon).toMatchObject({ ip: '2001:db8::11', port: 8017, ipType: 6 });
    expect(mg.neurons[3]!.serving).toBe(false);
    expect(mg.neurons[3]!.axon).toMatchObject({ ip: '0.0.0.0', port: 0, ipType: 0 });
    expect(mg.neurons.filter((n) => n.serving)).toHaveLength(256 - 26);
    expect(mg.neurons.filter((n) => n.validatorPermit).map((n) => n.uid)).toEqual([0, 16, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 208, 224, 240]);
    expect(mg.neurons[10]!.active).toBe(false);
    expect(mg.neurons[11]!.active).toBe(true);
  });

  it('keeps stake exact as bigint past 2^53', () => {
    expect(typeof mg.neurons[200]!.stake).toBe('bigint');
    expect(mg.neurons[200]!.stake).toBe((1n << 60n) + 200n * 1_000_000_007n);
  });

  it('says which subnet is missing (environment error, exit 3), checked at the block of the empty answer', async () => {
    const before = node.calls.length;
    const err = await fetchMetagraph({ network: local(node.url), netuid: 99 }).catch((e) => e);
    expect(err).toBeInstanceOf(ChainError);
    expect(err).toMatchObject({ code: 'subnet_missing', kind: 'environment' });
    expect(err.message).toBe('subnet 99 does not exist (block 4242424): check --netuid');
    const calls = node.calls.slice(before);
    expect(calls.filter((c) => c.method === 'state_call' && c.params[0] === 'NeuronInfoRuntimeApi_get_neurons_lite').map((c) => c.params)).toEqual([
      ['NeuronInfoRuntimeApi_get_neurons_lite', '0x6300'],
    ]);
    // NetworksAdded(99), pinned to the block the header named
    const networksAdded = '0x658faa385070e074c85bf6b568cf0555' + '0e30450fc4d507a846032a7fa65d9a43' + '6300';
    expect(calls.filter((c) => c.method === 'state_getStorage').map((c) => c.params)).toEqual([[networksAdded, node.bestHash]]);
  });
});

/** The calls a fresh connection makes: while connecting, and while readSubnet runs after that. */
async function readAfterConnect(node: ChainNode, netuid: number, opts: { forceStorage?: boolean } = {}) {
  const c0 = node.calls.length;
  const conn = await connectChain(node.url);
  try {
    const c1 = node.calls.length;
    const connect = node.calls.slice(c0, c1);
    const read = await readSubnet(conn.api, netuid, opts).catch((e: unknown) => e);
    return { connect, after: node.calls.slice(c1), read };
  } finally {
    await conn.close();
  }
}

const label = (c: RpcCall) => (c.method === 'state_call' ? `state_call(${String(c.params[0])})` : c.method);

describe('chain: round trips after connect (issue 7, scenario 5)', () => {
  let node: ChainNode;
  beforeAll(async () => {
    node = await startChainNode({ subnets: { [NETUID]: subnet, 5: [] } });
  });
  afterAll(() => node.close());

  it('the runtime-call path is one round trip: get_neurons_lite and, alongside it, the header', async () => {
    const { connect, after, read } = await readAfterConnect(node, NETUID);
    expect(read).toMatchObject({ source: 'runtime-api', block: 4_242_424, blockHash: node.bestHash });
    expect((read as { neurons: unknown[] }).neurons).toHaveLength(256);
    // @polkadot/api's own runtime-version subscription is part of connecting, answered before connect returns
    expect(connect.map((c) => c.method)).toContain('state_subscribeRuntimeVersion');
    expect(connect.filter((c) => c.repliedAt === undefined)).toEqual([]);
    expect(after.map((c) => ({ method: c.method, params: c.params }))).toEqual([
      { method: 'state_call', params: ['NeuronInfoRuntimeApi_get_neurons_lite', '0x0700'] },
      { method: 'chain_getHeader', params: [] },
    ]);
    expect(roundTrips(after).map((trip) => trip.map(label))).toEqual([['state_call(NeuronInfoRuntimeApi_get_neurons_lite)', 'chain_getHeader']]);
  });

  it('the Bytes form of old runtimes takes the same one round trip', async () => {
    const old = await startChainNode({ subnets: { [NETUID]: subnet }, bytesRuntimeCall: true });
    try {
      const { after, read } = await readAfterConnect(old, NETUID);
      expect(read).toMatchObject({ source: 'runtime-api-bytes', blockHash: old.bestHash });
      expect((read as { neurons: unknown[] }).neurons).toHaveLength(256);
      expect(roundTrips(after).map((trip) => trip.map(label))).toEqual([['state_call(NeuronInfoRuntimeApi_get_neurons_lite)', 'chain_getHeader']]);
    } finally {
      await old.close();
    }
  });

  it('a missing subnet still fails with subnet_missing after that round trip', async () => {
    const { after, read } = await readAfterConnect(node, 99);
    expect(read).toBeInstanceOf(ChainError);
    expect(read).toMatchObject({ code: 'subnet_missing', message: 'subnet 99 does not exist (block 4242424): check --netuid' });
    const trips = roundTrips(after).map((trip) => trip.map(label));
    expect(trips[0]).toEqual(['state_call(NeuronInfoRuntimeApi_get_neurons_lite)', 'chain_getHeader']);
    expect(trips.at(-1)).toEqual(['state_getStorage']);
  });

  it('an existing subnet without neurons is an empty read, not a missing subnet', async () => {
    const { after, read } = await readAfterConnect(node, 5);
    expect(read).toMatchObject({ source: 'runtime-api', neurons: [], blockHash: node.bestHash });
    expect(after.filter((c) => c.method === 'state_getStorage').map((c) => c.params.at(-1))).toEqual([node.bestHash]);
  });

  it('the storage path (forced) stays pinned to the block of the header', async () => {
    const { after, read } = await readAfterConnect(node, NETUID, { forceStorage: true });
    expect(read).toMatchObject({ source: 'storage', fallbackReason: 'storage path requested', blockHash: node.bestHash, block: 4_242_424 });
    expect((read as { neurons: unknown[] }).neurons).toHaveLength(256);
    expect(after.filter((c) => c.method === 'state_call')).toEqual([]);
    const storage = after.filter((c) => ['state_getStorage', 'state_getKeysPaged', 'state_queryStorageAt'].includes(c.method));
    expect(storage.length).toBeGreaterThan(0);
    for (const c of storage) expect(c.params.at(-1)).toBe(node.bestHash);
  });

  it('a node without the SubtensorModule pallet is chain_not_subtensor, before any request', async () => {
    const rpc = new Proxy({}, { get: () => { throw new Error('no request expected'); } });
    const notSubtensor = { query: { system: {} }, call: {}, rpc } as unknown as ApiPromise;
    await expect(readSubnet(notSubtensor, NETUID)).rejects.toMatchObject({ code: 'chain_not_subtensor' });
  });
});

describe('chain: fallbacks', () => {
  let reference: Metagraph;
  beforeAll(async () => {
    const node = await startChainNode({ subnets: { [NETUID]: subnet } });
    reference = await fetchMetagraph({ network: local(node.url), netuid: NETUID });
    await node.close();
  });

  it('reads the same subnet from storage when the node does not offer state_call', async () => {
    const node = await startChainNode({ subnets: { [NETUID]: subnet }, refuseStateCall: true });
    try {
      const notes: string[] = [];
      const mg = await fetchMetagraph({ network: local(node.url), netuid: NETUID, onNote: (n) => notes.push(n) });
      expect(mg.source).toBe('storage');
      expect(mg.block).toBe(4_242_424);
      expect(mg.blockHash).toBe(node.bestHash);
      expect(mg.neurons).toEqual(reference.neurons);
      // not in rpc_methods: not even tried
      expect(notes.join('\n')).toMatch(/from storage: the node does not offer the state_call RPC/);
      expect(node.count('state_call', 'NeuronInfoRuntimeApi_get_neurons_lite')).toBe(0);
      // the storage path is pinned to the block too, and scans Keys and Axons by prefix
      const storage = storageCalls(node);
      for (const c of storage) expect(c.params.at(-1)).toBe(node.bestHash);
      expect(node.count('state_getKeysPaged')).toBe(2);
    } finally {
      await node.close();
    }
  });

  it('reads the same subnet from storage when the node refuses the runtime call itself', async () => {
    const node = await startChainNode({ subnets: { [NETUID]: subnet }, failOn: 'NeuronInfoRuntimeApi_get_neurons_lite' });
    try {
      const notes: string[] = [];
      const mg = await fetchMetagraph({ network: local(node.url), netuid: NETUID, onNote: (n) => notes.push(n) });
      expect(mg.source).toBe('storage');
      expect(mg.blockHash).toBe(node.bestHash);
      expect(mg.neurons).toEqual(reference.neurons);
      expect(notes.join('\n')).toMatch(/from storage: get_neurons_lite failed: .*refused by this node/);
      expect(node.count('state_call', 'NeuronInfoRuntimeApi_get_neurons_lite')).toBe(1);
      const storage = storageCalls(node);
      expect(storage.length).toBeGreaterThan(0);
      for (const c of storage) expect(c.params.at(-1)).toBe(node.bestHash);
    } finally {
      await node.close();
    }
  });

  it('pages storage keys past 1000 (a subnet larger than one key page)', async () => {
    const big = makeSubnet(1100);
    const node = await startChainNode({ subnets: { [NETUID]: big }, refuseStateCall: true });
    try {
      const mg = await fetchMetagraph({ network: local(node.url), netuid: NETUID, timeoutMs: 20_000 });
      expect(mg.source).toBe('storage');
      expect(mg.neurons.map((n) => n.uid)).toEqual([...Array(1100).keys()]);
      expect(mg.neurons[1099]!.axon.ip).toBe(big[1099]!.ip === 0n ? '0.0.0.0' : '10.0.4.75');
      expect(mg.neurons[1099]!.stake).toBe(big[1099]!.stake);
      // Keys (1100 entries) takes a full page of 1000, then the rest; the
      // prefix is CHAIN.md's twox128(SubtensorModule) ++ twox128(Keys) ++ u16 LE netuid.
      const keysPrefix = '0x658faa385070e074c85bf6b568cf0555' + '9f99a2ce711f3a31b2fc05604c93f179' + '0700';
      const pages = node.calls.filter((c) => c.method === 'state_getKeysPaged' && c.params[0] === keysPrefix);
      expect(pages.map((c) => c.params[2] === keysPrefix)).toEqual([true, false]);
    } finally {
      await node.close();
    }
  });

  it('decodes the Bytes form of get_neurons_lite that old runtimes return', async () => {
    const node = await startChainNode({ subnets: { [NETUID]: subnet }, bytesRuntimeCall: true });
    try {
      const mg = await fetchMetagraph({ network: local(node.url), netuid: NETUID });
      expect(mg.source).toBe('runtime-api-bytes');
      expect(mg.neurons).toEqual(reference.neurons);
      expect(node.count('state_getKeysPaged')).toBe(0);
    } finally {
      await node.close();
    }
  });
});

describe('chain: nodes that do not answer', () => {
  it('gives up on a node that accepts the socket and never answers', async () => {
    const node = await startChainNode({ silent: true, subnets: { [NETUID]: subnet } });
    try {
      const err = await fetchMetagraph({ network: local(node.url), netuid: NETUID, timeoutMs: 300 }).catch((e) => e);
      expect(err).toBeInstanceOf(ChainError);
      expect(err).toMatchObject({ code: 'chain_unreachable', kind: 'environment' });
      expect(err.message).toContain(`cannot reach subtensor at ${node.url}`);
      expect(node.connections).toBe(1); // no reconnect loop
    } finally {
      await node.close();
    }
  });

  it('gives up on a listener that never completes the WebSocket handshake', async () => {
    const hole = await startBlackHole();
    try {
      const err = await fetchMetagraph({ network: local(hole.url), netuid: NETUID, timeoutMs: 300 }).catch((e) => e);
      expect(err).toMatchObject({ code: 'chain_unreachable', kind: 'environment' });
      expect(err.message).toContain(`cannot reach subtensor at ${hole.url}`);
      expect(hole.connections()).toBe(1);
    } finally {
      await hole.close();
    }
  });

  it('reports a refused connection at once', async () => {
    const hole = await startBlackHole();
    const url = hole.url;
    await hole.close(); // nothing listens there any more
    const err = await fetchMetagraph({ network: local(url), netuid: NETUID, timeoutMs: 5000 }).catch((e) => e);
    expect(err).toMatchObject({ code: 'chain_unreachable' });
    expect(err.message).toBe(`cannot reach subtensor at ${url}: connection refused`);
  });
});

describe('chain: a node that fails in the middle of a read', () => {
  it('a dropped connection is an environment error, not a silent fallback', async () => {
    const node = await startChainNode({ subnets: { [NETUID]: subnet }, dropOn: 'NeuronInfoRuntimeApi_get_neurons_lite' });
    try {
      const err = await fetchMetagraph({ network: local(node.url), netuid: NETUID }).catch((e) => e);
      expect(err).toBeInstanceOf(ChainError);
      expect(err).toMatchObject({ code: 'chain_timeout', kind: 'environment' });
      expect(err.message).toMatch(new RegExp(`^subtensor at ${node.url} stopped answering while reading subnet 7`));
      expect(node.count('state_getKeysPaged')).toBe(0);
    } finally {
      await node.close();
    }
  });

  it('a runtime call that never returns is bounded by the request timeout', async () => {
    const node = await startChainNode({ subnets: { [NETUID]: subnet }, hangOn: 'NeuronInfoRuntimeApi_get_neurons_lite' });
    try {
      // The same bound covers connecting (metadata decoding included), so not too tight for a loaded machine;
      // the provider checks for overdue requests every 5 s either way.
      const err = await fetchMetagraph({ network: local(node.url), netuid: NETUID, timeoutMs: 2000 }).catch((e) => e);
      expect(err).toMatchObject({ code: 'chain_timeout', kind: 'environment' });
      expect(err.message).toMatch(/No response received from RPC endpoint/);
      expect(node.count('state_getKeysPaged')).toBe(0);
    } finally {
      await node.close();
    }
  });
});

describe('chain: the cache in front of the node', () => {
  it('reuses a fresh entry without connecting, re-reads on --refresh, and skips it with TTL 0', async () => {
    const node = await startChainNode({ subnets: { [NETUID]: subnet } });
    const home = mkdtempSync(join(tmpdir(), 'dendrite-chain-cache-'));
    const env = { HOME: home, XDG_CACHE_HOME: join(home, 'xdg') };
    try {
      const first = await loadMetagraph({ netuid: NETUID, network: node.url }, { env });
      expect(first.from).toBe('chain');
      expect(node.connections).toBe(1);
      expect(readdirSync(cacheDir(env))).toHaveLength(1);

      const second = await loadMetagraph({ netuid: NETUID, network: node.url }, { env });
      expect(second.from).toBe('cache');
      expect(second.metagraph).toEqual(first.metagraph);
      expect(node.connections).toBe(1);

      const refreshed = await loadMetagraph({ netuid: NETUID, network: node.url, refresh: true }, { env });
      expect(refreshed.from).toBe('chain');
      expect(node.connections).toBe(2);

      const env2 = { HOME: home, XDG_CACHE_HOME: join(home, 'xdg2') };
      const uncached = await loadMetagraph({ netuid: NETUID, network: node.url, cacheTtl: 0 }, { env: env2 });
      expect(uncached.from).toBe('chain');
      expect(node.connections).toBe(3);
      expect(existsSync(cacheDir(env2))).toBe(false);
    } finally {
      await node.close();
    }
  });
});
