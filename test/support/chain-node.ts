/**
 * The loopback subtensor test node (CHAIN.md B3) for tests: src/devnet/node.ts
 * serving the real spec-381 runtime metadata from ../shared/fixtures, plus
 * helpers (a black hole, deterministic subnets, running the built CLI).
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer, type Server, type Socket } from 'node:net';
import type { TypeRegistry } from '@polkadot/types';
import {
  encodeNeuronsLite as encodeWith,
  registryFor,
  startDevChain,
  type DevChain,
  type DevChainOptions,
  type DevNeuron,
} from '../../src/devnet/node.js';

export { GENESIS_HASH, PARENT_HASH, compactLength, roundTrips, type RpcCall } from '../../src/devnet/node.js';

export const FIXTURE_URL = new URL('../../../shared/fixtures/subtensor-metadata-v16-spec381.scale', import.meta.url);

export type TestNeuron = DevNeuron;
export type ChainNodeOptions = Omit<DevChainOptions, 'metadata'>;
export type ChainNode = DevChain;

let fixtureBytes: Uint8Array | undefined;
/** The fixture's bytes, read once (one buffer, so the node decodes the metadata once). */
export function fixtureMetadata(): Uint8Array {
  fixtureBytes ??= new Uint8Array(readFileSync(FIXTURE_URL));
  return fixtureBytes;
}

/** The registry built from the real fixture metadata (for encoding test values). */
export function fixtureRegistry(): TypeRegistry {
  return registryFor(fixtureMetadata());
}

/** SCALE `Vec<NeuronInfoLite>` for these neurons, encoded through the fixture registry. */
export function encodeNeuronsLite(netuid: number, neurons: TestNeuron[]): Uint8Array {
  return encodeWith(fixtureMetadata(), netuid, neurons);
}

export function startChainNode(opts: ChainNodeOptions = {}): Promise<ChainNode> {
  return startDevChain({ ...opts, metadata: fixtureMetadata() });
}

/**
 * A TCP listener that accepts connections and never says a word: not even
 * the WebSocket handshake. The most silent node there is.
 */
export async function startBlackHole(): Promise<{ url: string; connections: () => number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let n = 0;
  const server: Server = createServer((s) => {
    n++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `ws://127.0.0.1:${port}`,
    connections: () => n,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** A deterministic 32-byte public key for test accounts. */
export function testAccount(kind: string, i: number): string {
  return '0x' + createHash('sha256').update(`${kind}-${i}`).digest('hex');
}

/**
 * A subnet of `n` neurons: uid % 10 === 3 never served, uid % 10 === 7 on
 * IPv6, the rest on IPv4; every 16th uid is a validator; stakes run past 2^53.
 */
export function makeSubnet(n = 256): TestNeuron[] {
  const out: TestNeuron[] = [];
  for (let uid = 0; uid < n; uid++) {
    const kind = uid % 10 === 3 ? 'none' : uid % 10 === 7 ? 'v6' : 'v4';
    out.push({
      uid,
      hotkey: testAccount('hotkey', uid),
      coldkey: testAccount('coldkey', uid % 50),
      ip: kind === 'none' ? 0n : kind === 'v6' ? 0x20010db8_00000000_00000000_00000000n + BigInt(uid) : BigInt(0x0a000000 + uid),
      ipType: kind === 'none' ? 0 : kind === 'v6' ? 6 : 4,
      port: kind === 'none' ? 0 : 8000 + uid,
      active: uid % 5 !== 0,
      validatorPermit: uid % 16 === 0,
      stake: (1n << 60n) + BigInt(uid) * 1_000_000_007n,
    });
  }
  return out;
}

// ---- running the built CLI in tests ----

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin', 'dendrite.js');

/** A loader hook that makes any import of @polkadot/api or @polkadot/types fail loudly. */
const FORBID_HOOK = `export async function resolve(s, c, n) { if (/^@polkadot\\/(api|types)(\\/|$)/.test(s)) throw new Error('FORBIDDEN import of ' + s); return n(s, c); }`;
export const FORBID_POLKADOT = [
  '--import',
  'data:text/javascript,' +
    encodeURIComponent(`import { register } from 'node:module'; register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(FORBID_HOOK)}));`),
];

export interface Run {
  code: number | null;
  /** Set when the process had to be killed (see `killAfterMs`). */
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs bin/dendrite.js. `killAfterMs` is a safety net for tests about processes that must exit by themselves. */
export function runCli(args: string[], env: NodeJS.ProcessEnv, nodeArgs: string[] = [], killAfterMs = 60_000): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const guard = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(guard);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

