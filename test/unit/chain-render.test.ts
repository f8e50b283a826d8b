import { describe, expect, it } from 'vitest';
import type { Metagraph } from '../../src/chain/types.js';
import { formatStake, renderMetagraphJson, renderMetagraphTable } from '../../src/render/metagraph.js';
import { parseExact } from '../../src/targets/exact-json.js';

const mg: Metagraph = {
  netuid: 7,
  network: 'local',
  endpoint: 'ws://127.0.0.1:9944',
  block: 4242424,
  blockHash: '0x' + '11'.repeat(32),
  fetchedAt: '2026-11-25T12:00:00.000Z',
  source: 'runtime-api',
  neurons: [
    {
      uid: 0,
      hotkey: '5GD1hbosvkNeVJpAkhELY4JnS3J4dbPPnTiZ1FT1pm8y5Wjf',
      coldkey: '5G3nQCGBeXmfXng8jrmNVCctcV7aahd66DbzZg2unAYhpdmx',
      active: true,
      validatorPermit: true,
      stake: 1152921504606846976n,
      serving: true,
      axon: { ip: '10.0.0.1', port: 8091, ipType: 4, version: 10002000, protocol: 4, block: 5n },
    },
    {
      uid: 1,
      hotkey: '5HBaKEXJhCCeLnzqJ1wpeaDkkA9AcyrSt5dtb38HjtrtANHJ',
      coldkey: '5HRRB8hoSL4kYfwcvrBEwpp3yVBXVGX4H1zKNpk6JZzQ6JKW',
      active: false,
      validatorPermit: false,
      stake: 5n,
      serving: true,
      axon: { ip: '2001:db8::7', port: 8092, ipType: 6, version: 9, protocol: 4, block: 5n },
    },
    {
      uid: 12,
      hotkey: '5GTo7i7ExPb3qnmWbTpvuJcdu5tdpNafsEoK4a68CXYDsr92',
      coldkey: '5GTeAio5FnMwZyg6EYGCziy4HEXbusgq3rkSEyVLKJuGSr8i',
      active: true,
      validatorPermit: false,
      stake: 0n,
      serving: false,
      axon: { ip: '0.0.0.0', port: 0, ipType: 0, version: 0, protocol: 0, block: 0n },
    },
  ],
};

describe('render: metagraph', () => {
  it('formats rao-unit stake exactly, with 9 decimals', () => {
    expect(formatStake(0n)).toBe('0.000000000');
    expect(formatStake(1_500_000_000n)).toBe('1.500000000');
    expect(formatStake(1152921504606846976n)).toBe('1152921504.606846976');
  });

  it('puts the totals on top and one aligned row per uid', () => {
    const text = renderMetagraphTable(mg);
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('subnet 7 on local (ws://127.0.0.1:9944)');
    expect(lines[1]).toBe('block 4242424  neurons 3  serving 2  source runtime-api  read 2026-11-25T12:00:00.000Z');
    expect(lines[3]).toMatch(/^UID\s+HOTKEY\s+COLDKEY\s+ADDRESS\s+VERSION\s+STAKE\s+VPERMIT\s+ACTIVE$/);
    expect(lines[4]).toMatch(/^ +0  5GD1h\S+  5G3nQ\S+  10\.0\.0\.1:8091 +10002000  1152921504\.606846976  yes +yes$/);
    expect(lines[5]).toContain('[2001:db8::7]:8092');
    expect(lines[6]).toMatch(/^ +12 .* - +- +0\.000000000  no +yes$/);
    // columns line up: each row's address starts under the ADDRESS header
    expect(lines[4]!.indexOf('10.0.0.1')).toBe(lines[3]!.indexOf('ADDRESS'));
    expect(lines[5]!.indexOf('[2001')).toBe(lines[3]!.indexOf('ADDRESS'));
  });

  it('writes JSON with exact integers and the totals', () => {
    const text = renderMetagraphJson(mg);
    expect(text).toContain('"stake": 1152921504606846976');
    const doc = parseExact(text) as Record<string, unknown>;
    expect(doc.neuronCount).toBe(3);
    expect(doc.servingCount).toBe(2);
    expect(doc.block).toBe(4242424);
    expect((doc.neurons as Array<Record<string, unknown>>)[0]!.stake).toBe(1152921504606846976n);
  });
});
