/**
 * Reading one subnet's neurons from a connected node (CHAIN.md A5).
 *
 * Everything is pinned to one block (the best block when we start), so the
 * existence check, the runtime call and, if needed, the storage fallback all
 * describe the same chain state. Primary path: one
 * `NeuronInfoRuntimeApi.get_neurons_lite` call, typed on current runtimes and
 * `Bytes` on old ones. Fallback: the storage maps, when the runtime API is
 * missing or the node refuses `state_call`.
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

export async function readSubnet(api: ApiPromise, netuid: number, opts: { forceStorage?: boolean } = {}): Promise<SubnetRead> {
  const blockHash = (await api.rpc.chain.getBlockHash()).toHex();
  const header = await api.rpc.chain.getHeader(blockHash);
  const block = header.number.toNumber();
  const at: Codec = await api.at(blockHash);

  const sm = at.query.subtensorModule;
  if (!sm?.networksAdded) {
    throw new ChainError('chain_not_subtensor', 'the node has no SubtensorModule pallet: is --network a subtensor node?');
  }
  const exists: boolean = (await sm.networksAdded(netuid)).isTrue;
  if (!exists) {
    throw new ChainError('subnet_missing', `subnet ${netuid} does not exist (block ${block}): check --netuid`);
  }

  let fallbackReason: string;
  const call = at.call?.neuronInfoRuntimeApi?.getNeuronsLite;
  if (opts.forceStorage) {
    fallbackReason = 'storage path requested';
  } else if (!call) {
    fallbackReason = 'the runtime has no NeuronInfoRuntimeApi.get_neurons_lite';
  } else {
    try {
      const out: Codec = await call(netuid);
      if (isBytesOutput(call)) {
        const neurons = decodeNeuronsLite(unwrapRuntimeBytes(out.toU8a(true)));
        return { block, blockHash, source: 'runtime-api-bytes', neurons: sortByUid(neurons) };
      }
      return { block, blockHash, source: 'runtime-api', neurons: sortByUid(out.map(fromTypedNeuronLite)) };
    } catch (e) {
      if (isTransportError(e)) throw e;
      // A refusal (RPC error reply) or an unexpected shape: storage still works.
      fallbackReason = `get_neurons_lite failed: ${(e as Error).message?.split('\n')[0]}`;
    }
  }
  const neurons = await readSubnetStorage(sm, netuid);
  return { block, blockHash, source: 'storage', neurons, fallbackReason };
}

/** polkadot-js exposes the method's output type (from metadata) on `meta.type`. */
function isBytesOutput(call: Codec): boolean {
  const t = String(call?.meta?.type ?? '');
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
