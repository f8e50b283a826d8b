import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pairFromUri } from '../../src/crypto/derive.js';
import type { Sr25519Pair } from '../../src/crypto/sr25519.js';
import { Dendrite } from '../../src/dendrite/dendrite.js';
import type { StreamEvent, StreamResult } from '../../src/dendrite/stream.js';
import { createChunker } from '../../src/dendrite/chunking.js';
import { startAxon, type RunningAxon } from '../../src/axon/server.js';
import { dummyRoute, type AxonRoute } from '../../src/axon/routes.js';
import { streamRoutes, UTF8_SAMPLE } from '../../src/axon/stream-routes.js';
import { STREAM_COUNT_SCHEMA, STREAM_FAIL_SCHEMA, STREAM_FOREVER_SCHEMA, STREAM_STALL_SCHEMA, STREAM_UTF8_SCHEMA } from '../../src/synapse/stream-schemas.js';
import { DUMMY_SCHEMA, parseSchema } from '../../src/synapse/schema.js';
import { Synapse } from '../../src/synapse/synapse.js';

let alice: Sr25519Pair;
let axon: RunningAxon;
let closedStreams = 0;
const SSE_SCHEMA = parseSchema('{"name":"Sse","fields":[{"name":"completion","type":"str","default":""}],"streaming":true,"output":"completion"}', 't');
const sseRoute: AxonRoute = {
  schema: SSE_SCHEMA,
  async stream(_s, send) {
    await send('data: hello\n\ndata: two\ndata: lines\n\n: comment\n');
    await send('data: last\n\n');
  },
};
const watchedSchema = parseSchema('{"name":"Watched","fields":[{"name":"completion","type":"str","default":""}],"streaming":true}', 't');
const watchedRoute: AxonRoute = {
  schema: watchedSchema,
  async stream(_s, send, signal) {
    signal.addEventListener('abort', () => closedStreams++);
    for (let i = 0; ; i++) {
      await send(`w${i}\n`);
      await new Promise((r) => setTimeout(r, 10));
    }
  },
};

beforeAll(async () => {
  alice = await pairFromUri('//Alice');
  const bob = await pairFromUri('//Bob');
  axon = await startAxon({ signer: bob, routes: [dummyRoute, ...streamRoutes, sseRoute, watchedRoute] });
});
afterAll(() => axon.close());

async function collect(events: AsyncIterable<StreamEvent>): Promise<{ chunks: string[]; result: StreamResult }> {
  const chunks: string[] = [];
  for await (const ev of events) {
    if (ev.type === 'chunk') chunks.push(ev.data);
    else return { chunks, result: ev.result };
  }
  throw new Error('no done event');
}

