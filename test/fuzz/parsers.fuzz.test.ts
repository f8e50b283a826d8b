/**
 * Fuzzing what strangers and files feed us: reply headers, the reply merge,
 * reply bodies, keyfiles, schema files and chain IP integers. Thousands of
 * generated inputs each: no crash (only the documented error classes), no
 * hang (bounded runs, each test with a time limit), no secret in any error.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isIPv4, isIPv6 } from 'node:net';
import { decodeJsonReply } from '../../src/dendrite/reply.js';
import { SchemaError, WalletError } from '../../src/errors.js';
import { ipToString, ipv6ToString } from '../../src/chain/ip.js';
import { DUMMY_SCHEMA, SYNAPSE_SCHEMA, parseSchema } from '../../src/synapse/schema.js';
import { parseSynapseHeaders, Synapse } from '../../src/synapse/synapse.js';
import { dumpPyJson } from '../../src/synapse/pyjson.js';
import type { PyValue } from '../../src/synapse/pyvalue.js';
import { keyFromKeyfile, parseKeyfileText } from '../../src/wallet/keyfile.js';
import { headers, pyText, pyValue } from './arbitraries.js';
import { hasPython, python } from './python.js';

const RUNS = 2000;

describe('reply headers and the reply merge (process_server_response)', () => {
  it('parseSynapseHeaders never throws, and keeps only the fields it knows', () => {
    fc.assert(
      fc.property(headers, (h) => {
        const p = parseSynapseHeaders(h);
        const known = new Set(['status_code', 'status_message', 'process_time', 'ip', 'port', 'version', 'nonce', 'uuid', 'hotkey', 'signature']);
        for (const k of Object.keys(p.axon)) expect(known.has(k)).toBe(true);
        for (const k of Object.keys(p.dendrite)) expect(known.has(k)).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  /** A body shaped like a synapse, with junk in some places. */
  const terminal = fc.option(fc.dictionary(fc.constantFrom('status_code', 'status_message', 'process_time', 'ip', 'port', 'nonce', 'hotkey', 'x'), pyValue, { maxKeys: 5 }));
  const synapseBody: fc.Arbitrary<PyValue> = fc
    .record({
      name: fc.oneof(fc.constant('Dummy'), pyText),
      timeout: fc.oneof(fc.constant(12.0), pyValue),
      dendrite: terminal,
      axon: terminal,
      dummy_input: fc.oneof(fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }), pyValue),
      dummy_output: pyValue,
      message: pyValue,
    }, { requiredKeys: [] })
    .map((o) => new Map(Object.entries(o).map(([k, v]) => [k, v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Map) ? new Map(Object.entries(v)) : v])) as PyValue);

  it('mergeResponse either merges or raises TypeError (a client-side 422), for any status, body and headers', () => {
    const seen = { merged: 0, refused: 0 };
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 599 }), fc.oneof(synapseBody, pyValue), headers, (status, body, h) => {
        const local = Synapse.create(DUMMY_SCHEMA, { dummy_input: 1n });
        try {
          local.mergeResponse(status, body, h);
        } catch (e) {
          expect(e).toBeInstanceOf(TypeError);
          seen.refused++;
          return;
        }
        seen.merged++;
        // Merged: the dendrite's status mirrors the axon's, as in Python.
        expect(local.dendrite.status_code).toBe(local.axon.status_code);
        expect(local.dendrite.status_message).toBe(local.axon.status_message);
        // And the merged synapse can be shown and sent again.
        expect(() => local.toRequestBody()).not.toThrow();
      }),
      { numRuns: RUNS },
    );
    // Both paths were exercised, or the property proves little.
    expect(seen.merged).toBeGreaterThan(RUNS / 20);
    expect(seen.refused).toBeGreaterThan(RUNS / 20);
  });

  it('decodeJsonReply never throws on any bytes and content type; failures are 422', () => {
    const ct = fc.oneof(fc.constantFrom('application/json', 'application/json; charset=latin-1', 'text/html', 'application/problem+json', 'APPLICATION/JSON', ''), fc.string({ maxLength: 20 }));
    const body = fc.oneof(
      fc.uint8Array({ maxLength: 200 }),
      pyValue.map((v) => Buffer.from(dumpPyJson(v, 'compact'))),
      fc.string({ maxLength: 100 }).map((s) => Buffer.from(s)),
    );
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 599 }), ct, body, (status, type, bytes) => {
        const r = decodeJsonReply({ status, headers: { 'content-type': type }, body: Buffer.from(bytes) }, 'http://127.0.0.1:1/Synapse');
        if ('failure' in r) {
          expect(r.failure.statusCode).toBe(422);
          expect(r.failure.statusMessage).toMatch(/^Failed to parse response: /);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('a reply nested 100,000 deep is a 422, not a stack overflow', () => {
    const deep = Buffer.from('['.repeat(100_000) + ']'.repeat(100_000));
    const r = decodeJsonReply({ status: 200, headers: { 'content-type': 'application/json' }, body: deep }, 'http://127.0.0.1:1/Synapse');
    if ('json' in r) {
      // Parsed: then merging it into a synapse must fail cleanly too.
      expect(() => Synapse.create(SYNAPSE_SCHEMA).mergeResponse(200, r.json, {})).toThrow(TypeError);
    } else expect(r.failure.statusCode).toBe(422);
  });
});

