/**
 * `--retries N` through the real binary: off by default (a reset axon is
 * reported once), on request a reset or refused connection is tried again
 * with a fresh nonce and signature, and a reply, even a broken one, never is.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';
import { startFault, type FaultServer } from '../support/fault-zoo.js';

const BOB = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty';
const servers: FaultServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function flaky(): Promise<FaultServer> {
  const s = await startFault('ok', { firstFault: { fault: 'reset', times: 1 }, keepHeads: true });
  servers.push(s);
  return s;
}

const ping = (port: number, ...extra: string[]) => runCli(['ping', '--uri', '//Alice', '--axon', `${BOB}@127.0.0.1:${port}`, '--json', '--timeout', '3', ...extra]);

describe('dendrite ping --retries', () => {
  it('is off by default: the reset is reported once', async () => {
    const s = await flaky();
    const r = await ping(s.port);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)[0]).toMatchObject({ status_code: 422, status_message: 'Failed to parse response: [Errno 104] Connection reset by peer', reason: 'reset' });
    expect(s.requests).toBe(1);
  });

  it('--retries 2 tries again with a fresh nonce and signature', async () => {
    const s = await flaky();
    const r = await ping(s.port, '--retries', '2');
    expect(JSON.parse(r.stdout)[0]).toMatchObject({ status_code: 200, reason: 'ok' });
    expect(s.requests).toBe(2);
    const [a, b] = s.heads;
    expect(b!.bt_header_dendrite_nonce).not.toBe(a!.bt_header_dendrite_nonce);
    expect(b!.bt_header_dendrite_signature).not.toBe(a!.bt_header_dendrite_signature);
  });

  it('never retries a reply, even a broken one', async () => {
    const s = await startFault('non_json');
    servers.push(s);
    const r = await ping(s.port, '--retries', '3');
    expect(JSON.parse(r.stdout)[0]).toMatchObject({ status_code: 422, reason: 'bad_response' });
    expect(s.requests).toBe(1);
  });
});
