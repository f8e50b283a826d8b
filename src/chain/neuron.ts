/**
 * Building `Neuron` values from the raw fields every read path produces
 * (typed runtime call, `Bytes` runtime call, storage), so that IP text,
 * serving and stake are computed in exactly one place.
 */
import { encodeAddress } from '../crypto/ss58.js';
import { ipToString, isServingIp } from './ip.js';
import type { Neuron } from './types.js';

export interface RawAxon {
  block: bigint;
  version: number;
  ip: bigint;
  port: number;
  ipType: number;
  protocol: number;
}

export interface RawNeuron {
  uid: number;
  hotkey: string;
  coldkey: string;
  active: boolean;
  validatorPermit: boolean;
  stake: bigint;
  axon: RawAxon;
}

export const ZERO_AXON: RawAxon = { block: 0n, version: 0, ip: 0n, port: 0, ipType: 0, protocol: 0 };

export function toNeuron(raw: RawNeuron): Neuron {
  const serving = isServingIp(raw.axon.ip);
  return {
    uid: raw.uid,
    hotkey: raw.hotkey,
    coldkey: raw.coldkey,
    active: raw.active,
    validatorPermit: raw.validatorPermit,
    stake: raw.stake,
    serving,
    axon: {
      // Python prints a never-served axon as 0.0.0.0 whatever its ip_type.
      ip: serving ? ipToString(raw.axon.ip, raw.axon.ipType) : '0.0.0.0',
      port: raw.axon.port,
      ipType: raw.axon.ipType,
      version: raw.axon.version,
      protocol: raw.axon.protocol,
      block: raw.axon.block,
    },
  };
}

export function accountToSs58(publicKey: Uint8Array): string {
  return encodeAddress(publicKey, 42);
}

export function sortByUid(neurons: Neuron[]): Neuron[] {
  return neurons.sort((a, b) => a.uid - b.uid);
}