describe('keyfiles: only WalletError, and no secret in any message', () => {
  const secret = fc.oneof(fc.stringMatching(/^[0-9a-f]{16,128}$/).map((h) => `0x${h}`), fc.stringMatching(/^[a-z]{3,8}( [a-z]{3,8}){11}$/));
  const field = fc.oneof(secret, pyText, fc.constant(null), fc.integer(), fc.boolean(), fc.constant([1]));
  const keyfile = fc.record(
    {
      secretPhrase: field,
      secretSeed: field,
      privateKey: field,
      publicKey: field,
      accountId: field,
      ss58Address: fc.oneof(field, fc.constant('5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY')),
      cryptoType: fc.oneof(fc.constantFrom(0, 1, '1', 7, 'x', null), fc.integer()),
    },
    { requiredKeys: [] },
  );
  const secretsOf = (o: Record<string, unknown>): string[] =>
    ['secretPhrase', 'secretSeed', 'privateKey'].map((k) => o[k]).filter((v): v is string => typeof v === 'string' && v.length >= 8);

  it('parseKeyfileText', () => {
    fc.assert(
      fc.property(fc.oneof(keyfile.map((o) => JSON.stringify(o)), fc.string({ maxLength: 200 }), secret), (text) => {
        try {
          parseKeyfileText(text, '/w/hotkeys/h', 'secret');
        } catch (e) {
          expect(e).toBeInstanceOf(WalletError);
          const msg = (e as Error).message;
          expect(msg.split('\n')).toHaveLength(1);
          let obj: Record<string, unknown> = {};
          try {
            obj = JSON.parse(text) as Record<string, unknown>;
          } catch {
            /* raw text: the whole text is the secret */
            if (text.length >= 8) expect(msg).not.toContain(text.trim());
          }
          for (const s of secretsOf(obj ?? {})) expect(msg).not.toContain(s);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('keyFromKeyfile (derives keys: fewer runs)', { timeout: 60_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(keyfile, async (o) => {
        let data;
        try {
          data = parseKeyfileText(JSON.stringify(o), '/w/hotkeys/h', 'secret');
        } catch {
          return;
        }
        try {
          await keyFromKeyfile(data, '/w/hotkeys/h');
        } catch (e) {
          expect(e).toBeInstanceOf(WalletError);
          for (const s of secretsOf(o)) expect((e as Error).message).not.toContain(s);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('schema files: only SchemaError', () => {
  const type = fc.oneof(
    fc.constantFrom('str', 'int', 'float', 'bool', 'Any', 'list[int]', 'dict[str, float]', 'Optional[list[str]]', 'int | None', 'list[', 'dict[int, str]', 'Optional[]', 'tuple[int]', ''),
    fc.string({ maxLength: 12 }),
  );
  const fieldSpec = fc.record({ name: fc.oneof(fc.constantFrom('a', 'b', 'name', 'axon', '1x'), fc.string({ maxLength: 6 })), type, default: pyValue }, { requiredKeys: [] });
  const schemaDoc = fc.record(
    {
      name: fc.oneof(fc.constantFrom('X', 'Text_Prompt', 'not valid', ''), fc.string({ maxLength: 8 })),
      fields: fc.oneof(fc.array(fieldSpec, { maxLength: 4 }), pyValue.map((v) => String(v))),
      required_hash_fields: fc.array(fc.constantFrom('a', 'b', 'c'), { maxLength: 3 }),
      streaming: fc.oneof(fc.boolean(), fc.constant('yes')),
      output: fc.constantFrom('a', 'zz'),
    },
    { requiredKeys: [] },
  );
  it('parseSchema', () => {
    let valid = 0;
    fc.assert(
      fc.property(fc.oneof(schemaDoc.map((d) => JSON.stringify(d, (_k, v) => (typeof v === 'bigint' ? Number(v) : v instanceof Map ? Object.fromEntries(v) : v))), fc.string({ maxLength: 80 })), (text) => {
        try {
          const s = parseSchema(text, 'fuzz.json');
          expect(typeof s.name).toBe('string');
          valid++;
        } catch (e) {
          expect(e).toBeInstanceOf(SchemaError);
          expect((e as Error).message).toMatch(/^schema fuzz\.json/);
        }
      }),
      { numRuns: RUNS },
    );
    expect(valid).toBeGreaterThan(0);
  });
});

describe('chain IP integers to text', () => {
  const u128 = fc.bigInt({ min: 0n, max: (1n << 128n) - 1n });
  const sparse = fc.array(fc.constantFrom(0, 0, 0, 1, 0xffff, 0xdb8), { minLength: 8, maxLength: 8 }).map((g) => g.reduce((a, x) => (a << 16n) | BigInt(x), 0n));
  const full = (ip: bigint): string => Array.from({ length: 8 }, (_, i) => ((ip >> BigInt((7 - i) * 16)) & 0xffffn).toString(16)).join(':');

  it('IPv6 text is valid, canonical and the same address', () => {
    fc.assert(
      fc.property(fc.oneof(u128, sparse), (ip) => {
        const s = ipv6ToString(ip);
        expect(isIPv6(s)).toBe(true);
        // WHATWG URL normalises both to one form: same address.
        expect(new URL(`http://[${s}]/`).hostname).toBe(new URL(`http://[${full(ip)}]/`).hostname);
        expect(s).toBe(s.toLowerCase());
      }),
      { numRuns: RUNS },
    );
  });

  it('IPv4 for ip_type 4, and netaddr\'s size rule for other types', () => {
    fc.assert(
      fc.property(fc.oneof(fc.bigInt({ min: 0n, max: 0xffffffffn }), u128), fc.constantFrom(4, 6, 0, 5, 255), (ip, t) => {
        const s = ipToString(ip, t);
        if ((t === 4 && ip <= 0xffffffffn) || (t !== 6 && ip <= 0xffffffffn)) expect(isIPv4(s)).toBe(true);
        else expect(isIPv6(s)).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it.skipIf(!hasPython)('IPv6 text equals glibc inet_ntop (what Python/netaddr print)', () => {
    const ips = [...fc.sample(u128, 1000), ...fc.sample(sparse, 1000)];
    const want = python<string[]>(
      `import json, sys, socket
print(json.dumps([socket.inet_ntop(socket.AF_INET6, int(x).to_bytes(16, 'big')) for x in json.load(sys.stdin)]))`,
      ips.map(String),
    );
    expect(ips.map(ipv6ToString)).toEqual(want);
  });
});
