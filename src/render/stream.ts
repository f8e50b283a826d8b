/**
 * Renderers for `dendrite stream`: NDJSON events for scripts, prefixed lines
 * and status lines for people. Pure functions.
 */
import kleur from 'kleur';
import type { StreamChunk, StreamResult } from '../dendrite/stream.js';
import { toUserJson } from '../synapse/pyjson.js';
import type { PyDict, PyValue } from '../synapse/pyvalue.js';
import type { AxonTarget } from '../targets/types.js';
import { hostPort, sanitize, withColor } from './text.js';

/** How an axon is named in prefixed output: `uid 42`, else `host:port`. */
export function targetLabel(t: AxonTarget): string {
  return t.uid !== undefined ? `uid ${t.uid}` : hostPort(t.ip, t.port);
}

function targetFields(t: AxonTarget): Array<[string, PyValue]> {
  return [
    ...(t.uid !== undefined ? ([['uid', BigInt(t.uid)]] as Array<[string, PyValue]>) : []),
    ['hotkey', t.hotkey ?? null],
    ['ip', t.ip],
    ['port', BigInt(t.port)],
  ];
}

const ms = (x: number | null): PyValue => (x === null ? null : Math.round(x * 1000) / 1000);

/** `{"type":"chunk","uid":…,"hotkey":…,"seq":n,"data":"…"}` */
export function chunkEventJson(t: AxonTarget, c: StreamChunk): string {
  const o: PyDict = new Map<string, PyValue>([['type', 'chunk'], ...targetFields(t), ['seq', BigInt(c.seq)], ['data', c.data], ['at_ms', ms(c.atMs)]]);
  return toUserJson(o);
}

/** `{"type":"done",…}` with status, counts, timings and the merged synapse. */
export function doneEventJson(r: StreamResult): string {
  const o: PyDict = new Map<string, PyValue>([
    ['type', 'done'],
    ...targetFields(r.target),
    ['status_code', r.statusCode === null ? null : BigInt(r.statusCode)],
    ['status_message', r.statusMessage],
    ['reason', r.reason],
    ['chunks', BigInt(r.chunks)],
    ['bytes', BigInt(r.bytes)],
    ['first_chunk_ms', ms(r.firstChunkMs)],
    ['latency_ms', ms(r.latencyMs)],
    ['process_time', r.processTime],
    ['synapse', r.synapse.dump()],
  ]);
  return toUserJson(o);
}

function size(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** `[uid 42] 200 Success · 10 chunks · 60 B · first chunk 12 ms · total 1.02 s` */
export function streamStatusLine(r: StreamResult, color: boolean): string {
  return withColor(color, () => {
    const code = r.statusCode === null ? '-' : String(r.statusCode);
    const status = r.statusCode === 200 ? kleur.green(code) : kleur.red(code);
    const parts = [
      `${status} ${sanitize(r.statusMessage ?? '')}`.trim(),
      `${r.chunks} chunk${r.chunks === 1 ? '' : 's'}`,
      size(r.bytes),
      r.firstChunkMs === null ? 'no chunk' : `first chunk ${Math.round(r.firstChunkMs)} ms`,
      `total ${(r.latencyMs / 1000).toFixed(2)} s`,
    ];
    return `${kleur.dim(`[${targetLabel(r.target)}]`)} ${parts.join(' · ')}`;
  });
}

/**
 * Splits streamed text into whole lines prefixed with the axon's label,
 * keeping the unfinished tail for the next call. `final` flushes the tail.
 */
export function prefixLines(label: string, pending: string, data: string, final = false): { lines: string[]; rest: string } {
  const all = pending + data;
  const parts = all.split('\n');
  const rest = final ? '' : parts.pop()!;
  if (final && parts[parts.length - 1] === '') parts.pop();
  return { lines: parts.map((l) => `[${label}] ${sanitize(l)}`), rest };
}
