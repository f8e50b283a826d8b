import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pairFromUri } from '../../src/crypto/derive.js';
import type { Sr25519Pair } from '../../src/crypto/sr25519.js';
import { Dendrite } from '../../src/dendrite/dendrite.js';
import { startAxon, type RunningAxon } from '../../src/axon/server.js';
import { AxonError, dummyRoute, type AxonRoute } from '../../src/axon/routes.js';
import { DUMMY_SCHEMA, SYNAPSE_SCHEMA, schemaFromValue } from '../../src/synapse/schema.js';
import { Synapse } from '../../src/synapse/synapse.js';
import { parsePyJson } from '../../src/synapse/pyjson.js';

let alice: Sr25519Pair;
let bob: Sr25519Pair;
let axon: RunningAxon;

const bigSchema = schemaFromValue(parsePyJson('{"name":"Big","fields":[{"name":"n","type":"int"},{"name":"text","type":"str","default":""}]}'), 'test');
const bigRoute: AxonRoute = {
  schema: bigSchema,
  forward(s) {
    s.fields.set('text', 'x'.repeat(Number(s.fields.get('n'))));
  },
};
const conflictSchema = schemaFromValue(parsePyJson('{"name":"Conflict","fields":[]}'), 'test');
const conflictRoute: AxonRoute = {
  schema: conflictSchema,
  forward() {
    throw new AxonError(409, 'Conflicting request');
  },
};

beforeAll(async () => {
  alice = await pairFromUri('//Alice');
  bob = await pairFromUri('//Bob');
  axon = await startAxon({ signer: bob, routes: [dummyRoute, bigRoute, conflictRoute] });
});
afterAll(async () => {
  await axon.close();
});

describe('dendrite core against our verifying axon', () => {
  it('pings: 200 Success, echoing our identity', async () => {
    await using d = new Dendrite({ signer: alice });
    const r = await d.call(axon.target, Synapse.create(SYNAPSE_SCHEMA));
    expect(r.reason).toBe('ok');
    expect(r.statusCode).toBe(200);
    expect(r.statusMessage).toBe('Success');
    expect(r.synapse.dendrite.hotkey).toBe(alice.address);
    expect(r.synapse.axon.hotkey).toBe(bob.address);
    expect(typeof r.synapse.dendrite.nonce).toBe('bigint');
    expect(r.processTime).toBeGreaterThanOrEqual(0);
  });

  it('Dummy doubles its input, also beyond 2^53', async () => {
    await using d = new Dendrite({ signer: alice });
    const big = 2n ** 60n + 1n;
    const [a, b] = await d.forward([axon.target, axon.target], Synapse.create(DUMMY_SCHEMA, { dummy_input: big }));
    for (const r of [a!, b!]) {
      expect(r.statusCode).toBe(200);
      expect(r.synapse.fields.get('dummy_output')).toBe(big * 2n);
    }
  });

  it('a sweep of 80 verifying axons, signed partly on a worker thread: every request verifies', async () => {
    const axons = await Promise.all(Array.from({ length: 80 }, () => startAxon({ signer: bob })));
    try {
      await using d = new Dendrite({ signer: alice, signingThreads: 1 });
      // Several sweeps: the first starts the worker, later ones share the signing with it.
      for (let sweep = 0; sweep < 4; sweep++) {
        const rs = await d.forward(
          axons.map((a) => a.target),
          Synapse.create(SYNAPSE_SCHEMA),
        );
        expect(rs.map((r) => r.statusCode)).toEqual(axons.map(() => 200));
        expect(new Set(rs.map((r) => r.synapse.dendrite.nonce)).size).toBe(80);
      }
    } finally {
      await Promise.all(axons.map((a) => a.close()));
    }
  });

  it('two requests in flight to one axon go out on two connections (the second never waits behind the first)', async () => {
    // The server holds every request until two are in flight at once: if the
    // second waited for the first one's connection, neither would ever be answered.
    const held: import('node:http').ServerResponse[] = [];
    const sockets = new Set<unknown>();
    const srv = createServer((req, res) => {
      sockets.add(req.socket);
      req.resume();
      held.push(res);
      if (held.length < 2) return;
      for (const r of held.splice(0)) {
        r.writeHead(200, { 'content-type': 'application/json', bt_header_axon_status_code: '200', bt_header_axon_status_message: 'Success' });
        r.end('{}');
      }
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    try {
      const target = { ip: '127.0.0.1', port: (srv.address() as AddressInfo).port, hotkey: bob.address };
      await using d = new Dendrite({ signer: alice, timeout: 5 });
      const rs = await d.forward([target, target], Synapse.create(SYNAPSE_SCHEMA));
      expect(rs.map((r) => [r.statusCode, r.reason])).toEqual([
        [200, 'ok'],
        [200, 'ok'],
      ]);
      expect(sockets.size).toBe(2);
    } finally {
      srv.closeAllConnections();
      await new Promise<void>((r) => srv.close(() => r()));
    }
  });

  it('a wrong axon hotkey fails verification with 401', async () => {
    await using d = new Dendrite({ signer: alice });
    const r = await d.call({ ...axon.target, hotkey: alice.address }, Synapse.create(SYNAPSE_SCHEMA));
    expect(r.statusCode).toBe(401);
    expect(r.reason).toBe('http_error');
    expect(r.statusMessage).toMatch(/^Not Verified with error: Signature mismatch with \d+\./);
    // Error replies carry the axon's own signature, version and uuid in headers.
    expect(r.synapse.axon.signature).toMatch(/^0x[0-9a-f]{128}$/);
    expect(r.synapse.axon.version).toBe(10002000);
  });

  it('a forward raising a status error answers with it', async () => {
    await using d = new Dendrite({ signer: alice });
    const r = await d.call(axon.target, Synapse.create(conflictSchema));
    expect([r.statusCode, r.statusMessage]).toEqual([409, 'Conflicting request']);
  });

  it('caps the reply size', async () => {
    await using d = new Dendrite({ signer: alice, maxResponseBytes: 64 * 1024 });
    const ok = await d.call(axon.target, Synapse.create(bigSchema, { n: 1000 }));
    expect(ok.statusCode).toBe(200);
    const r = await d.call(axon.target, Synapse.create(bigSchema, { n: 1_000_000 }));
    expect(r.reason).toBe('too_large');
    expect(r.statusCode).toBe(422);
    expect(r.statusMessage).toBe('Failed to parse response: response body exceeds the 65536-byte limit');
  });

  it('a closed port is 503 with Python text', async () => {
    const srv = createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as AddressInfo).port;
    await new Promise<void>((r) => srv.close(() => r()));
    await using d = new Dendrite({ signer: alice });
    const r = await d.call({ ip: '127.0.0.1', port, hotkey: bob.address }, Synapse.create(SYNAPSE_SCHEMA));
    expect([r.statusCode, r.statusMessage, r.reason]).toEqual([503, `Service unavailable at 127.0.0.1:${port}/Synapse`, 'refused']);
  });
});
