/**
 * The CLI in a pipe (the real binary, stdout and stderr not terminals):
 * no ANSI and no spinner text anywhere, JSON that parses in every command,
 * nothing asked (missing values are usage errors naming the flag), the sweep
 * summary, --sort/--only, --summary, --watch NDJSON, -v, colour rules, help.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { runCli, startCli, type CliRun } from '../support/run-cli.js';
import { ALICE, BOB, DEV, PASSWORD, ansibleVaultEncrypt, btwalletJson, fullKeyfile, hotkeyPath, put, tempDir } from '../support/wallet-fixtures.js';

const ANSI = /\x1b\[/;
/** ora's dots spinner frames and the progress text. */
const SPINNER = /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]|answered \d+\/\d+/;

let axon: { port: number; stop: () => Promise<CliRun> };
let slow: { port: number; stop: () => Promise<CliRun> };
let home: string;
let walletRoot: string;

/** No NO_COLOR: the pipe alone must turn colour off. */
const plainEnv = (): NodeJS.ProcessEnv => ({ NO_COLOR: undefined, FORCE_COLOR: undefined, CI: undefined, HOME: home, XDG_CONFIG_HOME: join(home, '.config') });

async function axonProcess(...extra: string[]): Promise<{ port: number; stop: () => Promise<CliRun> }> {
  const { firstLine, stop } = await startCli(['axon', '--uri', '//Bob', '--port', '0', '--json', ...extra], { XDG_CONFIG_HOME: join(home, '.config') });
  return { port: (JSON.parse(firstLine) as { port: number }).port, stop };
}

const spec = (port: number): string => `${BOB.address}@127.0.0.1:${port}`;
const dead = `${BOB.address}@127.0.0.1:1`;

function noTerminalNoise(r: CliRun): void {
  expect(r.stdout).not.toMatch(ANSI);
  expect(r.stderr).not.toMatch(ANSI);
  expect(r.stdout).not.toMatch(SPINNER);
  expect(r.stderr).not.toMatch(SPINNER);
}

beforeAll(async () => {
  home = await tempDir('dendrite-ux-');
  walletRoot = join(home, 'wallets');
  await put(hotkeyPath(walletRoot, 'alpha', 'default'), btwalletJson(fullKeyfile({ ...ALICE, privateKey: ALICE.privateKey })));
  await put(hotkeyPath(walletRoot, 'beta', 'locked'), ansibleVaultEncrypt(btwalletJson(fullKeyfile(DEV)), PASSWORD));
  [axon, slow] = await Promise.all([axonProcess(), axonProcess('--delay', '300')]);
});

afterAll(async () => {
  await Promise.all([axon, slow].map((a) => a?.stop()));
});

describe('a sweep in a pipe', () => {
  it('prints the table and the summary on stdout, one count line on stderr, no ANSI, no spinner', async () => {
    const r = await runCli(['ping', '--axon', spec(axon.port), '--axon', spec(slow.port), '--axon', dead, '--uri', '//Alice'], { env: plainEnv() });
    expect(r.code).toBe(0);
    noTerminalNoise(r);
    expect(r.stdout).toContain('Summary');
    expect(r.stdout).toContain('3 axons: 2 ok, 1 failed');
    expect(r.stdout).toMatch(/\[2\] 200 ok/);
    expect(r.stdout).toMatch(/\[1\] 503 refused/);
    expect(r.stdout).toMatch(/min [\d.]+ ms {2}p50 [\d.]+ ms {2}p90 [\d.]+ ms {2}p99 [\d.]+ ms {2}max [\d.]+ ms/);
    expect(r.stdout).toMatch(/Failing: 5FHneW46…94ty@127\.0\.0\.1:1 \(503 refused\)/);
    expect(r.stderr).toBe('3 axons, 2 ok, 1 failed\n');
  });

  it('one axon: no summary unless --summary', async () => {
    const one = await runCli(['ping', '--axon', spec(axon.port), '--uri', '//Alice'], { env: plainEnv() });
    expect(one.stdout).not.toContain('Summary');
    const asked = await runCli(['ping', '--axon', spec(axon.port), '--uri', '//Alice', '--summary'], { env: plainEnv() });
    expect(asked.stdout).toContain('1 axons: 1 ok');
  });

  it('--only failed and --sort latency shape the table, not the summary', async () => {
    const r = await runCli(['ping', '--axon', spec(slow.port), '--axon', dead, '--axon', spec(axon.port), '--uri', '//Alice', '--only', 'failed'], { env: plainEnv() });
    const table = r.stdout.split('\nSummary')[0]!;
    expect(table).toContain('127.0.0.1:1 ');
    expect(table).not.toContain(`127.0.0.1:${axon.port}`);
    expect(r.stdout).toContain('3 axons: 2 ok, 1 failed');
    const sorted = await runCli(['ping', '--axon', spec(slow.port), '--axon', spec(axon.port), '--uri', '//Alice', '--sort', 'latency'], { env: plainEnv() });
    const rows = sorted.stdout.split('\n').filter((l) => l.includes('127.0.0.1:'));
    expect(rows[0]).toContain(`127.0.0.1:${axon.port}`);
    expect(rows[1]).toContain(`127.0.0.1:${slow.port}`);
  });

  it('--sort takes only latency, uid or status (usage error, exit 2)', async () => {
    const r = await runCli(['ping', '--axon', dead, '--uri', '//Alice', '--sort', 'speed']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--sort.*latency, uid, status/);
  });
});

