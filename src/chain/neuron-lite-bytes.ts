/**
 * Decoder for the `Bytes` form of NeuronInfoRuntimeApi.get_neurons_lite that
 * runtimes before spec ~233 return (CHAIN.md A3): the runtime hands back a
 * SCALE `Vec<u8>` whose content is `Vec<NeuronInfoLite>`, and polkadot-js
 * wraps it once more in `Bytes`. The layout is fixed in CHAIN.md; it has not
 * changed between spec 218 and the typed runtimes.
 */
import { ChainError } from '../errors.js';
import { accountToSs58, toNeuron, type RawNeuron } from './neuron.js';
import { ScaleReader } from './scale.js';
import type { Neuron } from './types.js';

/**
 * `raw` is what `api.call…getNeuronsLite` gives for a `Bytes` output: the
 * compact length of the runtime's Vec<u8> followed by its content.
 */
export function unwrapRuntimeBytes(raw: Uint8Array): Uint8Array {
  const r = new ScaleReader(raw);
  const payload = r.bytesVec();
  if (r.remaining !== 0) {
    throw new ChainError('chain_decode', `cannot decode the chain's reply: ${r.remaining} bytes after the runtime's Vec<u8>`);
  }
  return payload;
}

/** Decodes a SCALE `Vec<NeuronInfoLite>` (the runtime's payload, unwrapped). */
export function decodeNeuronsLite(payload: Uint8Array): Neuron[] {
  const r = new ScaleReader(payload);
  const count = r.compactNumber();
  const out: Neuron[] = [];
  for (let i = 0; i < count; i++) out.push(toNeuron(readNeuronLite(r)));
  if (r.remaining !== 0) {
    throw new ChainError('chain_decode', `cannot decode the chain's reply: ${r.remaining} bytes left after ${count} neurons`);
  }
  return out;
}

function readNeuronLite(r: ScaleReader): RawNeuron {
  const hotkey = accountToSs58(r.take(32));
  const coldkey = accountToSs58(r.take(32));
  const uid = Number(r.compact());
  r.compact(); // netuid
  const active = r.bool();
  const axon = {
    block: r.u64(),
    version: r.u32(),
    ip: r.u128(),
    port: r.u16(),
    ipType: r.u8(),
    protocol: r.u8(),
  };
  r.u8(); // placeholder1
  r.u8(); // placeholder2
  // prometheus_info: block u64, version u32, ip u128, port u16, ip_type u8
  r.take(8 + 4 + 16 + 2 + 1);
  let stake = 0n;
  const stakes = r.compactNumber();
  for (let i = 0; i < stakes; i++) {
    r.take(32);
    stake += r.compact();
  }
  // rank, emission (u64), incentive, consensus, trust, validator_trust, dividends, last_update (u64)
  for (let i = 0; i < 8; i++) r.compact();
  const validatorPermit = r.bool();
  r.compact(); // pruning_score
  return { uid, hotkey, coldkey, active, validatorPermit, stake, axon };
}
