/** Our axon against the conformance cases of PROTOCOL.md §14 (11-20), with raw HTTP requests. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { pairFromUri } from '../../src/crypto/derive.js';
import type { Sr25519Pair } from '../../src/crypto/sr25519.js';
import { startAxon, type RunningAxon } from '../../src/axon/server.js';
import type { AxonRoute } from '../../src/axon/routes.js';
import { streamRoutes } from '../../src/axon/stream-routes.js';
import { nextNonce } from '../../src/dendrite/nonce.js';
import { prepareRequest } from '../../src/dendrite/request.js';
import { parseSchema, SYNAPSE_SCHEMA } from '../../src/synapse/schema.js';
import { STREAM_COUNT_SCHEMA } from '../../src/synapse/stream-schemas.js';
import { Synapse } from '../../src/synapse/synapse.js';

const EMPTY = 'a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a';
const notFound = parseSchema('{"name":"NotFound","fields":[{"name":"x","type":"int","default":0}]}', 't');
const broken = parseSchema('{"name":"Broken","fields":[]}', 't');
const routes: AxonRoute[] = [
  {
    schema: notFound,
    forward(s) {
      s.axon.status_code = 404;
      s.axon.status_message = 'nothing here';
    },
  },
  {
    schema: broken,
    forward() {
      throw new TypeError('boom');
    },
  },
  ...streamRoutes,
];

let alice: Sr25519Pair;
let open: RunningAxon; // verification off, as in test_ping__without_verification
let strict: RunningAxon;

beforeAll(async () => {
  alice = await pairFromUri('//Alice');
  const bob = await pairFromUri('//Bob');
  open = await startAxon({ signer: bob, verify: false, routes });
  strict = await startAxon({ signer: bob, routes });
});
afterAll(async () => {
  await open.close();
  await strict.close();
});

function signed(axon: RunningAxon, schema = SYNAPSE_SCHEMA, values = {}) {
  return prepareRequest(Synapse.create(schema, values), axon.target, { signer: alice, uuid: '33333333-3333-1333-8333-333333333333', ip: '0.0.0.0', version: 10002000 }, nextNonce(), 12);
}

describe('our axon (PROTOCOL.md §7, §14)', () => {
  it('case 14: ping without verification answers 200 with exactly the Python headers', async () => {
    const res = await request(`http://127.0.0.1:${open.port}/Synapse`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', computed_body_hash: EMPTY },
      body: Synapse.create(SYNAPSE_SCHEMA).toRequestBody(),
    });
    expect(res.statusCode).toBe(200);
    const h = res.headers;
    expect(h.bt_header_axon_status_code).toBe('200');
    expect(h.bt_header_axon_status_message).toBe('Success');
    expect(h.computed_body_hash).toBe(EMPTY);
    expect(h['content-type']).toBe('application/json');
    expect(h.name).toBe('Synapse');
    expect(h.timeout).toBe('12.0');
    expect(Number(h.bt_header_axon_process_time)).toBeGreaterThanOrEqual(0);
    expect(Number(h.header_size)).toBeGreaterThanOrEqual(10);
    expect(Number(h.total_size)).toBeGreaterThanOrEqual(0);
    expect(h).not.toHaveProperty('bt_header_axon_signature');
    expect(h).not.toHaveProperty('bt_header_axon_nonce');
    const body = (await res.body.text()) as string;
    // Compact JSON, every field.
    expect(body.startsWith('{"name":"Synapse","timeout":12.0,"total_size":0,"header_size":0,"dendrite":{')).toBe(true);
    expect(body.endsWith('"computed_body_hash":""}')).toBe(true);
  });

  it('case 13: no hotkey header with verification on is 401', async () => {
    const res = await request(`http://127.0.0.1:${strict.port}/Synapse`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', computed_body_hash: EMPTY },
      body: Synapse.create(SYNAPSE_SCHEMA).toRequestBody(),
    });
    expect(res.statusCode).toBe(401);
    expect(await res.body.text()).toBe('{"message":"Not Verified with error: No SS58 formatted address or public key provided."}');
  });

  it('case 15: forward setting 404 answers 404 with the full synapse body', async () => {
    const req = signed(strict, notFound, { x: 1 });
    const res = await request(`http://127.0.0.1:${strict.port}/NotFound`, { method: 'POST', headers: req.headers, body: req.body });
    expect(res.statusCode).toBe(404);
    const body = (await res.body.json()) as { axon: { status_code: number; status_message: string }; x: number };
    expect(body.axon).toMatchObject({ status_code: 404, status_message: 'nothing here' });
    expect(body.x).toBe(1);
  });

  it('case 17: forward raising is 500 with only a message', async () => {
    const req = signed(strict, broken);
    const res = await request(`http://127.0.0.1:${strict.port}/Broken`, { method: 'POST', headers: req.headers, body: req.body });
    expect(res.statusCode).toBe(500);
    const body = (await res.body.json()) as Record<string, string>;
    expect(Object.keys(body)).toEqual(['message']);
    expect(body.message).toMatch(/^Internal Server Error #[\da-f-]+$/);
  });

  it('case 19: error headers carry the preprocess values (version, status, signature, client ip and port)', async () => {
    const req = signed(strict);
    req.headers.bt_header_dendrite_signature = `0x${'00'.repeat(64)}`;
    const res = await request(`http://127.0.0.1:${strict.port}/Synapse`, { method: 'POST', headers: req.headers, body: req.body });
    expect(res.statusCode).toBe(401);
    const h = res.headers;
    expect(h.bt_header_axon_version).toBe('10002000');
    expect(h.bt_header_axon_status_code).toBe('401');
    expect(h.bt_header_axon_signature).toMatch(/^0x[0-9a-f]{128}$/);
    expect(h.bt_header_axon_uuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(h.bt_header_dendrite_ip).toBe('127.0.0.1');
    expect(Number(h.bt_header_dendrite_port)).toBeGreaterThan(1024);
  });

  it('a wrong content type is 500 and invalid JSON is FastAPI 422 without bt headers', async () => {
    const req = signed(strict);
    const plain = await request(`http://127.0.0.1:${strict.port}/Synapse`, { method: 'POST', headers: { ...req.headers, 'content-type': 'text/plain' }, body: req.body });
    expect(plain.statusCode).toBe(500);
    await plain.body.dump();
    const req2 = signed(strict);
    const bad = await request(`http://127.0.0.1:${strict.port}/Synapse`, { method: 'POST', headers: req2.headers, body: '{"name": ' });
    expect(bad.statusCode).toBe(422);
    expect(bad.headers).not.toHaveProperty('bt_header_axon_status_code');
    expect(((await bad.body.json()) as { detail: Array<{ type: string }> }).detail[0]!.type).toBe('json_invalid');
  });

  it('case 20: a streaming reply is 200 text/event-stream with the chunks as the body', async () => {
    const req = signed(strict, STREAM_COUNT_SCHEMA, { n: 10, delay_ms: 0 });
    const res = await request(`http://127.0.0.1:${strict.port}/StreamCount`, { method: 'POST', headers: req.headers, body: req.body });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/event-stream');
    expect(res.headers.name).toBe('StreamCount');
    expect(res.headers.computed_body_hash).toBe(EMPTY);
    expect(res.headers).not.toHaveProperty('content-length');
    expect(await res.body.text()).toBe(Array.from({ length: 10 }, (_, i) => `data${i}\n`).join(''));
  });

  it('the unknown-route 404 lists the routes as a Python list', async () => {
    const res = await request(`http://127.0.0.1:${strict.port}/no_such_path`);
    expect(res.statusCode).toBe(404);
    expect(((await res.body.json()) as { message: string }).message).toBe(
      "Synapse name 'no_such_path' not found. Available synapses ['Synapse', 'NotFound', 'Broken', 'StreamCount', 'StreamUtf8', 'StreamStall', 'StreamForever', 'StreamFail']",
    );
  });
});
