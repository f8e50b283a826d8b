/**
 * A local subtensor-like node: a WebSocket JSON-RPC 2.0 server on 127.0.0.1
 * that serves real runtime metadata and answers what @polkadot/api asks while
 * connecting, pinning a block, calling NeuronInfoRuntimeApi.get_neurons_lite
 * and reading the SubtensorModule storage maps (CHAIN.md B3), with values
 * SCALE-encoded through the registry built from that metadata.
 *
 * `dendrite demo` uses it to resolve a local subnet of our own axons; the
 * tests use it, with the options that make it an awkward node (refusing
 * state_call, silent, frozen, dropping or hanging on a method), to prove the
 * client copes. It is not a chain: no blocks are produced, nothing persists.
 */
import type { AddressInfo } from 'node:net';
import type { Socket } from 'node:net';
import { Metadata, TypeRegistry, expandMetadata } from '@polkadot/types';
import { WebSocketServer, type WebSocket } from 'ws';
import { decodeAddress } from '../crypto/ss58.js';
import { withQuietPolkadot } from '../chain/quiet.js';

export interface DevNeuron {
  uid: number;
  /** SS58 or 0x-hex public key. */
  hotkey: string;
  coldkey: string;
  ip: bigint;
  ipType: number;
  port: number;
  version?: number;
  active?: boolean;
  validatorPermit?: boolean;
  /** rao */
  stake?: bigint;
  axonBlock?: bigint;
}

export interface DevChainOptions {
  /** Raw runtime metadata bytes (`meta` magic + version) of a subtensor runtime. */
  metadata: Uint8Array;
  /** netuid -> neurons. A netuid not listed does not exist. */
  subnets?: Record<number, DevNeuron[]>;
  /** Answer every state_call with a JSON-RPC error (a node that refuses it). */
  refuseStateCall?: boolean;
  /** Serve metadata whose get_neurons_lite returns `Bytes` (old runtimes) and answer in that form. */
  bytesRuntimeCall?: boolean;
  /** Accept WebSocket connections and never answer anything. */
  silent?: boolean;
  /** Like `silent`, and stop reading the socket too: not even a WebSocket close frame is answered. */
  frozen?: boolean;
  blockNumber?: number;
  /** Never answer requests whose method (or, for state_call, runtime function) is this. */
  hangOn?: string;
  /** Close the connection when a request for this method (or runtime function) arrives. */
  dropOn?: string;
  /** Answer requests for this method (or runtime function) with a JSON-RPC error, while still listing it in rpc_methods. */
  failOn?: string;
}

export interface RpcCall {
  method: string;
  params: unknown[];
  /** When the request was read off the socket (performance.now(), ms). */
  receivedAt: number;
  /** When its answer was written; unset while unanswered (or never, see `hangOn`). */
  repliedAt?: number;
}

/**
 * Groups calls into round trips: a call read before the first answer of the
 * current group went out cannot depend on any answer of that group, so the
 * client sent it while the group was outstanding. Seen from the server, so it
 * can only over-count (a request crossing an answer in flight starts a new
 * round trip here), never under-count.
 */
export function roundTrips(calls: readonly RpcCall[]): RpcCall[][] {
  const groups: RpcCall[][] = [];
  let firstReply = -Infinity;
  for (const c of [...calls].sort((a, b) => a.receivedAt - b.receivedAt)) {
    if (groups.length > 0 && c.receivedAt < firstReply) {
      groups.at(-1)!.push(c);
      firstReply = Math.min(firstReply, c.repliedAt ?? Infinity);
    } else {
      groups.push([c]);
      firstReply = c.repliedAt ?? Infinity;
    }
  }
  return groups;
}

export interface DevChain {
  url: string;
  port: number;
  /** WebSocket connections accepted so far. */
  readonly connections: number;
  /** Every request received, in order. */
  readonly calls: RpcCall[];
  /** Hash of the node's one block (the blake2-256 of its header, as on a real chain). */
  readonly bestHash: string;
  count(method: string, firstParam?: string): number;
  close(): Promise<void>;
}

interface Fixture {
  bytes: Uint8Array;
  registry: TypeRegistry;
  metadata: Metadata;
  runtimeVersion: Record<string, unknown>;
}

// Decoding metadata takes a while: once per metadata buffer.
const fixtures = new WeakMap<Uint8Array, Fixture>();
const bytesFixtures = new WeakMap<Uint8Array, Fixture>();

function loadFixture(metadata: Uint8Array): Fixture {
  let fx = fixtures.get(metadata);
  if (!fx) fixtures.set(metadata, (fx = build(metadata)));
  return fx;
}