describe('Dendrite.callStream against our axon', () => {
  it('yields chunks in order, then the merged synapse with the text filled in', async () => {
    await using d = new Dendrite({ signer: alice });
    const { chunks, result } = await collect(d.callStream(axon.target, Synapse.create(STREAM_COUNT_SCHEMA, { n: 5, delay_ms: 5 })));
    expect(chunks.join('')).toBe('data0\ndata1\ndata2\ndata3\ndata4\n');
    expect(result).toMatchObject({ statusCode: 200, statusMessage: 'Success', reason: 'ok', chunks: chunks.length, bytes: 30 });
    expect(result.firstChunkMs).toBeGreaterThan(0);
    expect(result.synapse.fields.get('completion')).toBe('data0\ndata1\ndata2\ndata3\ndata4\n');
  });

  it('never breaks a multi-byte character split across arrivals', async () => {
    await using d = new Dendrite({ signer: alice });
    const { chunks, result } = await collect(d.callStream(axon.target, Synapse.create(STREAM_UTF8_SCHEMA, { delay_ms: 3 })));
    expect(chunks.join('')).toBe(UTF8_SAMPLE);
    expect(chunks.every((c) => !c.includes('\ufffd'))).toBe(true);
    expect(result.statusCode).toBe(200);
  });

  it('splits by lines and by SSE data events on request', async () => {
    await using d = new Dendrite({ signer: alice });
    const lines = await collect(d.callStream(axon.target, Synapse.create(STREAM_COUNT_SCHEMA, { n: 3, delay_ms: 1 }), { split: 'lines' }));
    expect(lines.chunks).toEqual(['data0', 'data1', 'data2']);
    const sse = await collect(d.callStream(axon.target, Synapse.create(SSE_SCHEMA), { split: 'sse' }));
    expect(sse.chunks).toEqual(['hello', 'two\nlines', 'last']);
  });

  it('an error before streaming is the JSON error, not a chunk', async () => {
    await using d = new Dendrite({ signer: alice });
    const { chunks, result } = await collect(d.callStream(axon.target, Synapse.create(STREAM_FAIL_SCHEMA)));
    expect(chunks).toEqual([]);
    expect(result).toMatchObject({ statusCode: 403, reason: 'http_error', statusMessage: 'Forbidden. Key is blacklisted: StreamFail always fails before streaming.' });
  });

  it('idle timeout and total timeout fire with their own status', async () => {
    await using d = new Dendrite({ signer: alice });
    const idle = await collect(d.callStream(axon.target, Synapse.create(STREAM_STALL_SCHEMA), { idleTimeout: 0.3 }));
    expect(idle.chunks).toEqual(['first\n']);
    expect(idle.result).toMatchObject({ statusCode: 408, statusMessage: 'Stream idle for more than 0.3 seconds', reason: 'idle_timeout' });
    const total = await collect(d.callStream(axon.target, Synapse.create(STREAM_FOREVER_SCHEMA, { delay_ms: 20 }), { timeout: 0.3 }));
    expect(total.chunks.length).toBeGreaterThan(2);
    expect(total.result).toMatchObject({ statusCode: 408, statusMessage: 'Request timeout after 0.3 seconds', reason: 'timeout' });
  });

  it('the size cap cuts a never-ending stream', async () => {
    await using d = new Dendrite({ signer: alice, maxResponseBytes: 200 });
    const r = await collect(d.callStream(axon.target, Synapse.create(STREAM_FOREVER_SCHEMA, { delay_ms: 1 })));
    expect(r.result).toMatchObject({ statusCode: 422, reason: 'too_large', statusMessage: 'Failed to parse response: stream exceeds the 200-byte limit' });
    expect(r.chunks.join('').length).toBeLessThanOrEqual(200);
  });

  it('breaking out of the loop closes the connection', async () => {
    await using d = new Dendrite({ signer: alice });
    const before = closedStreams;
    let n = 0;
    for await (const ev of d.callStream(axon.target, Synapse.create(watchedSchema))) {
      if (ev.type === 'chunk' && ++n === 3) break;
    }
    await expect.poll(() => closedStreams, { timeout: 2000 }).toBe(before + 1);
  });

  it('an abort signal ends the stream as cancelled', async () => {
    await using d = new Dendrite({ signer: alice });
    const ac = new AbortController();
    const events = d.callStream(axon.target, Synapse.create(STREAM_FOREVER_SCHEMA, { delay_ms: 10 }), { signal: ac.signal });
    let seen = 0;
    let result: StreamResult | undefined;
    for await (const ev of events) {
      if (ev.type === 'chunk' && ++seen === 2) ac.abort();
      if (ev.type === 'done') result = ev.result;
    }
    expect(result).toMatchObject({ reason: 'cancelled' });
  });

  it('forward({ streaming: true }) gives one iterator per axon', async () => {
    await using d = new Dendrite({ signer: alice });
    const its = d.forward([axon.target, axon.target], Synapse.create(STREAM_COUNT_SCHEMA, { n: 2, delay_ms: 1 }), { streaming: true });
    const all = await Promise.all(its.map(collect));
    expect(all.map((x) => x.chunks.join(''))).toEqual(['data0\ndata1\n', 'data0\ndata1\n']);
  });

  it('a non-streaming route answered plainly still merges', async () => {
    await using d = new Dendrite({ signer: alice });
    const r = await collect(d.callStream(axon.target, Synapse.create(DUMMY_SCHEMA, { dummy_input: 4 })));
    expect(r.chunks).toEqual([]);
    expect(r.result.synapse.fields.get('dummy_output')).toBe(8n);
  });
});

describe('chunkers', () => {
  it('raw mode keeps partial UTF-8 for the next arrival', () => {
    const c = createChunker('raw');
    const b = Buffer.from('é😀', 'utf8');
    expect([...c.push(b.subarray(0, 1)), ...c.push(b.subarray(1, 3)), ...c.push(b.subarray(3)), ...c.end()].join('')).toBe('é😀');
    expect(c.push(b.subarray(0, 1))).toEqual([]);
  });
  it('lines mode strips \\r\\n and flushes the tail', () => {
    const c = createChunker('lines');
    expect(c.push(Buffer.from('a\r\nb'))).toEqual(['a']);
    expect(c.end()).toEqual(['b']);
  });
});
