import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Metagraph, Neuron } from '../../src/chain/types.js';
import { cacheDir, cacheFile, readCachedMetagraph, writeCachedMetagraph } from '../../src/targets/cache.js';
import { loadMetagraph } from '../../src/targets/metagraph-source.js';
import { resolveTargets } from '../../src/targets/resolve.js';
import { selectFromMetagraph } from '../../src/targets/select.js';
import { parseMetagraph, readSnapshotFile, serializeMetagraph, writeSnapshotFile } from '../../src/targets/snapshot.js';

function neuron(uid: number, over: Partial<Neuron> = {}): Neuron {
  return {
    uid,
    hotkey: `5HotKey${uid}`,
    coldkey: `5ColdKey${uid}`,
    active: true,
    validatorPermit: false,
    stake: (1n << 62n) + BigInt(uid),
    serving: true,
    axon: { ip: `10.0.0.${uid}`, port: 9000 + uid, ipType: 4, version: 10002000, protocol: 4, block: 77n },
    ...over,
  };
}

function sampleMetagraph(fetchedAt = '2026-11-25T12:00:00.000Z'): Metagraph {
  return {
    netuid: 5,
    network: 'local',
    endpoint: 'ws://127.0.0.1:9944',
    block: 1234,
    blockHash: '0x' + 'ab'.repeat(32),
    fetchedAt,
    source: 'runtime-api',
    neurons: [
      neuron(0, { validatorPermit: true }),
      neuron(1),
      neuron(2, { serving: false, axon: { ip: '0.0.0.0', port: 0, ipType: 0, version: 0, protocol: 0, block: 0n } }),
      neuron(3, { axon: { ip: '2001:db8::3', port: 9003, ipType: 6, version: 1, protocol: 4, block: 1n } }),
      neuron(4, { validatorPermit: true, serving: false, axon: { ip: '0.0.0.0', port: 0, ipType: 0, version: 0, protocol: 0, block: 0n } }),
    ],
  };
}

describe('targets: metagraph snapshots', () => {
  it('round-trips exactly, stake beyond 2^53 included', () => {
    const mg = sampleMetagraph();
    const text = serializeMetagraph(mg);
    expect(text).toContain(`"stake": ${(1n << 62n).toString()}`);
    expect(text).toContain('"neuronCount": 5');
    expect(text).toContain('"servingCount": 3');
    expect(parseMetagraph(text, 'x.json')).toEqual(mg);
  });

  it('writes and reads files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dendrite-snap-'));
    const file = join(dir, 'sub', 'mg.json');
    writeSnapshotFile(file, sampleMetagraph());
    expect(readSnapshotFile(file)).toEqual(sampleMetagraph());
  });

  it('rejects files that are not snapshots, naming the file (usage error)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dendrite-snap-'));
    const file = join(dir, 'bad.json');
    writeFileSync(file, '{"format":"something-else"}');
    expect(() => readSnapshotFile(file)).toThrow(expect.objectContaining({ kind: 'usage', code: 'bad_metagraph_file' }));
    writeFileSync(file, serializeMetagraph(sampleMetagraph()).replace('"stake": ', '"stake": -'));
    expect(() => readSnapshotFile(file)).toThrow(/neurons\[0\]\.stake/);
    expect(() => readSnapshotFile(join(dir, 'missing.json'))).toThrow(expect.objectContaining({ code: 'metagraph_file_unreadable' }));
  });
});

describe('targets: choosing axons from a metagraph', () => {
  const mg = sampleMetagraph();

  it('--all takes every serving axon, with uid, netuid and keys', () => {
    const r = selectFromMetagraph(mg, { all: true });
    expect(r.targets.map((t) => t.uid)).toEqual([0, 1, 3]);
    expect(r.targets[2]).toEqual({ ip: '2001:db8::3', port: 9003, hotkey: '5HotKey3', coldkey: '5ColdKey3', uid: 3, netuid: 5 });
    expect(r.skipped).toEqual([]);
  });

  it('--validators takes serving validators only', () => {
    expect(selectFromMetagraph(mg, { validators: true }).targets.map((t) => t.uid)).toEqual([0]);
  });

  it('--uid reports missing and non-serving uids one by one instead of failing', () => {
    const r = selectFromMetagraph(mg, { uids: [3, 2, 99, 0] });
    expect(r.targets.map((t) => t.uid)).toEqual([3, 0]);
    expect(r.skipped).toEqual([
      { uid: 2, reason: 'uid 2 is not serving (no axon on chain)' },
      { uid: 99, reason: 'no uid 99 in subnet 5 (5 neurons)' },
    ]);
  });

  it('--uid with --validators reports uids without a permit', () => {
    const r = selectFromMetagraph(mg, { uids: [0, 1], validators: true });
    expect(r.targets.map((t) => t.uid)).toEqual([0]);
    expect(r.skipped).toEqual([{ uid: 1, reason: 'uid 1 has no validator permit' }]);
  });
});