function build(bytes: Uint8Array): Fixture {
  const registry = new TypeRegistry();
  const metadata = new Metadata(registry, bytes);
  registry.setMetadata(metadata);
  const runtimeVersion = expandMetadata(registry, metadata).consts.system!.version!.toJSON() as Record<string, unknown>;
  return { bytes, registry, metadata, runtimeVersion };
}

/**
 * The fixture with get_neurons_lite's output retyped to `Bytes`, which is
 * how runtimes before spec ~233 declare it. Everything else is unchanged.
 */
function loadBytesFixture(metadata: Uint8Array): Fixture {
  const cached = bytesFixtures.get(metadata);
  if (cached) return cached;
  const base = loadFixture(metadata);
  const json = base.metadata.toJSON() as any;
  const v16 = json.metadata.v16;
  const bytesId = base.metadata.asLatest.lookup.types.find(
    (t) => base.registry.lookup.getTypeDef(t.id).type === 'Bytes',
  )!.id.toNumber();
  const api = v16.apis.find((a: any) => a.name === 'NeuronInfoRuntimeApi');
  const m = api.methods.find((x: any) => x.name === 'get_neurons_lite');
  m.output = bytesId;
  const bytes = new Metadata(new TypeRegistry(), json).toU8a();
  const fx = build(bytes);
  bytesFixtures.set(metadata, fx);
  return fx;
}

/** The type registry built from this metadata (for encoding values). */
export function registryFor(metadata: Uint8Array): TypeRegistry {
  return loadFixture(metadata).registry;
}

/** SCALE `Vec<NeuronInfoLite>` for these neurons, encoded through the metadata's registry. */
export function encodeNeuronsLite(metadata: Uint8Array, netuid: number, neurons: DevNeuron[]): Uint8Array {
  return loadFixture(metadata).registry.createType('Vec<PalletSubtensorRpcInfoNeuronInfoNeuronInfoLite>', neuronsLiteValue(netuid, neurons)).toU8a();
}

function neuronsLiteValue(netuid: number, neurons: DevNeuron[]) {
  return neurons.map((n) => ({
    hotkey: accountHex(n.hotkey),
    coldkey: accountHex(n.coldkey),
    uid: n.uid,
    netuid,
    active: n.active ?? true,
    axonInfo: axonValue(n),
    prometheusInfo: { block: 0, version: 0, ip: 0, port: 0, ipType: 0 },
    stake: [[accountHex(n.coldkey), n.stake ?? 0n]],
    rank: 0,
    emission: 0,
    incentive: 0,
    consensus: 0,
    trust: 0,
    validatorTrust: 0,
    dividends: 0,
    lastUpdate: 0,
    validatorPermit: n.validatorPermit ?? false,
    pruningScore: 65535,
  }));
}

export function compactLength(n: number): Uint8Array {
  return compactLen(n);
}

function hex(u8: Uint8Array): string {
  return '0x' + Buffer.from(u8).toString('hex');
}

function accountHex(a: string): string {
  return a.startsWith('0x') ? a : hex(decodeAddress(a).publicKey);
}

/** SCALE compact length prefix (enough for the sizes used here). */
function compactLen(n: number): Uint8Array {
  if (n < 1 << 6) return Uint8Array.of(n << 2);
  if (n < 1 << 14) return Uint8Array.of(((n << 2) | 1) & 255, n >> 6);
  const v = (n << 2) | 2;
  return Uint8Array.of(v & 255, (v >>> 8) & 255, (v >>> 16) & 255, (v >>> 24) & 255);
}

function concat(...parts: Uint8Array[]): Uint8Array {
  return Uint8Array.from(Buffer.concat(parts));
}

export const PARENT_HASH = '0x' + 'cd'.repeat(32);
export const GENESIS_HASH = '0x' + '2f'.repeat(32);

/**
 * Starts the node on 127.0.0.1 (a free port). Nothing is persisted; `close()`
 * ends every connection.
 */
