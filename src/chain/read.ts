/**
 * Reading one subnet's neurons from a connected node (CHAIN.md A5).
 *
 * Primary path, one round trip: `NeuronInfoRuntimeApi.get_neurons_lite` at
 * the node's best block, sent together with `chain_getHeader` for the block's
 * number and hash. Only an empty answer costs more: it may mean the subnet
 * does not exist, which `NetworksAdded` then decides at that block. Fallback:
 * the storage maps, when the runtime API is missing or the node refuses
 * `state_call`, pinned to one block so all the maps describe the same state.
 */
import type { ApiPromise } from '@polkadot/api';
import { ChainError } from '../errors.js';
import { accountToSs58, sortByUid, toNeuron, ZERO_AXON, type RawAxon } from './neuron.js';
import { decodeNeuronsLite, unwrapRuntimeBytes } from './neuron-lite-bytes.js';
import type { MetagraphSource, Neuron } from './types.js';

export interface SubnetRead {
  block: number;
  blockHash: string;
  source: MetagraphSource;
  neurons: Neuron[];
  /** Why the storage path was used, when it was. */
  fallbackReason?: string;
}

/* The codecs are typed loosely on purpose: their shapes come from the
   runtime's metadata at run time, not from generated augmentations. */
/* eslint-disable @typescript-eslint/no-explicit-any */
type Codec = any;

/** True for errors that mean the node is gone or silent, not that it refused. */
export function isTransportError(e: unknown): boolean {
  const msg = (e as Error)?.message ?? '';
  return /No response received from RPC endpoint|disconnected from|WebSocket is not connected|Abnormal Closure/i.test(msg);
}

function notSubtensor(): ChainError {
  return new ChainError('chain_not_subtensor', 'the node has no SubtensorModule pallet: is --network a subtensor node?');
}

interface Head {
  block: number;
  blockHash: string;
}

function headOf(header: Codec): Head {
  // A block's hash is the blake2-256 of its header, so the header alone gives both.
  return { block: header.number.toNumber(), blockHash: header.hash.toHex() };
}

export async function readSubnet(api: ApiPromise, netuid: number, opts: { forceStorage?: boolean } = {}): Promise<SubnetRead> {
  // The metadata we connected with already says whether this is subtensor: no request needed.
  if (!(api.query as Codec).subtensorModule?.networksAdded) throw notSubtensor();

  // What polkadot-js decorated from the metadata: the method's name, parameter and output types.
  const def: Codec = (api.call as Codec).neuronInfoRuntimeApi?.getNeuronsLite?.meta;
  const stateCall: Codec = (api.rpc as Codec).state?.call;
  let fallbackReason: string;
  let head: Head | undefined;
  if (opts.forceStorage) {
    fallbackReason = 'storage path requested';
  } else if (!def) {
    fallbackReason = 'the runtime has no NeuronInfoRuntimeApi.get_neurons_lite';
  } else if (!stateCall) {
    fallbackReason = 'the node does not offer the state_call RPC';
  } else {
    // Both requests go out before either answer is back: one round trip.
    // Neither names a block, so both are answered from the node's best block
    // of the moment; if a block is imported between the two, the neurons may
    // be one block newer than the number and hash reported. Pinning the call
    // to the header's hash would make it exact at the cost of a second round
    // trip, and no single request returns the neurons with their block.
    const call = callNeuronsLite(api, def, stateCall, netuid);
    call.catch(() => undefined); // awaited below; a transport failure must not count as unhandled meanwhile
    head = headOf(await api.rpc.chain.getHeader());
    const out = await call;
    if ('neurons' in out) {
      // The runtime answers [] for a subnet that does not exist (CHAIN.md A5); only then is the check worth a request.
      if (out.neurons.length === 0) await pinnedSubtensor(api, netuid, head);
      return { ...head, ...out };
    }
    fallbackReason = out.failed;
  }
  head ??= headOf(await api.rpc.chain.getHeader());
  const sm = await pinnedSubtensor(api, netuid, head);
  const neurons = await readSubnetStorage(sm, netuid);
  return { ...head, source: 'storage', neurons, fallbackReason };
}

/**
 * SubtensorModule's storage pinned to the block `head` (with that block's own
 * metadata), after checking that the subnet exists there.
 */
async function pinnedSubtensor(api: ApiPromise, netuid: number, head: Head): Promise<Codec> {
  const at: Codec = await api.at(head.blockHash);
  const sm = at.query.subtensorModule;
  if (!sm?.networksAdded) throw notSubtensor();
  const exists: boolean = (await sm.networksAdded(netuid)).isTrue;
  if (!exists) {
    throw new ChainError('subnet_missing', `subnet ${netuid} does not exist (block ${head.block}): check --netuid`);
  }
  return sm;
}

/**
 * get_neurons_lite through `state_call` at the best block. Sends at once (the
 * request is written before this returns). Resolves with the neurons, or with
 * why the storage path must do instead: a refusal (an RPC error reply) or an
 * answer of an unexpected shape. Rejects only when the node is gone.
 */
