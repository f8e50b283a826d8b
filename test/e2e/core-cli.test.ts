/**
 * The core through the real binary: `dendrite query/ping` against our axon
 * (`dendrite axon`, also the real binary) on loopback.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { runCli, startCli, type CliRun } from '../support/run-cli.js';
import { pairFromUri } from '../../src/crypto/derive.js';
import { prepareRequest } from '../../src/dendrite/request.js';
import { SYNAPSE_SCHEMA } from '../../src/synapse/schema.js';
import { Synapse } from '../../src/synapse/synapse.js';
import { nextNonce } from '../../src/dendrite/nonce.js';

const BOB = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty';
const ALICE = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';

type Axon = { port: number; stop: () => Promise<CliRun> };
let axon: Axon;
let slow: Axon;
let v6: Axon;
let dir: string;

async function axonProcess(...extra: string[]): Promise<Axon> {
  const { firstLine, stop } = await startCli(['axon', '--uri', '//Bob', '--port', '0', '--json', ...extra], { XDG_CONFIG_HOME: dir });
  const info = JSON.parse(firstLine) as { port: number; hotkey: string };
  expect(info.hotkey).toBe(BOB);
  return { port: info.port, stop };
}

function json(r: CliRun): Array<Record<string, any>> {
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dendrite-e2e-'));
  await writeFile(
    join(dir, 'echo.json'),
    JSON.stringify({ name: 'Echo', fields: [{ name: 'text', type: 'str' }, { name: 'n', type: 'float', default: 0 }], required_hash_fields: ['text', 'n'] }),
  );
  [axon, slow, v6] = await Promise.all([axonProcess('--schema', join(dir, 'echo.json')), axonProcess('--delay', '2000'), axonProcess('--host', '::1')]);
});

afterAll(async () => {
  await Promise.all([axon, slow, v6].map((a) => a?.stop()));
});

describe('dendrite ping / query against our axon (real binaries)', () => {
  it('ping returns 200 with the documented JSON fields', async () => {
    const r = await runCli(['ping', '--axon', `${BOB}@127.0.0.1:${axon.port}`, '--uri', '//Alice', '--json']);
    expect(r.code).toBe(0);
    const [res] = json(r);
    expect(res).toMatchObject({ hotkey: BOB, ip: '127.0.0.1', port: axon.port, status_code: 200, status_message: 'Success', reason: 'ok' });
    expect(res!.latency_ms).toBeGreaterThan(0);
    expect(res!.process_time).toBeGreaterThanOrEqual(0);
    expect(res!.synapse.name).toBe('Synapse');
    expect(res!.synapse.dendrite.hotkey).toBe(ALICE);
    // The nonce is printed as an exact integer literal (> 2^53).
    expect(r.stdout).toMatch(/"nonce":\d{19}/);
  });

  it('query Dummy doubles the input, exactly beyond 2^53', async () => {
    const r = await runCli(['query', '--axon', `${BOB}@127.0.0.1:${axon.port}`, '--uri', '//Alice', '--synapse', 'Dummy', '--field', 'dummy_input=9007199254740993', '--json']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('"dummy_output":18014398509481986');
    expect(json(r)[0]!.status_code).toBe(200);
  });

  it('prints a table on request without --json', async () => {
    const r = await runCli(['query', '--axon', `${BOB}@127.0.0.1:${axon.port}`, '--uri', '//Alice', '--synapse', 'Dummy', '--field', 'dummy_input=21']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/5FHneW46…94ty\s+│\s+127\.0\.0\.1:\d+\s+│\s+200\s+│\s+Success/);
    expect(r.stdout).toMatch(/│\s+42\s+│/);
    expect(r.stderr).toBe('1 axon, 1 ok\n');
  });

  it('a user schema: float fields hash as Python floats, the axon agrees', async () => {
    const r = await runCli(['query', '--axon', `${BOB}@127.0.0.1:${axon.port}`, '--uri', '//Alice', '--schema', join(dir, 'echo.json'), '--synapse', 'Echo', '--field', 'text=héllo "q"', '--field', 'n=1', '--json']);
    const [res] = json(r);
    expect(res).toMatchObject({ status_code: 200, synapse: { text: 'héllo "q"', n: 1.0 } });
    expect(r.stdout).toContain('"n":1.0');
  });

  it('a wrong axon hotkey gives 401 with the exact text', async () => {
    const r = await runCli(['ping', '--axon', `${ALICE}@127.0.0.1:${axon.port}`, '--uri', '//Alice', '--json']);
    const [res] = json(r);
    expect(res!.status_code).toBe(401);
    expect(res!.reason).toBe('http_error');
    expect(res!.status_message).toMatch(
      new RegExp(`^Not Verified with error: Signature mismatch with \\d+\\.${ALICE}\\.${BOB}\\.[0-9a-f-]{36}\\.a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a and 0x[0-9a-f]{128}$`),
    );
  });

  it('a closed port gives 503 with the exact text', async () => {
    const srv = createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as AddressInfo).port;
    await new Promise<void>((r) => srv.close(() => r()));
    const r = await runCli(['ping', '--axon', `${BOB}@127.0.0.1:${port}`, '--uri', '//Alice', '--json']);
    expect(r.code).toBe(0);
    expect(json(r)[0]).toMatchObject({ status_code: 503, status_message: `Service unavailable at 127.0.0.1:${port}/Synapse`, reason: 'refused' });
  });

  it('a handler slower than --timeout gives 408; --fail makes it exit 4', async () => {
    const r = await runCli(['ping', '--axon', `${BOB}@127.0.0.1:${slow.port}`, '--uri', '//Alice', '--timeout', '0.5', '--json', '--fail']);
    expect(r.code).toBe(4);
    expect(json(r)[0]).toMatchObject({ status_code: 408, status_message: 'Request timeout after 0.5 seconds', reason: 'timeout' });
  });

  it('an oversized reply is cut off with a clear status', async () => {
    const r = await runCli([
      'query', '--axon', `${BOB}@127.0.0.1:${axon.port}`, '--uri', '//Alice', '--schema', join(dir, 'echo.json'),
      '--synapse', 'Echo', '--field', `text=${'x'.repeat(5000)}`, '--max-response-bytes', '4096', '--json',
    ]);
    expect(json(r)[0]).toMatchObject({ status_code: 422, status_message: 'Failed to parse response: response body exceeds the 4096-byte limit', reason: 'too_large' });
  });

  it('IPv6 [::1] works', async () => {
    const r = await runCli(['ping', '--axon', `${BOB}@[::1]:${v6.port}`, '--uri', '//Alice', '--json']);
    expect(json(r)[0]).toMatchObject({ ip: '::1', status_code: 200 });
  });

  it('several axons come back in input order', async () => {
    const r = await runCli(['ping', '--uri', '//Alice', '--json', '--timeout', '0.5', '--axon', `${BOB}@127.0.0.1:${slow.port}`, '--axon', `${BOB}@127.0.0.1:${axon.port}`, '--axon', `${BOB}@[::1]:${v6.port}`]);
    expect(json(r).map((x) => [x.port, x.status_code])).toEqual([[slow.port, 408], [axon.port, 200], [v6.port, 200]]);
  });
});

describe('our axon rejects tampering (raw requests against the `dendrite axon` binary)', () => {
  async function send(mutate: (h: Record<string, string>) => void, replay?: { headers: Record<string, string>; body: string }) {
    const alice = await pairFromUri('//Alice');
    const req =
      replay ??
      prepareRequest(Synapse.create(SYNAPSE_SCHEMA), { ip: '127.0.0.1', port: axon.port, hotkey: BOB }, { signer: alice, uuid: '11111111-1111-1111-8111-111111111111', ip: '0.0.0.0', version: 10002000 }, nextNonce(), 12);
    const headers = { ...req.headers };
    mutate(headers);
    const res = await request(`http://127.0.0.1:${axon.port}/Synapse`, { method: 'POST', headers, body: req.body });
    return { status: res.statusCode, body: (await res.body.json()) as { message?: string }, req };
  }

  it('a tampered signature gives 401 with the exact text', async () => {
    const r = await send((h) => {
      const sig = h.bt_header_dendrite_signature!;
      h.bt_header_dendrite_signature = sig.slice(0, -2) + (sig.endsWith('00') ? '01' : '00');
    });
    expect(r.status).toBe(401);
    expect(r.body.message).toMatch(/^Not Verified with error: Signature mismatch with \d+\.5Grwva\S+\.5FHneW\S+\.11111111-1111-1111-8111-111111111111\.a7ffc6f8\S+ and 0x[0-9a-f]{128}$/);
  });

  it('a replayed nonce gives 401', async () => {
    const first = await send(() => {});
    expect(first.status).toBe(200);
    const again = await send(() => {}, first.req);
    expect(again.status).toBe(401);
    expect(again.body).toEqual({ message: 'Not Verified with error: Nonce is too old, a newer one was last processed' });
  });

  it('a missing signature is refused (project choice)', async () => {
    const r = await send((h) => delete h.bt_header_dendrite_signature);
    expect(r.status).toBe(401);
    expect(r.body).toEqual({ message: 'Not Verified with error: Missing Signature' });
  });

  it('an unknown route is 404 with the exact text', async () => {
    const res = await request(`http://127.0.0.1:${axon.port}/no_such_path`);
    expect(res.statusCode).toBe(404);
    expect(await res.body.text()).toBe(`{"message":"Synapse name 'no_such_path' not found. Available synapses ['Synapse', 'Dummy', 'StreamCount', 'StreamUtf8', 'StreamStall', 'StreamForever', 'StreamFail', 'Echo']"}`);
  });

  it('no hotkey header is 401 as in test_ping__no_dendrite', async () => {
    const res = await request(`http://127.0.0.1:${axon.port}/Synapse`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', computed_body_hash: 'a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a' },
      body: Synapse.create(SYNAPSE_SCHEMA).toRequestBody(),
    });
    expect(res.statusCode).toBe(401);
    expect(await res.body.json()).toEqual({ message: 'Not Verified with error: No SS58 formatted address or public key provided.' });
  });

  it('a body that does not match its hash is 500 Internal Server Error #uuid', async () => {
    const alice = await pairFromUri('//Alice');
    const schemaFile = join(dir, 'echo.json');
    const { loadSchemaFile } = await import('../../src/synapse/schema-files.js');
    const echo = await loadSchemaFile(schemaFile);
    const req = prepareRequest(Synapse.create(echo, { text: 'a' }), { ip: '127.0.0.1', port: axon.port, hotkey: BOB }, { signer: alice, uuid: '22222222-2222-1222-8222-222222222222', ip: '0.0.0.0', version: 10002000 }, nextNonce(), 12);
    const res = await request(`http://127.0.0.1:${axon.port}/Echo`, { method: 'POST', headers: req.headers, body: req.body.replace('"text": "a"', '"text": "b"') });
    expect(res.statusCode).toBe(500);
    expect(await res.body.json()).toEqual({ message: expect.stringMatching(/^Internal Server Error #[\da-f-]{36}$/) });
  });
});

describe('bad input: one line, documented exit code, no stack', () => {
  it.each([
    [['ping', '--uri', '//Alice', '--axon', 'nonsense'], 2, /^dendrite: --axon "nonsense": the port is missing; expected \[HOTKEY@\]HOST:PORT/],
    [['ping', '--uri', '//Alice', '--axon', `${BOB}@127.0.0.1:70000`], 2, /port 70000 is out of range 1-65535/],
    [['ping', '--uri', '//Alice'], 2, /no axon selected; pass --axon/],
    [['query', '--uri', '//Alice', '--axon', `${BOB}@127.0.0.1:1`, '--synapse', 'Nope'], 2, /unknown synapse "Nope"; known: Synapse, Dummy/],
    [['query', '--uri', '//Alice', '--axon', `${BOB}@127.0.0.1:1`, '--synapse', 'Dummy', '--field', 'dummy_input=1.5'], 2, /--field dummy_input of Dummy: expected int, got float 1\.5/],
    [['query', '--uri', '//Alice', '--axon', `${BOB}@127.0.0.1:1`, '--synapse', 'Dummy', '--body', '{bad'], 2, /--body is not valid JSON/],
    [['ping', '--uri', '//Alice', '--axon', `${BOB}@127.0.0.1:1`, '--timeout', '-1'], 2, /--timeout must be a positive number/],
    [['ping', '--uri', '//Alice', '--axon', `${BOB}@127.0.0.1:1`, '--tiemout', '1'], 2, /unknown option '--tiemout'.*Did you mean --timeout\?/s],
  ])('%j -> exit %i', async (args, code, msg) => {
    const r = await runCli(args as string[]);
    expect(r.code).toBe(code);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(msg);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('a missing wallet is exit 3 and names the file and the fix', async () => {
    const r = await runCli(['ping', '--axon', `${BOB}@127.0.0.1:1`, '--wallet-path', join(dir, 'no-wallets')]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(join(dir, 'no-wallets', 'default', 'hotkeys', 'default'));
  });
});

describe('help and demo', () => {
  it('--help and --version work', async () => {
    const h = await runCli(['query', '--help']);
    expect(h.code).toBe(0);
    expect(h.stdout).toContain('--timeout <seconds>');
    expect(h.stdout).toContain('(default: 12)');
    expect(h.stdout).toContain('Examples:');
    const v = await runCli(['--version']);
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('demo resolves a local subnet through a local chain endpoint, then pings, queries and streams, offline', async () => {
    const r = await runCli(['demo', '--json'], { timeoutMs: 60_000 });
    expect(r.code).toBe(0);
    const [metagraph, ping, query, ...stream] = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(metagraph).toMatchObject({ format: 'dendrite-metagraph/1', netuid: 1, neuronCount: 5, servingCount: 4 });
    expect(ping!.map((x: { uid: number; status_code: number }) => [x.uid, x.status_code])).toEqual([[0, 200], [1, 200], [2, 200], [3, 408]]);
    expect(query!.map((x: { status_code: number }) => x.status_code)).toEqual([200, 200, 403, 408]);
    expect(query![0]!.synapse.dummy_output).toBe(42);
    expect(stream.map((e) => e.type)).toEqual(['chunk', 'chunk', 'chunk', 'chunk', 'chunk', 'done']);
    expect(stream.at(-1)).toMatchObject({ uid: 0, status_code: 200, chunks: 5 });
  });
});
