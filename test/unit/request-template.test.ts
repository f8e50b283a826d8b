import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { prepareRequest } from '../../src/dendrite/request.js';
import { RequestTemplate } from '../../src/dendrite/request-template.js';
import { parseSchema, SYNAPSE_SCHEMA, DUMMY_SCHEMA, type SynapseSchema } from '../../src/synapse/schema.js';
import { Synapse } from '../../src/synapse/synapse.js';

const ALICE = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
const BOB = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty';
// A deterministic stand-in for sr25519 (which signs with fresh randomness), so the two paths can be compared byte for byte.
const signer = { address: ALICE, publicKey: new Uint8Array(32), sign: (m: Uint8Array) => new Uint8Array(createHash('sha512').update(m).digest()) };
const id = { signer, uuid: '5ecbd69c-1cec-11ee-b0dc-e29ce36fec1a', ip: '0.0.0.0', version: 10002000 };

const RICH = parseSchema(
  JSON.stringify({
    name: 'Rich',
    fields: [
      { name: 'prompt', type: 'str' },
      { name: 'temps', type: 'List[float]', default: [] },
      { name: 'meta', type: 'Dict[str, int]', default: {} },
      { name: 'answer', type: 'Optional[str]', default: null },
    ],
    required_hash_fields: ['prompt', 'temps'],
  }),
  'test',
);

const cases: [string, SynapseSchema, Record<string, unknown>][] = [
  ['Synapse (ping)', SYNAPSE_SCHEMA, {}],
  ['Dummy', DUMMY_SCHEMA, { dummy_input: 3 }],
  ['Rich with non-ASCII, quotes and floats', RICH, { prompt: 'héllo "wörld" \n ✓ __dendrite_nonce_x__', temps: [0.1, 1, 2.5e-9], meta: { a: 2n ** 70n } }],
];
const targets = [
  { ip: '127.0.0.1', port: 8091, hotkey: BOB },
  { ip: '::1', port: 1, hotkey: ALICE },
  { ip: '203.0.113.250', port: 65535, hotkey: BOB },
  { ip: '127.0.0.1', port: 9, hotkey: null }, // the reference path: no axon hotkey
];

describe('RequestTemplate: one serialisation spliced per axon', () => {
  it.each(cases)('%s: identical to prepareRequest for every target, nonce and timeout', (_name, schema, values) => {
    const synapse = Synapse.create(schema, values);
    for (const timeout of [12, 0.5, 1e-7]) {
      const tpl = new RequestTemplate(synapse, id, timeout);
      expect(tpl.spliced).toBe(true);
      for (const target of targets) {
        for (const nonce of [1n, 1742400000123456789n, 2n ** 64n + 7n]) {
          const a = synapse.clone();
          const b = synapse.clone();
          const ref = prepareRequest(a, target, id, nonce, timeout);
          const got = tpl.prepare(b, target, nonce);
          expect(got.body).toBe(ref.body);
          expect(Object.entries(got.headers)).toEqual(Object.entries(ref.headers));
          expect([got.url, got.origin, got.path, got.nonce]).toEqual([ref.url, ref.origin, ref.path, ref.nonce]);
          // The result synapse carries the same sent state.
          expect(b.toRequestBody()).toBe(a.toRequestBody());
          expect(b.total_size).toBe(a.total_size);
        }
      }
      expect(tpl.bodyHash).toBe(synapse.bodyHash());
    }
  });

  it('leaves the template synapse untouched', () => {
    const synapse = Synapse.create(DUMMY_SCHEMA, { dummy_input: 3 });
    const before = synapse.toRequestBody();
    new RequestTemplate(synapse, id, 12).prepare(synapse.clone(), targets[0]!, 5n);
    expect(synapse.toRequestBody()).toBe(before);
  });
});
