/** `dendrite stream` through the real binary against our axon on loopback. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { BIN, runCli } from '../support/run-cli.js';
import { pairFromUri } from '../../src/crypto/derive.js';
import { startAxon, type RunningAxon } from '../../src/axon/server.js';
import { streamRoutes } from '../../src/axon/stream-routes.js';
import type { AxonRoute } from '../../src/axon/routes.js';
import { parseSchema } from '../../src/synapse/schema.js';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BOB = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty';
const GATED_JSON = '{"name":"Gated","fields":[{"name":"completion","type":"str","default":""}],"streaming":true,"output":"completion"}';
const GATED = parseSchema(GATED_JSON, 't');
let gatedFile: string;

// The test opens the gate for each chunk, so it knows what the axon has sent so far.
let release: (() => void) | undefined;
let sent = 0;
let clientGone = 0;
const gatedRoute: AxonRoute = {
  schema: GATED,
  async stream(_s, send, signal) {
    signal.addEventListener('abort', () => clientGone++);
    for (let i = 0; i < 3; i++) {
      await new Promise<void>((r) => (release = r));
      await send(`part-${i};`);
      sent = i + 1;
    }
  },
};

let axon: RunningAxon;
let spec: string;
beforeAll(async () => {
  axon = await startAxon({ signer: await pairFromUri('//Bob'), routes: [...streamRoutes, gatedRoute] });
  spec = `${BOB}@127.0.0.1:${axon.port}`;
  gatedFile = join(await mkdtemp(join(tmpdir(), 'dendrite-stream-')), 'gated.json');
  await writeFile(gatedFile, GATED_JSON);
});
afterAll(() => axon.close());

function spawnCli(args: string[]) {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  const out = { stdout: '', stderr: '' };
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out.stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (out.stderr += d));
  const exit = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
  return { child, out, exit };
}

async function waitFor(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('dendrite stream (real binary)', () => {
  it('prints each chunk before the next one is sent', async () => {
    const run = spawnCli(['stream', '--axon', spec, '--uri', '//Alice', '--schema', gatedFile, '--synapse', 'Gated']);
    for (let i = 0; i < 3; i++) {
      await waitFor(() => release !== undefined && sent === i, `the axon to wait before chunk ${i}`);
      // Nothing of chunk i is on stdout before the axon sends it.
      expect(run.out.stdout).not.toContain(`part-${i}`);
      const r = release!;
      release = undefined;
      r();
      await waitFor(() => run.out.stdout.includes(`part-${i};`), `chunk ${i} on stdout`);
      expect(run.out.stdout).toBe(Array.from({ length: i + 1 }, (_, k) => `part-${k};`).join(''));
    }
    expect(await run.exit).toBe(0);
    expect(run.out.stderr).toMatch(/^\[127\.0\.0\.1:\d+\] 200 Success · 3 chunks · 21 B · first chunk \d+ ms · total [\d.]+ s\n$/);
  });

  it('--json writes NDJSON: one parseable line per chunk, then done', async () => {
    const r = await runCli(['stream', '--axon', spec, '--uri', '//Alice', '--synapse', 'StreamCount', '--field', 'n=4', '--field', 'delay_ms=5', '--split', 'lines', '--json']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.filter((l) => l.type === 'chunk').map((l) => [l.seq, l.data])).toEqual([[0, 'data0'], [1, 'data1'], [2, 'data2'], [3, 'data3']]);
    const done = lines.at(-1);
    expect(done).toMatchObject({ type: 'done', hotkey: BOB, status_code: 200, reason: 'ok', chunks: 4, bytes: 24 });
    expect(done.synapse.completion).toBe('data0data1data2data3');
    expect(typeof done.first_chunk_ms).toBe('number');
  });

  it('several axons: whole lines prefixed with the axon', async () => {
    const r = await runCli(['stream', '--axon', spec, '--axon', `${BOB}@[::1]:1`, '--uri', '//Alice', '--synapse', 'StreamUtf8', '--field', 'delay_ms=1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`[127.0.0.1:${axon.port}] héllo wörld — 日本語テキスト 😀🚀 ñandú\n`);
    expect(r.stderr).toContain('[[::1]:1] 503 Service unavailable at ::1:1/StreamUtf8');
  });

  it('idle and total timeouts and the size cap end a stream with their own status', async () => {
    const idle = await runCli(['stream', '--axon', spec, '--uri', '//Alice', '--synapse', 'StreamStall', '--idle-timeout', '0.3', '--fail']);
    expect(idle.code).toBe(4);
    expect(idle.stdout).toBe('first\n');
    expect(idle.stderr).toContain('408 Stream idle for more than 0.3 seconds');
    const total = await runCli(['stream', '--axon', spec, '--uri', '//Alice', '--synapse', 'StreamForever', '--timeout', '0.4']);
    expect(total.stdout).toMatch(/^tick 0\ntick 1\n/);
    expect(total.stderr).toContain('408 Request timeout after 0.4 seconds');
    const capped = await runCli(['stream', '--axon', spec, '--uri', '//Alice', '--synapse', 'StreamForever', '--field', 'delay_ms=1', '--max-response-bytes', '300']);
    expect(capped.stderr).toContain('422 Failed to parse response: stream exceeds the 300-byte limit');
  });

  it('an error before streaming shows its status and message', async () => {
    const r = await runCli(['stream', '--axon', spec, '--uri', '//Alice', '--synapse', 'StreamFail']);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('403 Forbidden. Key is blacklisted: StreamFail always fails before streaming.');
  });

  it('refuses a non-streaming synapse unless --stream', async () => {
    const r = await runCli(['stream', '--axon', spec, '--uri', '//Alice', '--synapse', 'Dummy', '--field', 'dummy_input=1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Dummy is not a streaming synapse/);
  });

  it('Ctrl-C stops the streams, prints what arrived, exits 130 and closes the connection', async () => {
    const before = clientGone;
    const run = spawnCli(['stream', '--axon', spec, '--uri', '//Alice', '--schema', gatedFile, '--synapse', 'Gated']);
    await waitFor(() => release !== undefined, 'the first gate');
    const r = release!;
    release = undefined;
    r();
    await waitFor(() => run.out.stdout.includes('part-0;'), 'the first chunk');
    run.child.kill('SIGINT');
    expect(await run.exit).toBe(130);
    expect(run.out.stdout).toBe('part-0;');
    expect(run.out.stderr).toMatch(/499 Cancelled by the client · 1 chunk/);
    await waitFor(() => clientGone === before + 1, 'the axon to see the client go');
    release?.();
    release = undefined;
  });
});
