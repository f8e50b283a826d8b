/**
 * Security checks through the real binary and the library:
 * - terminal escapes inside axon replies never reach the terminal raw
 *   (tables, status lines, prefixed stream lines, JSON and NDJSON);
 * - a reply cannot make the CLI write files, run commands or pollute
 *   prototypes;
 * - no wallet secret (phrase, seed, private key, password) appears in any
 *   output of any run here: successes, failures, --verbose stacks, JSON.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pairFromPhrase } from '../../src/crypto/derive.js';
import { Dendrite } from '../../src/dendrite/dendrite.js';
import { renderResultsJson, renderResultsTable } from '../../src/render/results.js';
import { SYNAPSE_SCHEMA } from '../../src/synapse/schema.js';
import { Synapse } from '../../src/synapse/synapse.js';
import { runCli, type CliRun } from '../support/run-cli.js';
import { ANSI_MESSAGE, CANARY, FAULTS, HOSTILE_MESSAGE, startFault, type Fault, type FaultServer } from '../support/fault-zoo.js';
import { ALICE, BOB, DEV, OLD_LEOPARD, PASSWORD, allSecrets, buildWalletTree, btwalletJson, hotkeyPath, put, tempDir } from '../support/wallet-fixtures.js';

/** Raw ESC, BEL, CSI (C1) and other C0/C1 controls except tab and newline. */
const RAW_CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;

const servers = new Map<Fault, FaultServer>();
const transcript: string[] = [];
let home: string;
let root: string;
let env: NodeJS.ProcessEnv;

async function cli(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  const r = await runCli(args, { env: { ...env, ...extraEnv } });
  transcript.push(r.stdout, r.stderr);
  return r;
}
const axon = (f: Fault): string => `${BOB.address}@127.0.0.1:${servers.get(f)!.port}`;

async function tree(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true })).map(String).sort();
}

beforeAll(async () => {
  for (const f of ['ok', 'ansi', 'ansi_stream', 'hostile_json', 'reset', 'bad_headers', 'close_mid_body'] as const) servers.set(f, await startFault(f));
  home = await tempDir('dendrite-security-');
  root = await buildWalletTree(join(home, 'wallets'));
  await put(hotkeyPath(root, 'broken', 'mismatch'), btwalletJson({ privateKey: BOB.privateKey, publicKey: ALICE.publicKey, ss58Address: ALICE.address }));
  env = { HOME: home, XDG_CONFIG_HOME: join(home, 'xdg'), XDG_CACHE_HOME: join(home, 'cache'), BT_WALLET_PATH: undefined, BT_WALLET_NAME: undefined, BT_WALLET_HOTKEY: undefined, BTCLI_CONFIG_PATH: undefined };
  await rm(CANARY, { force: true });
});
afterAll(async () => {
  await Promise.all([...servers.values()].map((s) => s.close()));
  await rm(home, { recursive: true, force: true });
});

