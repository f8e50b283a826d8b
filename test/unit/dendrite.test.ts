import { describe, expect, it } from 'vitest';
import { pairFromUri } from '../../src/crypto/derive.js';
import { loadSr25519 } from '../../src/crypto/sr25519.js';
import { utf8, bytesToHex } from '../../src/crypto/bytes.js';
import { nextNonce } from '../../src/dendrite/nonce.js';
import { uuid1 } from '../../src/dendrite/uuid.js';
import { versionAsInt, DEFAULT_VERSION_AS_INT } from '../../src/dendrite/version.js';
import { endpointUrl, prepareRequest } from '../../src/dendrite/request.js';
import { transportFailure, timeoutFailure } from '../../src/dendrite/status.js';
import { verifyRequest } from '../../src/axon/verify.js';
import { parseSchema, SYNAPSE_SCHEMA, DUMMY_SCHEMA } from '../../src/synapse/schema.js';
import { Synapse } from '../../src/synapse/synapse.js';
import { parsePyJson } from '../../src/synapse/pyjson.js';
import { EMPTY_BODY_HASH } from '../../src/synapse/hash.js';

const ALICE = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
const BOB = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty';
const UUID = '5ecbd69c-1cec-11ee-b0dc-e29ce36fec1a';
const NONCE = 1742400000123456789n;
const FAKE_SIG = `0x${'ab'.repeat(64)}`;

