/**
 * The CLI in a real pseudo-terminal (Python's standard `pty` module, run
 * asynchronously so the loopback chain node and axons of this process keep
 * answering): choosing wallet and hotkey from disk, the synapse and a field,
 * typing the password, choosing a subnet from the chain and its uids;
 * Ctrl-C at a prompt (exit 130, no stack trace); the spinner with its live
 * count; `--watch` redrawing in place; and no prompt at all with CI set.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAxon, type RunningAxon } from '../../src/axon/server.js';
import { dummyRoute } from '../../src/axon/routes.js';
import { pairFromUri } from '../../src/crypto/derive.js';
import { startChainNode, type ChainNode, type TestNeuron } from '../support/chain-node.js';
import { ALICE, DEV, PASSWORD, ansibleVaultEncrypt, btwalletJson, fullKeyfile, hotkeyPath, put, tempDir } from '../support/wallet-fixtures.js';
import { REPO, plain } from '../support/wallet-cli.js';
import { pty } from '../support/pty.js';


const DOWN = '\x1b[B';
const ENTER = '\r';
const CTRL_C = '\x03';

let home: string;
let root: string;
let env: Record<string, string>;
let axon: RunningAxon;
let slowAxon: RunningAxon;
let node: ChainNode;
let bob: string;

beforeAll(async () => {
  home = await tempDir('dendrite-ux-pty-');
  root = join(home, 'wallets');
  // alpha: one plaintext hotkey; beta: a plaintext and an encrypted (Ansible Vault, PASSWORD) hotkey.
  await put(hotkeyPath(root, 'alpha', 'default'), btwalletJson(fullKeyfile({ ...ALICE })));
  await put(hotkeyPath(root, 'beta', 'locked'), ansibleVaultEncrypt(btwalletJson(fullKeyfile(DEV)), PASSWORD));
  await put(hotkeyPath(root, 'beta', 'plain'), btwalletJson(fullKeyfile({ ...ALICE })));
  const signer = await pairFromUri('//Bob');
  bob = signer.address;
  axon = await startAxon({ signer, host: '127.0.0.1', routes: [dummyRoute] });
  slowAxon = await startAxon({ signer, host: '127.0.0.1', routes: [dummyRoute], delayMs: 800 });
  const owner = (await pairFromUri('//Ferdie')).address;
  const neurons: TestNeuron[] = [
    { uid: 0, hotkey: bob, coldkey: owner, ip: 0x7f000001n, ipType: 4, port: axon.port, validatorPermit: true },
    { uid: 1, hotkey: bob, coldkey: owner, ip: 0x7f000001n, ipType: 4, port: axon.port },
  ];
  node = await startChainNode({ subnets: { 1: [], 7: neurons } });
  env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    LANG: 'C.UTF-8',
    BT_WALLET_PATH: root,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_CACHE_HOME: join(home, '.cache'),
  };
});

afterAll(async () => {
  await node?.close();
  await Promise.all([axon, slowAxon].map((a) => a?.close()));
});

const spec = (port: number): string => `${bob}@127.0.0.1:${port}`;

describe('interactive fill-in (pty)', { timeout: 90_000 }, () => {
  it('asks wallet, hotkey, synapse, a field and the password, then queries', async () => {
    const r = await pty(['query', '--axon', spec(axon.port)], env, [
      { expect: 'Which wallet?', send: [DOWN, ENTER] }, // alpha -> beta
      { expect: 'Which hotkey of beta?', send: [ENTER] }, // locked (first)
      { expect: 'Which synapse?', send: [DOWN, ENTER] }, // Synapse -> Dummy
      { expect: 'Dummy.dummy_input', send: ['21', ENTER] },
      { expect: 'Password for', send: [`${PASSWORD}`, ENTER] },
    ]);
    expect(r.error, r.out.slice(-1500)).toBeNull();
    expect(r.code).toBe(0);
    expect(r.out).toContain(`Which wallet? (${root})`);
    expect(r.out).toMatch(/beta/);
    expect(r.out).toContain(`Password for ${hotkeyPath(root, 'beta', 'locked')}`);
    expect(r.out).not.toContain(PASSWORD);
    // Bob's axon doubled 21; the table shows it.
    expect(r.out).toMatch(/│\s+200\s+│\s+Success\s+│[^\n]*│\s+42\s+│/);
  });

  it('asks the subnet (listed from the chain) and the uids when no target is given', async () => {
    const r = await pty(['ping', '--network', node.url, '--uri', '//Alice'], env, [
      { expect: 'Which subnet?', send: [DOWN, ENTER] }, // 1 -> 7
      { expect: 'Which uids of subnet 7?', send: ['0', ENTER] },
    ]);
    expect(r.error, r.out.slice(-1500)).toBeNull();
    expect(r.code).toBe(0);
    expect(r.out).toContain('2 subnets on');
    expect(r.out).toMatch(/│\s+0\s+│\s+5FHneW46…94ty\s+│\s+127\.0\.0\.1:\d+\s+│\s+200\s+│/);
    expect(r.out).not.toMatch(/│\s+1\s+│\s+5FHneW46/);
  });

  it('Ctrl-C at the wallet prompt: exit 130, one line, no stack trace', async () => {
    const r = await pty(['ping', '--axon', spec(axon.port)], env, [{ expect: 'Which wallet?', send: [CTRL_C] }]);
    expect(r.error).toBeNull();
    expect(r.code).toBe(130);
    expect(r.out).toContain('dendrite: cancelled at the wallet prompt');
    expect(r.out).not.toMatch(/\n\s+at /);
    expect(r.out).not.toMatch(/Error/);
  });

  it('Ctrl-C at the password prompt: exit 130', async () => {
    const r = await pty(['ping', '--axon', spec(axon.port), '--wallet', 'beta', '--hotkey', 'locked'], env, [{ expect: 'Password for', send: [CTRL_C] }]);
    expect(r.error).toBeNull();
    expect(r.code).toBe(130);
    expect(r.out).not.toMatch(/\n\s+at /);
  });

  it('asks nothing with CI set, even on a terminal: a usage error naming the flag', async () => {
    const r = await pty(['ping'], { ...env, CI: 'true' }, []);
    expect(r.code).toBe(2);
    expect(r.out).not.toContain('Which');
    expect(r.out).toContain('--axon');
  });

  it('no password prompt with CI set, --no-input or --json, in any command (wallet check too): exit 3 naming --password-env', async () => {
    for (const [extraEnv, extraArgs] of [[{ CI: '1' }, []], [{}, ['--no-input']], [{}, ['--json']]] as const) {
      const r = await pty(['wallet', 'check', '--wallet', 'beta', '--hotkey', 'locked', ...extraArgs], { ...env, ...extraEnv }, []);
      expect(r.code).toBe(3);
      expect(r.out).not.toContain('Password for');
      expect(r.out).toContain('--password-env');
    }
  });

  it('asks nothing with --no-input', async () => {
    const r = await pty(['--no-input', 'query', '--axon', spec(axon.port), '--uri', '//Alice', '--synapse', 'Dummy'], env, []);
    expect(r.code).toBe(2);
    expect(r.out).not.toContain('Dummy.dummy_input');
    expect(r.out).toContain('--field dummy_input');
  });
});

describe('progress and watch on a terminal (pty)', { timeout: 90_000 }, () => {
  it('shows a spinner with the live count on stderr while querying, then the table', async () => {
    const r = await pty(['ping', '--axon', spec(slowAxon.port), '--axon', spec(axon.port), '--uri', '//Alice'], env, []);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/pinging 2 axons: answered [01]\/2/);
    expect(r.out).toContain('2 axons: 2 ok');
    // Colour on a terminal, as real escape codes (not escaped text).
    expect(r.raw).toMatch(/\x1b\[32m200/);
    expect(r.raw).toMatch(/\x1b\[32m2 ok\x1b\[39m/);
    expect(r.out).not.toContain('\\x1b');
  });

  it('no spinner and no colour with --quiet --no-color', async () => {
    const r = await pty(['-q', '--no-color', 'ping', '--axon', spec(slowAxon.port), '--uri', '//Alice'], env, []);
    expect(r.code).toBe(0);
    expect(r.out).not.toContain('answered');
    expect(r.raw).not.toMatch(/\x1b\[3\dm/);
  });

  it('the table fits a narrow terminal (messages clipped, rows never wrapped); --wide shows all', async () => {
    // A wrong hotkey: the axon answers 401 with a long message.
    const wrong = `${ALICE.address}@127.0.0.1:${axon.port}`;
    const r = await pty(['ping', '--axon', wrong, '--axon', spec(axon.port), '--uri', '//Alice'], env, [], 30, 72);
    expect(r.code).toBe(0);
    // The spinner line was cleared on the terminal (escapes stripped here): the table starts at its border.
    const rows = r.out
      .split('\n')
      .filter((l) => /[┌│└][─ ]/.test(l))
      .map((l) => l.slice(l.search(/[┌│└][─ ]/)));
    expect(rows).toHaveLength(5);
    for (const l of rows) expect([...l].length).toBeLessThanOrEqual(72);
    expect(rows.join('\n')).toContain('…');
    const wide = await pty(['ping', '--axon', wrong, '--uri', '//Alice', '--wide'], env, [], 30, 72);
    expect(wide.out.replace(/\n/g, '')).toContain(ALICE.address);
  });

  it('--watch redraws the screen in place and shows what changed', async () => {
    const r = await pty(['ping', '--axon', spec(axon.port), '--uri', '//Alice', '--watch', '0.3', '--count', '2'], env, []);
    expect(r.code).toBe(0);
    expect(r.raw.split('\x1b[H\x1b[2J').length - 1).toBe(2);
    expect(r.out).toContain('sweep 2 of 2');
    expect(r.out).toContain('no changes since the last sweep');
  });

  it('Ctrl-C stops --watch with exit 130', async () => {
    const r = await pty(['ping', '--axon', spec(axon.port), '--uri', '//Alice', '--watch', '5'], env, [{ expect: 'sweep 1', send: [CTRL_C] }]);
    expect(r.error).toBeNull();
    expect(r.code).toBe(130);
    expect(r.out).not.toMatch(/\n\s+at /);
  });
});