describe('--json parses in every command', () => {
  it('ping --json: an array, unchanged by the summary work; stderr empty', async () => {
    const r = await runCli(['ping', '--axon', spec(axon.port), '--axon', dead, '--uri', '//Alice', '--json', '--sort', 'latency', '--only', 'ok'], { env: plainEnv() });
    noTerminalNoise(r);
    expect(r.stderr).toBe('');
    const arr = JSON.parse(r.stdout) as Array<{ port: number }>;
    // JSON keeps every result in input order; --sort/--only shape the table only.
    expect(arr.map((x) => x.port)).toEqual([axon.port, 1]);
  });

  it('--json --summary: {results, summary}', async () => {
    const r = await runCli(['query', '--axon', spec(axon.port), '--axon', dead, '--uri', '//Alice', '--synapse', 'Dummy', '--field', 'dummy_input=2', '--json', '--summary'], { env: plainEnv() });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { results: Array<{ synapse: { dummy_output: number } }>; summary: Record<string, any> };
    expect(doc.results).toHaveLength(2);
    expect(doc.results[0]!.synapse.dummy_output).toBe(4);
    expect(doc.summary).toMatchObject({ total: 2, ok: 1, failed: 1 });
    expect(doc.summary.by_status.map((c: { reason: string }) => c.reason).sort()).toEqual(['ok', 'refused']);
    expect(doc.summary.failing[0]).toMatchObject({ address: '127.0.0.1:1', status_code: 503 });
  });

  it('stream --json: NDJSON, each line parses', async () => {
    const r = await runCli(['stream', '--axon', spec(axon.port), '--uri', '//Alice', '--synapse', 'StreamCount', '--field', 'n=3', '--field', 'delay_ms=1', '--json'], { env: plainEnv() });
    expect(r.code).toBe(0);
    noTerminalNoise(r);
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string });
    expect(events.at(-1)!.type).toBe('done');
  });

  it('wallet list --json and wallet show --json parse', async () => {
    const list = await runCli(['wallet', 'list', '--wallet-path', walletRoot, '--json'], { env: plainEnv() });
    expect(list.code).toBe(0);
    expect((JSON.parse(list.stdout) as { wallets: Array<{ name: string }> }).wallets.map((w) => w.name)).toEqual(['alpha', 'beta']);
    const show = await runCli(['wallet', 'show', '--wallet-path', walletRoot, '--wallet', 'alpha', '--json'], { env: plainEnv() });
    expect(show.code).toBe(0);
    expect(() => JSON.parse(show.stdout)).not.toThrow();
    const check = await runCli(['wallet', 'check', '--wallet-path', walletRoot, '--wallet', 'beta', '--hotkey', 'locked', '--password-env', 'PW', '--json'], {
      env: { ...plainEnv(), PW: PASSWORD },
    });
    expect(check.code).toBe(0);
    expect(JSON.parse(check.stdout)).toMatchObject({ key: 'hotkey', address: DEV.address, signs: true });
    for (const r of [list, show, check]) noTerminalNoise(r);
  });

  it('wallet list as a table in a pipe: no ANSI', async () => {
    const r = await runCli(['wallet', 'list', '--wallet-path', walletRoot], { env: plainEnv() });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('alpha');
    noTerminalNoise(r);
  });

  it('ping --watch --json: one NDJSON line per sweep, with what changed', async () => {
    const r = await runCli(['ping', '--axon', spec(axon.port), '--axon', dead, '--uri', '//Alice', '--watch', '0.2', '--count', '3', '--json', '--summary'], { env: plainEnv() });
    expect(r.code).toBe(0);
    noTerminalNoise(r);
    const sweeps = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { sweep: number; time: string; results: unknown[]; changes: unknown[]; summary: { ok: number } });
    expect(sweeps.map((s) => s.sweep)).toEqual([1, 2, 3]);
    for (const s of sweeps) {
      expect(s.results).toHaveLength(2);
      expect(s.changes).toEqual([]);
      expect(s.summary.ok).toBe(1);
      expect(Number.isNaN(Date.parse(s.time))).toBe(false);
    }
  });

  it('ping --watch in a pipe appends each sweep, without escape codes', async () => {
    const r = await runCli(['ping', '--axon', spec(axon.port), '--uri', '//Alice', '--watch', '0.1', '--count', '2'], { env: plainEnv() });
    expect(r.code).toBe(0);
    noTerminalNoise(r);
    expect(r.stdout.match(/sweep \d of 2/g)).toEqual(['sweep 1 of 2', 'sweep 2 of 2']);
    expect(r.stdout).toContain('no changes since the last sweep');
  });
});

