import { describe, expect, it } from 'vitest';
import { decodeNeuronsLite, unwrapRuntimeBytes } from '../../src/chain/neuron-lite-bytes.js';
import { ScaleReader } from '../../src/chain/scale.js';
import { encodeAddress } from '../../src/crypto/ss58.js';
import { hexToBytes } from '../../src/crypto/bytes.js';
import { compactLength, encodeNeuronsLite, fixtureRegistry, makeSubnet } from '../support/chain-node.js';

describe('chain: old-runtime Bytes form of get_neurons_lite (CHAIN.md A3)', () => {
  it('reads SCALE compacts in all four modes, as the real registry encodes them', () => {
    const reg = fixtureRegistry();
    for (const v of [0n, 63n, 64n, 16383n, 16384n, (1n << 30n) - 1n, 1n << 30n, (1n << 64n) - 1n]) {
      const enc = reg.createType('Compact<u128>', v).toU8a();
      expect(new ScaleReader(enc).compact()).toBe(v);
    }
  });

  it('decodes Vec<NeuronInfoLite> encoded through the spec-381 fixture registry', () => {
    const subnet = makeSubnet(40);
    const payload = encodeNeuronsLite(3, subnet);
    const neurons = decodeNeuronsLite(payload);
    expect(neurons).toHaveLength(40);
    const n7 = neurons[7]!;
    expect(n7.uid).toBe(7);
    expect(n7.hotkey).toBe(encodeAddress(hexToBytes(subnet[7]!.hotkey), 42));
    expect(n7.coldkey).toBe(encodeAddress(hexToBytes(subnet[7]!.coldkey), 42));
    expect(n7.axon).toEqual({ ip: '2001:db8::7', port: 8007, ipType: 6, version: 10_002_000, protocol: 4, block: 4_000_000n });
    expect(neurons[1]!.axon.ip).toBe('10.0.0.1');
    expect(neurons[3]!.serving).toBe(false);
    expect(neurons[3]!.axon.ip).toBe('0.0.0.0');
    expect(neurons[16]!.validatorPermit).toBe(true);
    expect(neurons[17]!.validatorPermit).toBe(false);
    expect(neurons[5]!.active).toBe(false);
    expect(neurons[6]!.active).toBe(true);
    expect(neurons[39]!.stake).toBe(subnet[39]!.stake);
    expect(neurons[39]!.stake > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
  });

  it('unwraps the extra Bytes layer polkadot-js adds around a Vec<u8> output', () => {
    const payload = encodeNeuronsLite(3, makeSubnet(2));
    const wrapped = Uint8Array.from([...compactLength(payload.length), ...payload]);
    expect(decodeNeuronsLite(unwrapRuntimeBytes(wrapped))).toEqual(decodeNeuronsLite(payload));
  });

  it('fails with a chain_decode error on truncated or padded input', () => {
    const payload = encodeNeuronsLite(3, makeSubnet(2));
    expect(() => decodeNeuronsLite(payload.subarray(0, payload.length - 1))).toThrow(expect.objectContaining({ code: 'chain_decode' }));
    expect(() => decodeNeuronsLite(Uint8Array.from([...payload, 0]))).toThrow(expect.objectContaining({ code: 'chain_decode' }));
  });
});
