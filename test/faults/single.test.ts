/**
 * Each fault of the zoo alone, through the real Dendrite over loopback: the
 * Python status, message and our reason; one request on the wire (no silent
 * retry); bounded time; redirects not followed. Then the streaming side, the
 * keep-alive reuse race and `retries`.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { pairFromUri } from '../../src/crypto/derive.js';
import type { Sr25519Pair } from '../../src/crypto/sr25519.js';
import { Dendrite } from '../../src/dendrite/dendrite.js';
import { DEFAULT_KEEPALIVE_MS } from '../../src/dendrite/transport.js';
import type { StreamEvent, StreamResult } from '../../src/dendrite/stream.js';
import { SYNAPSE_SCHEMA, parseSchema } from '../../src/synapse/schema.js';
import { Synapse } from '../../src/synapse/synapse.js';
import { FAULTS, startFault, until, type Fault, type FaultServer } from '../support/fault-zoo.js';
import { expectedFor, mismatch } from './expected.js';

const TIMEOUT = 1.5;
const CAP = 64 * 1024;
const MARGIN_MS = 3000;

let alice: Sr25519Pair;
const crashes: unknown[] = [];
const onCrash = (e: unknown): void => void crashes.push(e);
const servers: FaultServer[] = [];

async function serve(fault: Fault, opts: Parameters<typeof startFault>[1] = {}): Promise<FaultServer> {
  const s = await startFault(fault, { hugeBytes: 4 * CAP, ...opts });
  servers.push(s);
  return s;
}

const ping = (): Synapse => Synapse.create(SYNAPSE_SCHEMA);
const at = (s: FaultServer) => ({ ip: '127.0.0.1', port: s.port });

beforeAll(async () => {
  alice = await pairFromUri('//Alice');
  process.on('unhandledRejection', onCrash);
  process.on('uncaughtException', onCrash);
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  expect(crashes).toEqual([]);
});
afterAll(() => {
  process.off('unhandledRejection', onCrash);
  process.off('uncaughtException', onCrash);
});

describe('every fault alone (call)', () => {
  it.each(FAULTS.map((f) => [f]))('%s', async (fault) => {
    const target = await serve('ok');
    const s = await serve(fault, { redirectPort: target.port });
    await using d = new Dendrite({ signer: alice, timeout: TIMEOUT, maxResponseBytes: CAP });
    const t0 = performance.now();
    const r = await d.call(at(s), ping());
    const elapsed = performance.now() - t0;
    expect(mismatch(r, expectedFor(fault, { port: s.port, timeout: TIMEOUT, cap: CAP }))).toBeNull();
    // The synapse carries the same status as the result (Python sets dendrite.status_*).
    expect([r.synapse.dendrite.status_code, r.synapse.dendrite.status_message]).toEqual([r.statusCode, r.statusMessage]);
    expect(elapsed).toBeLessThan(TIMEOUT * 1000 + MARGIN_MS);
    // Exactly one request reached the server (none for a refused port): no silent retry.
    expect(s.requests).toBe(fault === 'refuse' ? 0 : 1);
    // Redirects are not followed.
    expect(target.requests).toBe(0);
    await d.close();
    // Every connection we opened is closed once the dendrite is closed.
    expect(await until(() => s.open === 0, 2000)).toBe(true);
  });
});

async function collect(events: AsyncIterable<StreamEvent>): Promise<{ chunks: string[]; results: StreamResult[] }> {
  const chunks: string[] = [];
  const results: StreamResult[] = [];
  for await (const ev of events) {
    if (ev.type === 'chunk') chunks.push(ev.data);
    else results.push(ev.result);
  }
  return { chunks, results };
}

describe('faults on the streaming path (callStream)', () => {
  const STREAM = parseSchema('{"name":"Synapse","fields":[],"streaming":true}', 'test');
  const expected: Partial<Record<Fault, [number, string]>> = {
    ok: [200, 'ok'], // a plain JSON reply to a streaming request still merges (project choice, see stream.ts)
    refuse: [503, 'refused'],
    silent: [408, 'timeout'],
    stall_headers: [408, 'timeout'],
    slowloris: [408, 'timeout'],
    close_before_reply: [503, 'disconnected'],
    close_mid_body: [400, 'disconnected'],
    stream_cut: [400, 'disconnected'],
    reset: [422, 'reset'],
    non_json: [422, 'bad_response'],
    null_body: [422, 'bad_response'],
    huge: [422, 'too_large'],
    endless: [422, 'too_large'],
    bad_headers: [400, 'protocol_error'],
    redirect: [422, 'bad_response'],
    stream_to_plain: [200, 'ok'],
    double_reply: [200, 'ok'],
  };
  it.each(Object.entries(expected))('%s gives exactly one done event with %j', async (fault, [code, reason]) => {
    const s = await serve(fault as Fault);
    await using d = new Dendrite({ signer: alice, timeout: TIMEOUT, maxResponseBytes: CAP });
    const t0 = performance.now();
    const { chunks, results } = await collect(d.callStream(at(s), Synapse.create(STREAM)));
    expect(performance.now() - t0).toBeLessThan(TIMEOUT * 1000 + MARGIN_MS);
    expect(results).toHaveLength(1);
    expect([results[0]!.statusCode, results[0]!.reason]).toEqual([code, reason]);
    if (fault === 'stream_to_plain') expect(chunks.join('')).toBe('data0\ndata1\n');
    if (fault === 'stream_cut') expect(chunks.join('')).toBe('data0\n');
    expect(s.requests).toBe(fault === 'refuse' ? 0 : 1);
    await d.close();
    expect(await until(() => s.open === 0, 2000)).toBe(true);
  });
});

const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 50));

describe('keep-alive sockets (PROTOCOL.md §10, project choice 6)', () => {
  it('idle sockets are dropped by us before uvicorn would (4 s < 5 s), then a new one is opened', async () => {
    expect(DEFAULT_KEEPALIVE_MS).toBeLessThan(5000);
    const s = await serve('ok'); // never closes idle sockets itself
    await using d = new Dendrite({ signer: alice, timeout: TIMEOUT, keepAliveTimeout: 150 });
    expect((await d.call(at(s), ping())).reason).toBe('ok');
    await settle();
    expect((await d.call(at(s), ping())).reason).toBe('ok');
    expect(s.connections).toBe(1); // reused while fresh
    await new Promise((r) => setTimeout(r, 500));
    expect(s.open).toBe(0); // we closed it when it went stale
    expect((await d.call(at(s), ping())).reason).toBe('ok');
    expect(s.connections).toBe(2);
  });

  it('a socket the server closed while idle is not reused into a failure', async () => {
    const s = await serve('ok', { idleCloseMs: 150 });
    await using d = new Dendrite({ signer: alice, timeout: TIMEOUT });
    expect((await d.call(at(s), ping())).reason).toBe('ok');
    // The server has closed the idle socket (FIN) by now; undici must open a new one.
    await new Promise((r) => setTimeout(r, 400));
    expect((await d.call(at(s), ping())).reason).toBe('ok');
    expect(s.requests).toBe(2);
  });

  it('a socket closed at the moment of reuse is "disconnected", sent once, not retried', async () => {
    const s = await serve('ok', { dropOnReuse: true });
    await using d = new Dendrite({ signer: alice, timeout: TIMEOUT });
    expect((await d.call(at(s), ping())).reason).toBe('ok');
    await settle(); // let undici return the socket to the pool, so the next call reuses it
    const r = await d.call(at(s), ping());
    expect([r.statusCode, r.statusMessage, r.reason]).toEqual([503, 'Service disconnected: Server disconnected', 'disconnected']);
    expect(s.requests).toBe(2);
  });

  it('with retries, that request is sent again on a fresh socket and succeeds', async () => {
    const s = await serve('ok', { dropOnReuse: true, keepHeads: true });
    await using d = new Dendrite({ signer: alice, timeout: TIMEOUT, retries: 1 });
    expect((await d.call(at(s), ping())).reason).toBe('ok');
    await settle(); // let undici return the socket to the pool, so the next call reuses it
    const r = await d.call(at(s), ping());
    expect([r.statusCode, r.reason, r.attempts]).toEqual([200, 'ok', 2]);
    expect(s.requests).toBe(3);
    // The retry is a new request: new nonce, new signature.
    const [, dropped, retried] = s.heads;
    expect(retried!.bt_header_dendrite_nonce).not.toBe(dropped!.bt_header_dendrite_nonce);
    expect(retried!.bt_header_dendrite_signature).not.toBe(dropped!.bt_header_dendrite_signature);
    expect(BigInt(retried!.bt_header_dendrite_nonce!)).toBeGreaterThan(BigInt(dropped!.bt_header_dendrite_nonce!));
  });
});

describe('retries (--retries N)', () => {
  it('retries a reset with a fresh nonce and signature, and then succeeds', async () => {
    const s = await serve('ok', { firstFault: { fault: 'reset', times: 1 }, keepHeads: true });
    await using d = new Dendrite({ signer: alice, timeout: TIMEOUT });
    const r = await d.call(at(s), ping(), { retries: 2 });
    expect([r.statusCode, r.reason, r.attempts]).toEqual([200, 'ok', 2]);
    expect(s.heads).toHaveLength(2);
    expect(s.heads[1]!.bt_header_dendrite_nonce).not.toBe(s.heads[0]!.bt_header_dendrite_nonce);
    expect(s.heads[1]!.bt_header_dendrite_signature).not.toBe(s.heads[0]!.bt_header_dendrite_signature);
  });

  it('without retries, the same fault is reported once', async () => {
    const s = await serve('ok', { firstFault: { fault: 'reset', times: 1 } });
    await using d = new Dendrite({ signer: alice, timeout: TIMEOUT });
    const r = await d.call(at(s), ping());
    expect([r.reason, r.attempts]).toEqual(['reset', undefined]);
    expect(s.requests).toBe(1);
  });

  it('retries timeouts, each attempt with its own timeout', async () => {
    const s = await serve('silent');
    await using d = new Dendrite({ signer: alice, timeout: 0.3, retries: 2 });
    const t0 = performance.now();
    const r = await d.call(at(s), ping());
    expect([r.statusCode, r.reason, r.attempts]).toEqual([408, 'timeout', 3]);
    expect(s.requests).toBe(3);
    expect(performance.now() - t0).toBeLessThan(3 * 300 + MARGIN_MS);
  });

  it('retries refused connections up to N times, then reports them', async () => {
    const s = await serve('refuse');
    await using d = new Dendrite({ signer: alice, timeout: TIMEOUT, retries: 2 });
    const r = await d.call(at(s), ping());
    expect([r.statusCode, r.reason, r.attempts]).toEqual([503, 'refused', 3]);
  });

  it.each(['bad_json', 'non_json', 'error_500_text', 'close_mid_body', 'huge', 'bad_headers', 'redirect_json'] as const)(
    'never retries a reply, even a broken one (%s)',
    async (fault) => {
      const s = await serve(fault);
      await using d = new Dendrite({ signer: alice, timeout: TIMEOUT, maxResponseBytes: CAP, retries: 3 });
      const r = await d.call(at(s), ping());
      expect(r.attempts).toBeUndefined();
      expect(s.requests).toBe(1);
    },
  );
});