describe('nothing is asked without a terminal: a missing value is a usage error naming the flag', () => {
  it.each([
    ['stdin not a terminal', {}, []],
    ['CI set', { CI: 'true' }, []],
    ['--no-input', {}, ['--no-input']],
  ])('no target (%s): exit 2 naming --axon and --netuid', async (_name, env, extra) => {
    const r = await runCli(['ping', '--uri', '//Alice', ...extra], { env: { ...plainEnv(), ...env } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--axon');
    expect(r.stderr).toContain('--netuid');
    expect(r.stdout).toBe('');
  });

  it('a required field left out: exit 2 naming --field', async () => {
    const r = await runCli(['query', '--axon', spec(axon.port), '--uri', '//Alice', '--synapse', 'Dummy', '--no-input']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--field dummy_input');
  });

  it('an encrypted hotkey without a password source: no prompt, an error naming --password-env', async () => {
    const r = await runCli(['ping', '--axon', spec(axon.port), '--wallet-path', walletRoot, '--wallet', 'beta', '--hotkey', 'locked', '--json'], { env: plainEnv() });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('--password-env');
    expect(r.stderr).not.toContain('Password for');
  });
});

describe('-v and colour', () => {
  it('-v prints each request\'s headers and phase timings on stderr; stdout JSON still parses', async () => {
    const r = await runCli(['-v', 'ping', '--axon', spec(axon.port), '--axon', dead, '--uri', '//Alice', '--json'], { env: plainEnv() });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toHaveLength(2);
    expect(r.stderr).toContain(`> POST http://127.0.0.1:${axon.port}/Synapse`);
    expect(r.stderr).toContain(`> bt_header_dendrite_hotkey: ${ALICE.address}`);
    expect(r.stderr).toMatch(/< 200 ok {2}queue [\d.]+ ms {2}connect [\d.]+ ms {2}first byte [\d.]+ ms {2}total [\d.]+ ms/);
    // The refused one never connected nor got a byte back.
    expect(r.stderr).toMatch(/< 503 refused {2}queue [\d.]+ ms {2}connect - {2}first byte - {2}total [\d.]+ ms/);
    noTerminalNoise(r);
  });

  it('stream -v: the request headers and timings on stderr, NDJSON on stdout', async () => {
    const r = await runCli(['-v', 'stream', '--axon', spec(axon.port), '--uri', '//Alice', '--synapse', 'StreamCount', '--field', 'n=2', '--field', 'delay_ms=1', '--json'], { env: plainEnv() });
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string }).at(-1)!.type).toBe('done');
    expect(r.stderr).toContain(`> POST http://127.0.0.1:${axon.port}/StreamCount`);
    expect(r.stderr).toMatch(/< 200 ok {2}queue - {2}connect [\d.]+ ms {2}first byte [\d.]+ ms {2}total [\d.]+ ms/);
  });

  it('FORCE_COLOR colours a pipe; --no-color and NO_COLOR win over it; TERM=dumb alone turns it off', async () => {
    const args = ['ping', '--axon', spec(axon.port), '--uri', '//Alice'];
    const forced = await runCli(args, { env: { ...plainEnv(), FORCE_COLOR: '1' } });
    expect(forced.stdout).toMatch(ANSI);
    expect((await runCli([...args, '--no-color'], { env: { ...plainEnv(), FORCE_COLOR: '1' } })).stdout).not.toMatch(ANSI);
    expect((await runCli(args, { env: { ...plainEnv(), FORCE_COLOR: '1', NO_COLOR: '1' } })).stdout).not.toMatch(ANSI);
    expect((await runCli(args, { env: { ...plainEnv(), TERM: 'dumb' } })).stdout).not.toMatch(ANSI);
  });
});

describe('help', () => {
  it.each(['query', 'ping', 'stream', 'axon', 'wallet', 'metagraph', 'completion'])('%s --help has a description, defaults and examples', async (cmd) => {
    const r = await runCli([cmd, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`Usage: dendrite ${cmd}`));
    expect(r.stdout).toMatch(/Examples:\n(\s+\$ dendrite .+\n){2,}/);
  });

  it('request options show their defaults', async () => {
    const r = await runCli(['ping', '--help']);
    expect(r.stdout).toMatch(/--timeout <seconds>[\s\S]*?\(default: 12\)/);
    expect(r.stdout).toMatch(/--concurrency <n>[\s\S]*?\(default: 256\)/);
  });

  it('an unknown flag suggests the closest one (exit 2)', async () => {
    const r = await runCli(['ping', '--tiemout', '3']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--timeout');
  });

  it('--version prints the version', async () => {
    const r = await runCli(['--version']);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