describe('nonces, uuid, version (PROTOCOL.md §5, §6, §12)', () => {
  it('nonces are bigint epoch ns, strictly increasing under a burst', () => {
    const before = BigInt(Date.now()) * 1_000_000n;
    const ns = Array.from({ length: 50_000 }, nextNonce);
    for (let i = 1; i < ns.length; i++) expect(ns[i]! > ns[i - 1]!).toBe(true);
    expect(typeof ns[0]).toBe('bigint');
    expect(ns[0]! > 2n ** 53n).toBe(true);
    // Within a second of the wall clock.
    expect(ns[0]! - before < 1_000_000_000n && before - ns[0]! < 1_000_000_000n).toBe(true);
  });

  it('uuid1 has the version-1 form', () => {
    const u = uuid1();
    expect(u).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-1[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(uuid1()).not.toBe(u);
  });

  it.each([
    ['10.2.0', 10002000],
    ['9.12.2', 9012002],
    ['8.5.2', 8005002],
    ['7.2.0', 7002000],
    ['7.2.0rc1', 7002000],
  ])('version_as_int(%s) = %i', (v, n) => {
    expect(versionAsInt(v)).toBe(n);
  });
  it('sends 10002000 by default', () => expect(DEFAULT_VERSION_AS_INT).toBe(10002000));
});

describe('the request (PROTOCOL.md §1, §2, §4; §14 cases 1, 2, 6, 10)', () => {
  it('builds URLs, bracketing IPv6 and mapping our own external IP to loopback', () => {
    expect(endpointUrl({ ip: '127.0.0.1', port: 666 }, 'SynapseDummy', '192.168.1.1')).toEqual({ origin: 'http://127.0.0.1:666', path: '/SynapseDummy' });
    expect(endpointUrl({ ip: '192.168.1.1', port: 8091 }, 'Synapse', '192.168.1.1').origin).toBe('http://127.0.0.1:8091');
    expect(endpointUrl({ ip: '2001:db8::1', port: 8091 }, 'Synapse').origin).toBe('http://[2001:db8::1]:8091');
  });

  it('matches the §1/§2 Dummy example byte for byte', async () => {
    const alice = await pairFromUri('//Alice');
    const dummy = parseSchema(
      '{"name":"Dummy","fields":[{"name":"input","type":"int"},{"name":"output","type":"Optional[int]","default":null}]}',
      'test',
    );
    const syn = Synapse.create(dummy, { input: 1 });
    let signed = '';
    const req = prepareRequest(
      syn,
      { ip: '198.51.100.7', port: 8091, hotkey: BOB },
      { signer: alice, uuid: UUID, ip: '203.0.113.5', version: 10002000 },
      NONCE,
      12,
      {
        totalSize: 3004,
        sign: (m) => {
          signed = m;
          return FAKE_SIG;
        },
      },
    );
    expect(req.url).toBe('http://198.51.100.7:8091/Dummy');
    expect(req.body).toBe(
      `{"name": "Dummy", "timeout": 12.0, "total_size": 3004, "header_size": 0, "dendrite": {"status_code": null, "status_message": null, "process_time": null, "ip": "203.0.113.5", "port": null, "version": 10002000, "nonce": 1742400000123456789, "uuid": "${UUID}", "hotkey": "${ALICE}", "signature": "${FAKE_SIG}"}, "axon": {"status_code": null, "status_message": null, "process_time": null, "ip": "198.51.100.7", "port": 8091, "version": null, "nonce": null, "uuid": null, "hotkey": "${BOB}", "signature": null}, "computed_body_hash": "", "input": 1, "output": null}`,
    );
    expect(Object.entries(req.headers)).toEqual([
      ['name', 'Dummy'],
      ['timeout', '12.0'],
      ['bt_header_axon_ip', '198.51.100.7'],
      ['bt_header_axon_port', '8091'],
      ['bt_header_axon_hotkey', BOB],
      ['bt_header_dendrite_ip', '203.0.113.5'],
      ['bt_header_dendrite_version', '10002000'],
      ['bt_header_dendrite_nonce', '1742400000123456789'],
      ['bt_header_dendrite_uuid', UUID],
      ['bt_header_dendrite_hotkey', ALICE],
      ['bt_header_dendrite_signature', FAKE_SIG],
      ['bt_header_input_obj_input', 'MA=='],
      ['header_size', '464'],
      ['total_size', '3004'],
      ['computed_body_hash', EMPTY_BODY_HASH],
      ['content-type', 'application/json'],
    ]);
    expect(signed).toBe(`1742400000123456789.${ALICE}.${BOB}.${UUID}.${EMPTY_BODY_HASH}`);
  });

  it('signs for real: 0x + 128 lowercase hex that verifies; total_size equals the header', async () => {
    const alice = await pairFromUri('//Alice');
    const wasm = await loadSr25519();
    const syn = Synapse.create(SYNAPSE_SCHEMA);
    const req = prepareRequest(syn, { ip: '127.0.0.1', port: 1, hotkey: BOB }, { signer: alice, uuid: UUID, ip: '0.0.0.0', version: 10002000 }, NONCE, 12);
    const sig = req.headers.bt_header_dendrite_signature!;
    expect(sig).toMatch(/^0x[0-9a-f]{128}$/);
    const msg = utf8(`${NONCE}.${ALICE}.${BOB}.${UUID}.${EMPTY_BODY_HASH}`);
    expect(wasm.sr25519Verify(Buffer.from(sig.slice(2), 'hex'), msg, alice.publicKey)).toBe(true);
    expect(req.body).toContain(`"total_size": ${req.headers.total_size},`);
    expect(Number(req.headers.total_size)).toBe(Buffer.byteLength(req.body.replace(`"total_size": ${req.headers.total_size},`, '"total_size": 0,')));
    expect(req.headers).not.toHaveProperty('bt_header_input_obj_dummy_input');
  });
});

describe('reply merge (PROTOCOL.md §7, §14 case 21)', () => {
  const dummy = parseSchema('{"name":"Dummy","fields":[{"name":"input","type":"int"},{"name":"output","type":"Optional[int]","default":null}]}', 't');

  it('200: every field from the server, statuses mirrored, hash stays ""', () => {
    const local = Synapse.create(dummy, { input: 1 });
    const body = parsePyJson(
      '{"name":"Other","timeout":12.0,"total_size":1,"header_size":0,"dendrite":{"ip":"1.2.3.4"},"axon":{"status_code":200,"status_message":"Success","process_time":0.1},"computed_body_hash":"zz","input":1,"output":2}',
    );
    local.mergeResponse(200, body, {});
    expect(local.fields.get('output')).toBe(2n);
    expect([local.dendrite.status_code, local.dendrite.status_message]).toEqual([200, 'Success']);
    expect(local.axon.process_time).toBe(0.1);
    expect(local.name).toBe('Dummy');
    expect(local.computed_body_hash).toBe('');
  });

  it('headers win over the body, None never erases', () => {
    const local = Synapse.create(dummy, { input: 1 });
    local.mergeResponse(200, parsePyJson('{"input":1,"output":2,"axon":{"status_code":200,"ip":"9.9.9.9"}}'), {
      bt_header_axon_status_code: '200',
      bt_header_axon_status_message: 'Success',
      bt_header_axon_process_time: '0.25',
    });
    expect([local.axon.ip, local.axon.process_time, local.dendrite.status_message]).toEqual(['9.9.9.9', 0.25, 'Success']);
  });

  it('non-200: only status and message; body fields untouched', () => {
    const local = Synapse.create(dummy, { input: 1 });
    local.mergeResponse(414, parsePyJson('{"message":"Custom Error","output":99}'), {});
    expect([local.axon.status_code, local.dendrite.status_code]).toEqual([414, 414]);
    expect([local.axon.status_message, local.dendrite.status_message]).toEqual(['Custom Error', 'Custom Error']);
    expect(local.fields.get('output')).toBe(null);
  });

  it('401 with error headers fills axon signature/version and the port we came from', () => {
    const local = Synapse.create(dummy, { input: 1 });
    local.mergeResponse(401, parsePyJson('{"message":"Not Verified with error: Missing Nonce"}'), {
      bt_header_axon_version: '10002000',
      bt_header_axon_signature: FAKE_SIG,
      bt_header_dendrite_port: '54321',
    });
    expect([local.axon.version, local.axon.signature, local.dendrite.port]).toEqual([10002000, FAKE_SIG, 54321]);
    expect(local.fields.get('input')).toBe(1n);
  });

  it('a 200 body of the wrong shape is a client-side failure', () => {
    expect(() => Synapse.create(dummy, { input: 1 }).mergeResponse(200, null, {})).toThrow();
    expect(() => Synapse.create(dummy, { input: 1 }).mergeResponse(200, parsePyJson('{"input":"x"}'), {})).toThrow(/expected int/);
    expect(() => Synapse.create(dummy, { input: 1 }).mergeResponse(500, parsePyJson('[1]'), {})).toThrow(/has no attribute 'get'/);
  });
});

describe('dendrite-side failures (PROTOCOL.md §8)', () => {
  const ctx = { ip: '127.0.0.1', port: 8080, name: 'test_request', timeout: 12, url: 'http://127.0.0.1:8080/test_request' };
  it('maps errors to Python codes and messages, with a reason', () => {
    expect(transportFailure(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), ctx)).toEqual({
      statusCode: 503,
      statusMessage: 'Service unavailable at 127.0.0.1:8080/test_request',
      reason: 'refused',
    });
    expect(timeoutFailure(ctx)).toEqual({ statusCode: 408, statusMessage: 'Request timeout after 12.0 seconds', reason: 'timeout' });
    expect(transportFailure(new Error('Unknown error'), ctx)).toEqual({ statusCode: 422, statusMessage: 'Failed to parse response: Unknown error', reason: 'error' });
    expect(transportFailure(Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }), ctx).statusCode).toBe(503);
    expect(transportFailure(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }), ctx)).toMatchObject({ statusCode: 422, reason: 'reset' });
  });
});