async function callNeuronsLite(api: ApiPromise, def: Codec, stateCall: Codec, netuid: number): Promise<{ source: MetagraphSource; neurons: Neuron[] } | { failed: string }> {
  let raw: Uint8Array;
  try {
    // Arguments encoded as the metadata declares them (netuid: a u16, or the NetUid newtype over it).
    if (def.params?.length !== 1) throw new Error(`it takes ${def.params?.length} parameters, expected 1 (netuid)`);
    const args: Uint8Array = (api.registry as Codec).createTypeUnsafe(def.params[0].type, [netuid]).toU8a();
    // A hex string: a Uint8Array would be taken as already length-prefixed Bytes.
    const result: Codec = await stateCall(def.name, toHex(args));
    raw = result.toU8a(true);
  } catch (e) {
    if (isTransportError(e)) throw e;
    return { failed: `get_neurons_lite failed: ${firstLine(e)}` };
  }
  try {
    return decodeNeuronsLiteOutput(api, def, raw);
  } catch (e) {
    return { failed: `get_neurons_lite failed: ${firstLine(e)}` };
  }
}

/**
 * The runtime's answer (the raw bytes of state_call's result), decoded as
 * the metadata declares the output: typed `Vec<NeuronInfoLite>` through the
 * registry, or `Bytes` wrapping the same layout on old runtimes (CHAIN.md A3).
 * Either way every byte must be used: a mismatch means we misread the shape.
 */
function decodeNeuronsLiteOutput(api: ApiPromise, def: Codec, raw: Uint8Array): { source: MetagraphSource; neurons: Neuron[] } {
  if (isBytesOutput(def.type)) {
    return { source: 'runtime-api-bytes', neurons: sortByUid(decodeNeuronsLite(unwrapRuntimeBytes(raw))) };
  }
  const out: Codec = (api.registry as Codec).createTypeUnsafe(def.type, [raw]);
  const used: number = out.initialU8aLength ?? out.encodedLength;
  if (used !== raw.length) {
    throw new ChainError('chain_decode', `cannot decode the chain's reply: ${raw.length - used} bytes left after ${String(def.type)}`);
  }
  return { source: 'runtime-api', neurons: sortByUid(out.map(fromTypedNeuronLite)) };
}

function firstLine(e: unknown): string {
  return String((e as Error)?.message ?? e).split('\n')[0]!;
}

/** The output type polkadot-js names from the metadata: `Bytes` on runtimes before spec ~233. */
function isBytesOutput(type: unknown): boolean {
  const t = String(type ?? '');
  return t === 'Bytes' || t === 'Vec<u8>';
}

function axonFromCodec(a: Codec): RawAxon {
  return {
    block: a.block.toBigInt(),
    version: a.version.toNumber(),
    ip: a.ip.toBigInt(), // never toJSON(): it turns big values into hex strings (CHAIN.md A4)
    port: a.port.toNumber(),
    ipType: a.ipType.toNumber(),
    protocol: a.protocol.toNumber(),
  };
}

function fromTypedNeuronLite(n: Codec): Neuron {
  let stake = 0n;
  for (const entry of n.stake) stake += entry[1].toBigInt();
  return toNeuron({
    uid: n.uid.toNumber(),
    hotkey: accountToSs58(n.hotkey.toU8a()),
    coldkey: accountToSs58(n.coldkey.toU8a()),
    active: n.active.isTrue,
    validatorPermit: n.validatorPermit.isTrue,
    stake,
    axon: axonFromCodec(n.axonInfo),
  });
}

/**
 * The storage path (CHAIN.md A2/A5): Keys and Axons by prefix scan, then
 * Owner and TotalHotkeyAlpha for the hotkeys found, plus the per-subnet
 * permit and active vectors. `sm` is already pinned to one block.
 */
async function readSubnetStorage(sm: Codec, netuid: number): Promise<Neuron[]> {
  const [keyEntries, axonEntries, permits, actives] = await Promise.all([
    sm.keys.entries(netuid),
    sm.axons.entries(netuid),
    sm.validatorPermit(netuid),
    sm.active(netuid),
  ]);
  const byUid = new Map<number, Uint8Array>();
  for (const [key, value] of keyEntries) byUid.set(key.args[1].toNumber(), value.toU8a());
  const axons = new Map<string, RawAxon>();
  for (const [key, value] of axonEntries) {
    if (value.isSome) axons.set(key.args[1].toHex(), axonFromCodec(value.unwrap()));
  }
  const uids = [...byUid.keys()].sort((a, b) => a - b);
  const hotkeys = uids.map((u) => byUid.get(u)!);
  const [owners, alphas] =
    hotkeys.length === 0
      ? [[], []]
      : await Promise.all([sm.owner.multi(hotkeys), sm.totalHotkeyAlpha.multi(hotkeys.map((h) => [h, netuid]))]);
  const permitVec: boolean[] = permits.map((b: Codec) => b.isTrue);
  const activeVec: boolean[] = actives.map((b: Codec) => b.isTrue);
  return uids.map((uid, i) => {
    const hk = hotkeys[i]!;
    return toNeuron({
      uid,
      hotkey: accountToSs58(hk),
      coldkey: accountToSs58(owners[i].toU8a()),
      active: activeVec[uid] ?? false,
      validatorPermit: permitVec[uid] ?? false,
      stake: alphas[i].toBigInt(),
      axon: axons.get(toHex(hk)) ?? ZERO_AXON,
    });
  });
}

function toHex(b: Uint8Array): string {
  return '0x' + Buffer.from(b).toString('hex');
}