describe('terminal escapes from axons are neutralised', () => {
  it('in the results table and the footer', async () => {
    const r = await cli(['ping', '--uri', '//Alice', '--axon', axon('ansi'), '--wide']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('403');
    expect(r.stdout).toContain('\\x1b[2J'); // shown, as visible text
    expect(r.stdout + r.stderr).not.toMatch(RAW_CONTROL);
  });

  it('in --json (escaped, and the exact text comes back when parsed)', async () => {
    const r = await cli(['ping', '--uri', '//Alice', '--axon', axon('ansi'), '--json']);
    expect(r.stdout + r.stderr).not.toMatch(RAW_CONTROL);
    expect(JSON.parse(r.stdout)[0].status_message).toBe(ANSI_MESSAGE);
  });

  it('in streamed chunks: prefixed lines of several axons, status lines, and NDJSON', async () => {
    const args = ['stream', '--uri', '//Alice', '--stream', '--synapse', 'Synapse', '--axon', axon('ansi_stream'), '--axon', axon('ansi_stream')];
    const lines = await cli(args);
    expect(lines.code).toBe(0);
    expect(lines.stdout).toContain('line one \\x1b[2J');
    expect(lines.stdout + lines.stderr).not.toMatch(RAW_CONTROL);
    const nd = await cli([...args, '--json']);
    expect(nd.stdout + nd.stderr).not.toMatch(RAW_CONTROL);
    const chunk = nd.stdout.split('\n').map((l) => l && JSON.parse(l)).find((e) => e && e.type === 'chunk');
    expect(chunk.data).toContain(ANSI_MESSAGE);
  });

  it('in the library renderers, for every fault of the zoo', async () => {
    await using d = new Dendrite({ signer: await pairFromPhrase(DEV.phrase), timeout: 1, maxResponseBytes: 64 * 1024 });
    const zoo = await Promise.all(FAULTS.map((f) => startFault(f)));
    try {
      const results = await d.forward(zoo.map((s) => ({ ip: '127.0.0.1', port: s.port })), Synapse.create(SYNAPSE_SCHEMA));
      expect(renderResultsTable(results, { color: false, wide: true })).not.toMatch(RAW_CONTROL);
      expect(renderResultsJson(results)).not.toMatch(RAW_CONTROL);
    } finally {
      await Promise.all(zoo.map((s) => s.close()));
    }
  });
});

describe('replies cannot write files, run commands or pollute prototypes', () => {
  it('the CLI shows hostile text as text and touches nothing on disk', async () => {
    const before = await tree(home);
    for (const extra of [['--json'], [], ['--wide']]) {
      const r = await cli(['ping', '--uri', '//Alice', '--axon', axon('hostile_json'), ...extra]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(extra[0] === '--json' ? JSON.stringify(HOSTILE_MESSAGE).slice(1, -1) : `$(touch ${CANARY})`);
    }
    expect(existsSync(CANARY)).toBe(false);
    expect(await tree(home)).toEqual(before);
  });

  it('__proto__ and constructor keys in a reply stay data', async () => {
    await using d = new Dendrite({ signer: await pairFromPhrase(DEV.phrase) });
    const r = await d.call({ ip: '127.0.0.1', port: servers.get('hostile_json')!.port }, Synapse.create(SYNAPSE_SCHEMA));
    expect([r.statusCode, r.reason]).toEqual([200, 'ok']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);
  });
});

describe('no wallet secret in any output', () => {
  it('across successes, failures, --verbose and JSON, with every plaintext and encrypted test key', async () => {
    const W = ['--wallet-path', root];
    const runs: Array<[string[], NodeJS.ProcessEnv?]> = [];
    for (const [wallet, hotkey] of [['alice', 'default'], ['alice', 'legacy'], ['old', 'default'], ['minerbox', 'default']] as const) {
      for (const f of ['ok', 'reset', 'bad_headers', 'close_mid_body', 'hostile_json'] as const) {
        runs.push([['ping', ...W, '--wallet', wallet, '--hotkey', hotkey, '--axon', axon(f), '--json', '-v']]);
      }
      runs.push([['query', ...W, '--wallet', wallet, '--hotkey', hotkey, '--axon', axon('ok'), '--synapse', 'Dummy', '--field', 'dummy_input=3', '-v']]);
      runs.push([['wallet', 'show', ...W, '--wallet', wallet, '--hotkey', hotkey, '--json', '-v']]);
      runs.push([['wallet', 'check', ...W, '--wallet', wallet, '--hotkey', hotkey, '-v']]);
    }
    // Encrypted hotkey (Ansible Vault: no slow KDF): right and wrong password, verbose.
    runs.push([['ping', ...W, '--wallet', 'alice', '--hotkey', 'vault', '--axon', axon('ok'), '--password-env', 'PW', '-v', '--json'], { PW: PASSWORD }]);
    runs.push([['ping', ...W, '--wallet', 'alice', '--hotkey', 'vault', '--axon', axon('ok'), '--password-env', 'PW', '-v'], { PW: 'not-the-password' }]);
    // Broken and refused keys, verbose.
    runs.push([['ping', ...W, '--wallet', 'broken', '--hotkey', 'mismatch', '--axon', axon('ok'), '-v']]);
    runs.push([['ping', ...W, '--wallet', 'alice', '--hotkey', 'nope', '--axon', axon('ok'), '-v']]);
    runs.push([['ping', '--uri', `${OLD_LEOPARD.phrase}//hard`, '--axon', axon('ok'), '--json', '-v']]);
    runs.push([['ping', '--uri', `${OLD_LEOPARD.phrase} extra words`, '--axon', axon('ok'), '-v']]);
    runs.push([['wallet', 'list', ...W, '--json', '-v']]);

    const results = await Promise.all(runs.map(([args, e]) => cli(args, e)));
    // The runs did what they should, so the grep below looks at real output.
    expect(results.filter((r) => r.code === 0).length).toBeGreaterThan(runs.length / 2);
    expect(results.some((r) => r.stdout.includes('"status_code":200'))).toBe(true);
    expect(results.some((r) => r.code === 3)).toBe(true);

    const all = transcript.join('\n');
    expect(all.length).toBeGreaterThan(10_000);
    for (const secret of [...allSecrets(), 'not-the-password']) {
      expect(all.includes(secret), `output contains a secret (${secret.slice(0, 6)}…)`).toBe(false);
    }
  }, 120_000);
});