export async function startDevChain(opts: DevChainOptions): Promise<DevChain> {
  // Decoding real metadata makes @polkadot/types log about signed extensions it does not know; not news for a user.
  const fx = await withQuietPolkadot(async () => (opts.bytesRuntimeCall ? loadBytesFixture(opts.metadata) : loadFixture(opts.metadata)));
  const { registry, metadata } = fx;
  const subnets = opts.subnets ?? {};
  const blockNumber = opts.blockNumber ?? 4_242_424;
  const storage = buildStorage(fx, subnets);
  const sortedKeys = [...storage.keys()].sort();
  const calls: RpcCall[] = [];
  let connections = 0;

  const neuronsLite = (netuid: number): string => {
    // Encode through the real (typed) registry; the Bytes form wraps it in a Vec<u8>.
    const typed = encodeNeuronsLite(opts.metadata, netuid, subnets[netuid] ?? []);
    return hex(opts.bytesRuntimeCall ? concat(compactLen(typed.length), typed) : typed);
  };

  const stateCall = (name: string, args: string): string => {
    if (name === 'Metadata_metadata_versions') return hex(registry.createType('Vec<u32>', [14, 15, 16]).toU8a());
    if (name === 'Metadata_metadata_at_version') {
      const v = registry.createType('u32', Buffer.from(args.slice(2), 'hex')).toNumber();
      if (v !== 16) return '0x00';
      return hex(concat(Uint8Array.of(1), compactLen(fx.bytes.length), fx.bytes));
    }
    if (name === 'NeuronInfoRuntimeApi_get_neurons_lite') {
      const netuid = Buffer.from(args.slice(2), 'hex').readUInt16LE(0);
      return neuronsLite(netuid);
    }
    throw Object.assign(new Error(`Execution failed: Exported method ${name} is not found`), { rpcCode: 1002 });
  };

  const header = {
    parentHash: PARENT_HASH,
    number: '0x' + blockNumber.toString(16),
    stateRoot: '0x' + '00'.repeat(32),
    extrinsicsRoot: '0x' + '00'.repeat(32),
    digest: { logs: [] },
  };
  // A real block hash is the hash of its header; clients may compute it from the header alone.
  const bestHash = registry.createType('Header', header).hash.toHex();

  const methods: Record<string, (params: any[]) => unknown> = {
    chain_getBlockHash: (p) => (p.length > 0 && p[0] !== null && Number(p[0]) === 0 ? GENESIS_HASH : bestHash),
    chain_getFinalizedHead: () => bestHash,
    chain_getHeader: () => header,
    state_getRuntimeVersion: () => fx.runtimeVersion,
    system_chain: () => 'bittensor',
    system_name: () => 'dendrite-dev-node',
    system_version: () => '0.0.0',
    system_properties: () => ({ ss58Format: 42, tokenDecimals: 9, tokenSymbol: 'TAO' }),
    system_health: () => ({ peers: 0, isSyncing: false, shouldHavePeers: false }),
    state_subscribeRuntimeVersion: () => 'sub-runtime-version',
    state_unsubscribeRuntimeVersion: () => true,
    state_getMetadata: () => hex(metadata.toU8a()),
    state_getStorage: (p) => storage.get(p[0]) ?? null,
    state_getKeysPaged: (p) => {
      const [prefix, count, startKey] = p as [string, number, string | null];
      const out: string[] = [];
      for (const k of sortedKeys) {
        if (!k.startsWith(prefix)) continue;
        if (startKey && k <= startKey) continue;
        out.push(k);
        if (out.length >= count) break;
      }
      return out;
    },
    state_queryStorageAt: (p) => [{ block: bestHash, changes: (p[0] as string[]).map((k) => [k, storage.get(k) ?? null]) }],
    state_call: (p) => {
      if (opts.refuseStateCall) throw Object.assign(new Error('Method not found'), { rpcCode: -32601 });
      return stateCall(p[0], p[1]);
    },
  };
  const rpcMethods = Object.keys(methods).filter((m) => m !== 'state_call' || !opts.refuseStateCall);
  methods.rpc_methods = () => ({ version: 1, methods: rpcMethods });

  const http = await new Promise<import('node:http').Server>(async (resolve) => {
    const { createServer: createHttp } = await import('node:http');
    const s = createHttp();
    s.listen(0, '127.0.0.1', () => resolve(s));
  });
  const wss = new WebSocketServer({ server: http });
  const sockets = new Set<WebSocket>();
  wss.on('connection', (ws) => {
    connections++;
    sockets.add(ws);
    if (opts.frozen) {
      (ws as unknown as { _socket: Socket })._socket.pause();
      return;
    }
    ws.on('close', () => sockets.delete(ws));
    ws.on('message', (data) => {
      let req: { id: number; method: string; params?: unknown[] };
      try {
        req = JSON.parse(String(data));
      } catch {
        return;
      }
      const call: RpcCall = { method: req.method, params: req.params ?? [], receivedAt: performance.now() };
      calls.push(call);
      if (opts.silent) return;
      // Answer on the next turn of the event loop, not right here: a request
      // the client sent together with this one is then read (and its arrival
      // recorded) before this answer goes out, as on a node that serves
      // requests concurrently. roundTrips() relies on it.
      setImmediate(() => answer(ws, req, call));
    });
  });
  const answer = (ws: WebSocket, req: { id: number; method: string }, call: RpcCall): void => {
    const params = call.params;
    const what = req.method === 'state_call' ? String(params[0]) : req.method;
    if (opts.hangOn === what) return;
    if (opts.dropOn === what) {
      ws.terminate();
      return;
    }
    const handler = methods[req.method];
    let reply: unknown;
    if (!handler) {
      reply = { jsonrpc: '2.0', id: req.id, error: { code: -32601, message: 'Method not found' } };
    } else if (opts.failOn === what) {
      reply = { jsonrpc: '2.0', id: req.id, error: { code: -32000, message: `Client error: ${what} refused by this node` } };
    } else {
      try {
        reply = { jsonrpc: '2.0', id: req.id, result: handler(params) };
      } catch (e) {
        reply = { jsonrpc: '2.0', id: req.id, error: { code: (e as any).rpcCode ?? -32000, message: (e as Error).message } };
      }
    }
    if (ws.readyState !== ws.OPEN) return;
    call.repliedAt = performance.now();
    ws.send(JSON.stringify(reply, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)));
  };
  const port = (http.address() as AddressInfo).port;

  return {
    url: `ws://127.0.0.1:${port}`,
    port,
    get connections() {
      return connections;
    },
    calls,
    bestHash,
    count(method: string, firstParam?: string) {
      return calls.filter((c) => c.method === method && (firstParam === undefined || c.params[0] === firstParam)).length;
    },
    async close() {
      for (const s of sockets) s.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
      await new Promise<void>((r) => http.close(() => r()));
    },
  };
}