describe("our axon's verification (PROTOCOL.md §5, §14 case 11)", () => {
  it('applies the freshness window to the first request only, then strict increase', async () => {
    const alice = await pairFromUri('//Alice');
    const wasm = await loadSr25519();
    const now = 1_800_000_000_000_000_000n;
    const nonces = new Map<string, bigint>();
    const check = (offsetSeconds: number, store = nonces) => {
      const syn = Synapse.create(DUMMY_SCHEMA, { dummy_input: 1 });
      const nonce = now - BigInt(offsetSeconds * 1e9);
      syn.dendrite = { ...syn.dendrite, hotkey: ALICE, nonce, uuid: UUID, version: 10002000 };
      syn.dendrite.signature = bytesToHex(alice.sign(utf8(`${nonce}.${ALICE}.${BOB}.${UUID}.${EMPTY_BODY_HASH}`)));
      return verifyRequest({ synapse: syn, bodyHashHeader: EMPTY_BODY_HASH, ownHotkey: BOB, nonces: store, now, wasm, requireSignature: true });
    };
    for (const s of [1, 3, 5, 15]) expect(check(s, new Map())).toBeUndefined();
    for (const s of [18, 19]) {
      expect(check(s, new Map())).toMatch(/^Nonce is too old: acceptable delta is 16\.00 seconds but request was 1[89]\.00 seconds old$/);
    }
    expect(check(5)).toBeUndefined();
    expect(check(5)).toBe('Nonce is too old, a newer one was last processed');
    expect(check(30)).toBe('Nonce is too old, a newer one was last processed');
    expect(check(-100)).toBeUndefined(); // future nonces are accepted
  });
});