describe('targets: the metagraph cache', () => {
  it('lives under $XDG_CACHE_HOME/dendrite, else ~/.cache/dendrite', () => {
    expect(cacheDir({ XDG_CACHE_HOME: '/x/cache', HOME: '/h' })).toBe('/x/cache/dendrite');
    expect(cacheDir({ HOME: '/h' })).toBe('/h/.cache/dendrite');
  });

  it('keys entries by endpoint and netuid', () => {
    expect(cacheFile('/d', 'ws://127.0.0.1:1', 5)).not.toBe(cacheFile('/d', 'ws://127.0.0.1:2', 5));
    expect(cacheFile('/d', 'ws://127.0.0.1:1', 5)).not.toBe(cacheFile('/d', 'ws://127.0.0.1:1', 6));
  });

  it('hits within the TTL, misses after it, and never with TTL 0', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dendrite-cache-'));
    const mg = sampleMetagraph('2026-11-25T12:00:00.000Z');
    expect(writeCachedMetagraph(dir, mg)).toBeUndefined();
    const q = { dir, endpoint: mg.endpoint, netuid: 5, ttlS: 300 };
    expect(readCachedMetagraph({ ...q, now: new Date('2026-11-25T12:04:59Z') })).toEqual(mg);
    expect(readCachedMetagraph({ ...q, now: new Date('2026-11-25T12:05:01Z') })).toBeUndefined();
    expect(readCachedMetagraph({ ...q, ttlS: 0, now: new Date('2026-11-25T12:00:01Z') })).toBeUndefined();
    expect(readCachedMetagraph({ ...q, netuid: 6, now: new Date('2026-11-25T12:00:01Z') })).toBeUndefined();
  });

  it('treats a corrupt entry as a miss', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dendrite-cache-'));
    const mg = sampleMetagraph();
    writeFileSync(cacheFile(dir, mg.endpoint, 5), '{not json');
    expect(readCachedMetagraph({ dir, endpoint: mg.endpoint, netuid: 5, ttlS: 300, now: new Date(mg.fetchedAt) })).toBeUndefined();
  });
});

describe('targets: loadMetagraph without the chain', () => {
  it('uses a --metagraph file and checks it against --netuid', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dendrite-snap-'));
    const file = join(dir, 'mg.json');
    writeSnapshotFile(file, sampleMetagraph());
    const r = await loadMetagraph({ metagraph: file });
    expect(r.from).toBe('snapshot');
    expect(r.metagraph.neurons).toHaveLength(5);
    await expect(loadMetagraph({ metagraph: file, netuid: 6 })).rejects.toMatchObject({ code: 'netuid_mismatch', kind: 'usage' });
  });

  it('uses a fresh cache entry for the network, with no connection', async () => {
    const home = mkdtempSync(join(tmpdir(), 'dendrite-home-'));
    const env = { HOME: home, XDG_CACHE_HOME: join(home, 'cache') };
    // the endpoint is a closed port: a connection attempt would fail the test
    const mg = { ...sampleMetagraph(), endpoint: 'ws://127.0.0.1:9' };
    writeCachedMetagraph(cacheDir(env), mg);
    expect(existsSync(cacheFile(cacheDir(env), mg.endpoint, 5))).toBe(true);
    const notes: string[] = [];
    const r = await loadMetagraph(
      { netuid: 5, network: 'ws://127.0.0.1:9' },
      { env, now: () => new Date('2026-11-25T12:01:00Z'), onNote: (n) => notes.push(n) },
    );
    expect(r.from).toBe('cache');
    expect(r.metagraph).toEqual(mg);
    expect(notes.join('\n')).toMatch(/from cache \(block 1234/);
    expect(readFileSync(cacheFile(cacheDir(env), mg.endpoint, 5), 'utf8')).toBe(serializeMetagraph(mg));
  });

  it('needs a netuid and sane numbers', async () => {
    await expect(loadMetagraph({})).rejects.toMatchObject({ code: 'netuid_required', kind: 'usage' });
    await expect(loadMetagraph({ netuid: 70000 })).rejects.toMatchObject({ code: 'bad_netuid' });
    await expect(loadMetagraph({ netuid: 1, network: 'nowhere' })).rejects.toMatchObject({ code: 'unknown_network' });
    await expect(loadMetagraph({ netuid: 1, network: 'local', chainTimeout: 0 }, { env: { HOME: '/nonexistent' } })).rejects.toMatchObject({ code: 'bad_chain_timeout' });
  });
});

describe('targets: resolveTargets (the contract query/ping/stream use)', () => {
  async function snapshotFile(): Promise<string> {
    const dir = mkdtempSync(join(tmpdir(), 'dendrite-resolve-'));
    const file = join(dir, 'mg.json');
    writeSnapshotFile(file, sampleMetagraph());
    return file;
  }
  const BOB = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty';

  it('passes --axon specs through the axon parser, and needs no chain for them', async () => {
    const r = await resolveTargets({ axon: [`${BOB}@127.0.0.1:8091`] }, { env: { HOME: '/nonexistent' } });
    expect(r).toEqual({ targets: [{ ip: '127.0.0.1', port: 8091, hotkey: BOB }], skipped: [] });
  });

  it('combines --axon with uids from a snapshot, and reports skipped uids', async () => {
    const file = await snapshotFile();
    const r = await resolveTargets({ axon: [`${BOB}@127.0.0.1:8091`], metagraph: file, uid: ['1-2', '7'] });
    expect(r.targets.map((t) => [t.ip, t.uid])).toEqual([['127.0.0.1', undefined], ['10.0.0.1', 1]]);
    expect(r.skipped.map((s) => s.uid)).toEqual([2, 7]);
    expect(r.metagraph?.from).toBe('snapshot');
  });

  it('rejects selections that make no sense, as usage errors', async () => {
    const file = await snapshotFile();
    await expect(resolveTargets({ netuid: 5 })).rejects.toMatchObject({ code: 'no_uid_selection', kind: 'usage' });
    await expect(resolveTargets({ metagraph: file, uid: ['1'], all: true })).rejects.toMatchObject({ code: 'uid_and_all' });
    await expect(resolveTargets({ all: true })).rejects.toMatchObject({ code: 'netuid_required' });
    await expect(resolveTargets({ metagraph: file, uid: ['x'] })).rejects.toMatchObject({ code: 'bad_uid' });
  });
});
