/**
 * Metagraph snapshots: the JSON written by `dendrite metagraph --save FILE`
 * (and by `--json`), read back by `--metagraph FILE` for offline work and
 * reproducible sweeps, and used as the cache format. Integers are exact: a
 * stake past 2^53 is written as a bare integer literal and read as bigint.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Metagraph, MetagraphSource, Neuron } from '../chain/types.js';
import { UsageError } from '../errors.js';
import { parseExact, stringifyExact } from './exact-json.js';

export const SNAPSHOT_FORMAT = 'dendrite-metagraph/1';

/** The JSON document for a metagraph: totals first, then one object per neuron. */
export function metagraphDocument(mg: Metagraph): Record<string, unknown> {
  return {
    format: SNAPSHOT_FORMAT,
    network: mg.network,
    endpoint: mg.endpoint,
    netuid: mg.netuid,
    block: mg.block,
    blockHash: mg.blockHash,
    fetchedAt: mg.fetchedAt,
    source: mg.source,
    neuronCount: mg.neurons.length,
    servingCount: mg.neurons.filter((n) => n.serving).length,
    neurons: mg.neurons.map((n) => ({
      uid: n.uid,
      hotkey: n.hotkey,
      coldkey: n.coldkey,
      active: n.active,
      validatorPermit: n.validatorPermit,
      stake: n.stake,
      serving: n.serving,
      axon: { ...n.axon },
    })),
  };
}

export function serializeMetagraph(mg: Metagraph, indent = 2): string {
  return stringifyExact(metagraphDocument(mg), indent) + '\n';
}

/** Parses a snapshot; `where` names the file in error messages. */
export function parseMetagraph(text: string, where: string): Metagraph {
  let doc: unknown;
  try {
    doc = parseExact(text);
  } catch (e) {
    throw bad(where, (e as Error).message);
  }
  const o = obj(doc, where, 'the file');
  if (o.format !== SNAPSHOT_FORMAT) throw bad(where, `"format" is ${JSON.stringify(o.format)}, expected "${SNAPSHOT_FORMAT}"`);
  const neuronsRaw = o.neurons;
  if (!Array.isArray(neuronsRaw)) throw bad(where, '"neurons" is not a list');
  const neurons: Neuron[] = neuronsRaw.map((raw, i) => {
    const n = obj(raw, where, `neurons[${i}]`);
    const a = obj(n.axon, where, `neurons[${i}].axon`);
    const at = `neurons[${i}]`;
    return {
      uid: int(n.uid, where, `${at}.uid`),
      hotkey: text_(n.hotkey, where, `${at}.hotkey`),
      coldkey: text_(n.coldkey, where, `${at}.coldkey`),
      active: bool(n.active, where, `${at}.active`),
      validatorPermit: bool(n.validatorPermit, where, `${at}.validatorPermit`),
      stake: big(n.stake, where, `${at}.stake`),
      serving: bool(n.serving, where, `${at}.serving`),
      axon: {
        ip: text_(a.ip, where, `${at}.axon.ip`),
        port: int(a.port, where, `${at}.axon.port`),
        ipType: int(a.ipType, where, `${at}.axon.ipType`),
        version: int(a.version, where, `${at}.axon.version`),
        protocol: int(a.protocol ?? 0, where, `${at}.axon.protocol`),
        block: big(a.block ?? 0, where, `${at}.axon.block`),
      },
    };
  });
  return {
    netuid: int(o.netuid, where, 'netuid'),
    network: text_(o.network, where, 'network'),
    endpoint: text_(o.endpoint ?? '', where, 'endpoint'),
    block: int(o.block, where, 'block'),
    blockHash: text_(o.blockHash ?? '', where, 'blockHash'),
    fetchedAt: text_(o.fetchedAt, where, 'fetchedAt'),
    source: text_(o.source ?? 'snapshot', where, 'source') as MetagraphSource,
    neurons: neurons.sort((x, y) => x.uid - y.uid),
  };
}

export function readSnapshotFile(path: string): Metagraph {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError('metagraph_file_unreadable', `--metagraph ${path}: ${code === 'ENOENT' ? 'no such file' : (e as Error).message}; write one with \`dendrite metagraph --netuid N --save ${path}\``);
  }
  return parseMetagraph(text, path);
}

/** Writes atomically (temp file + rename), so a reader never sees half a snapshot. */
export function writeSnapshotFile(path: string, mg: Metagraph): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(tmp, serializeMetagraph(mg));
  renameSync(tmp, path);
}

function bad(where: string, why: string): UsageError {
  return new UsageError('bad_metagraph_file', `${where} is not a dendrite metagraph snapshot: ${why}`);
}
function obj(v: unknown, where: string, what: string): Record<string, unknown> {
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw bad(where, `${what} is not an object`);
  return v as Record<string, unknown>;
}
function int(v: unknown, where: string, what: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw bad(where, `${what} is not a non-negative integer`);
  return v;
}
function big(v: unknown, where: string, what: string): bigint {
  if (typeof v === 'bigint' && v >= 0n) return v;
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  if (typeof v === 'string' && /^\d+$/.test(v)) return BigInt(v);
  throw bad(where, `${what} is not a non-negative integer`);
}
function bool(v: unknown, where: string, what: string): boolean {
  if (typeof v !== 'boolean') throw bad(where, `${what} is not true/false`);
  return v;
}
function text_(v: unknown, where: string, what: string): string {
  if (typeof v !== 'string') throw bad(where, `${what} is not a string`);
  return v;
}