function axonValue(n: DevNeuron) {
  return {
    block: n.axonBlock ?? (n.ip === 0n ? 0n : 4_000_000n),
    version: n.version ?? (n.ip === 0n ? 0 : 10_002_000),
    ip: n.ip,
    port: n.port,
    ipType: n.ipType,
    protocol: n.ip === 0n ? 0 : 4,
    placeholder1: 0,
    placeholder2: 0,
  };
}

/** The SubtensorModule storage the fallback path reads, keyed by hex storage key. */
function buildStorage(fx: Fixture, subnets: Record<number, DevNeuron[]>): Map<string, string> {
  const { registry, metadata } = fx;
  const q = expandMetadata(registry, metadata).query.subtensorModule!;
  const out = new Map<string, string>();
  const key = (entry: any, ...args: unknown[]) => {
    const withLen: Uint8Array = entry(...args);
    // The decorated storage function returns a length-prefixed key; the RPC wants the bare key.
    const len = registry.createType('Compact<u32>', withLen).encodedLength;
    return hex(withLen.subarray(len));
  };
  const value = (entry: any, v: unknown) => {
    const t = entry.meta.type;
    const id = t.isMap ? t.asMap.value : t.asPlain;
    return hex(registry.createType(registry.createLookupType(id), v).toU8a());
  };
  for (const [netuidText, neurons] of Object.entries(subnets)) {
    const netuid = Number(netuidText);
    out.set(key(q.networksAdded, netuid), value(q.networksAdded, true));
    out.set(key(q.subnetworkN, netuid), value(q.subnetworkN, neurons.length));
    const maxUid = neurons.reduce((m, n) => Math.max(m, n.uid), -1);
    const permits = Array.from({ length: maxUid + 1 }, () => false);
    const actives = Array.from({ length: maxUid + 1 }, () => false);
    for (const n of neurons) {
      const hk = accountHex(n.hotkey);
      permits[n.uid] = n.validatorPermit ?? false;
      actives[n.uid] = n.active ?? true;
      out.set(key(q.keys, netuid, n.uid), value(q.keys, hk));
      out.set(key(q.uids, netuid, hk), value(q.uids, n.uid));
      // A never-served neuron has no Axons entry at all on chain.
      if (n.ip !== 0n) out.set(key(q.axons, netuid, hk), value(q.axons, axonValue(n)));
      out.set(key(q.owner, hk), value(q.owner, accountHex(n.coldkey)));
      out.set(key(q.totalHotkeyAlpha, hk, netuid), value(q.totalHotkeyAlpha, n.stake ?? 0n));
    }
    out.set(key(q.validatorPermit, netuid), value(q.validatorPermit, permits));
    out.set(key(q.active, netuid), value(q.active, actives));
  }
  return out;
}
