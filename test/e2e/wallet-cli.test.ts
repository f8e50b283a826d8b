/**
 * `dendrite wallet …` and hotkey loading through the real binary, on wallet
 * directories in temp folders holding every keyfile format and variant.
 * One `$NACL` unlock runs the real Argon2i (under the suite's KDF lock).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { btPwVariableName, obfuscateBtPw } from '../../src/wallet/password.js';
import {
  ALICE,
  BOB,
  DEV,
  OLD_LEOPARD,
  PASSWORD,
  allSecrets,
  ansibleVaultEncrypt,
  btwalletJson,
  buildWalletTree,
  ed25519Vector,
  fullKeyfile,
  hotkeyPath,
  naclSeal,
  put,
  tempDir,
  v7Json,
} from '../support/wallet-fixtures.js';
import { REPO, cleanEnv, runCli, transcript } from '../support/wallet-cli.js';
import { withKdfLock } from '../support/wallet-kdf-lock.js';

const WRONG = 'not-the-password-42';
let home: string;
let root: string;
let env: Record<string, string>;

/** Hotkey variants of WALLET.md §2/§5 in wallet "variants": name → [file text, address, source]. */
const variants: Record<string, [string, string, string]> = {
  'btwallet-phrase': [btwalletJson(fullKeyfile(OLD_LEOPARD)), OLD_LEOPARD.address, 'secretPhrase'],
  'v7-nulls': [v7Json({ ...fullKeyfile(DEV), secretPhrase: null }), DEV.address, 'secretSeed'],
  'uri-alice': [btwalletJson({ accountId: ALICE.publicKey, publicKey: ALICE.publicKey, privateKey: ALICE.privateKey, ss58Address: ALICE.address }), ALICE.address, 'privateKey'],
  'uri-bob': [btwalletJson({ publicKey: BOB.publicKey, privateKey: BOB.privateKey, ss58Address: BOB.address }), BOB.address, 'privateKey'],
  'polkadot-js-form': [btwalletJson({ privateKey: ALICE.privateKeyJsForm, ss58Address: ALICE.address }), ALICE.address, 'privateKey'],
  'seed-only': [btwalletJson({ secretSeed: OLD_LEOPARD.seed, ss58Address: OLD_LEOPARD.address }), OLD_LEOPARD.address, 'secretSeed'],
  'seed-64': [btwalletJson({ secretSeed: DEV.privateKey, publicKey: DEV.publicKey }), DEV.address, 'secretSeed'],
  'repeated-0x': [btwalletJson({ privateKey: '0x0x' + ALICE.privateKey.slice(2), publicKey: '0x0x0x' + ALICE.publicKey.slice(2) }), ALICE.address, 'privateKey'],
  'crypto-type-1': [btwalletJson({ ...fullKeyfile(DEV), cryptoType: 1, accountType: 'standard', signingScheme: 'sr25519', future: [1, 2] }), DEV.address, 'secretPhrase'],
  'crypto-type-str': [JSON.stringify({ cryptoType: '1', ' ss58Address': OLD_LEOPARD.address, secretPhrase: OLD_LEOPARD.phrase }), OLD_LEOPARD.address, 'secretPhrase'],
  'raw-mnemonic': [`${DEV.phrase}\n`, DEV.address, 'secretPhrase'],
};

beforeAll(async () => {
  home = await tempDir('dendrite-home-');
  root = await buildWalletTree(join(home, 'wallets'));
  env = cleanEnv(home);
  for (const [name, [text]] of Object.entries(variants)) await put(hotkeyPath(root, 'variants', name), text);
  const ed = await ed25519Vector();
  await put(hotkeyPath(root, 'variants', 'ed25519'), btwalletJson({ publicKey: ed.publicKey, privateKey: ed.seed, ss58Address: ed.address, cryptoType: 0 }));
  await put(join(root, 'variants', 'coldkey'), btwalletJson({ publicKey: ed.publicKey, secretSeed: ed.seed, ss58Address: ed.address, cryptoType: 0 }));
  // Broken files.
  await put(hotkeyPath(root, 'broken', 'mismatch'), btwalletJson({ privateKey: BOB.privateKey, publicKey: ALICE.publicKey, ss58Address: ALICE.address }));
  await put(hotkeyPath(root, 'broken', 'crypto-type-7'), btwalletJson({ ...fullKeyfile(DEV), cryptoType: 7 }));
  await put(hotkeyPath(root, 'broken', 'invalid-json'), `{"secretPhrase": "${DEV.phrase}", "ss58Address": `);
  await put(hotkeyPath(root, 'broken', 'truncated'), (await naclSeal(btwalletJson(fullKeyfile(DEV)))).subarray(0, 33));
  await put(hotkeyPath(root, 'broken', 'public-only'), btwalletJson({ publicKey: ALICE.publicKey, ss58Address: ALICE.address }));
  await put(hotkeyPath(root, 'broken', 'vault'), ansibleVaultEncrypt(btwalletJson(fullKeyfile(DEV)), PASSWORD));
});

function parse<T>(stdout: string): T {
  return JSON.parse(stdout) as T;
}

describe('dendrite wallet --help', () => {
  it('lists the subcommands and the selection order', async () => {
    const r = await runCli(['wallet', '--help'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\s+list \[options\]/m);
    expect(r.stdout).toMatch(/^\s+show \[options\]/m);
    expect(r.stdout).toMatch(/^\s+check \[options\]/m);
    expect(r.stdout).toContain('BTCLI_CONFIG_PATH');
    const c = await runCli(['wallet', 'check', '--help'], env);
    expect(c.stdout).toContain('--password-env <var>');
  });
});

describe('dendrite wallet list', () => {
  it('lists every wallet with its coldkey address and each hotkey, as JSON', async () => {
    const r = await runCli(['wallet', 'list', '--wallet-path', root, '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    const l = parse<{ walletPath: string; wallets: { name: string; coldkeyAddress?: string; hotkeys: { name: string; address?: string; keyfile: { encrypted?: boolean } }[] }[] }>(r.stdout);
    expect(l.walletPath).toBe(root);
    expect(l.wallets.map((w) => w.name)).toEqual(['alice', 'broken', 'minerbox', 'old', 'variants']);
    const alice = l.wallets[0]!;
    expect(alice.coldkeyAddress).toBe(ALICE.address);
    expect(alice.hotkeys.map((h) => [h.name, h.address ?? null, h.keyfile.encrypted ?? null])).toEqual([
      ['default', BOB.address, false],
      ['enc', OLD_LEOPARD.address, true],
      ['legacy', DEV.address, false],
      ['vault', null, true],
      ['watch', ALICE.address, null],
    ]);
    expect(l.wallets.find((w) => w.name === 'old')!.coldkeyAddress).toBe(ALICE.address);
    expect(r.stderr).toBe('');
  });

  it('prints a readable tree, reading the wallet path from btcli config.yml', async () => {
    const cfgHome = await tempDir('dendrite-home-');
    await put(join(cfgHome, '.bittensor', 'config.yml'), `wallet_path: ${root}\nwallet_name: alice\nnetwork: finney\n`);
    const r = await runCli(['wallet', 'list'], cleanEnv(cfgHome));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Wallets in ${root}`);
    expect(r.stdout).toMatch(/├─ enc +5HDvhV6W\S+ +encrypted \(nacl\)/);
    // BT_WALLET_PATH beats the config file.
    const other = await tempDir();
    const r2 = await runCli(['wallet', 'list'], cleanEnv(cfgHome, { BT_WALLET_PATH: other }));
    expect(r2.stdout).toBe(`No wallets in ${other}\n`);
  });

  it('fails with exit 3 for a wallet path that does not exist', async () => {
    const r = await runCli(['wallet', 'list', '--wallet-path', join(home, 'nowhere')], env);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(`dendrite: wallet path ${join(home, 'nowhere')} does not exist; pass --wallet-path DIR or set BT_WALLET_PATH\n`);
  });
});

describe('dendrite wallet show', () => {
  it('shows the selected coldkey and hotkey, and warns on stderr about a group-readable keyfile', async () => {
    const r = await runCli(['wallet', 'show', '--wallet-path', root, '--wallet', 'alice'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^coldkey +${ALICE.address}$`, 'm'));
    expect(r.stdout).toMatch(new RegExp(`^hotkey +default +${BOB.address}$`, 'm'));
    expect(r.stdout).toMatch(/coldkey +\S+\/alice\/coldkey +nacl, encrypted 0600/);
    const file = join(root, 'alice', 'hotkeys', 'default');
    expect(r.stderr).toBe(`dendrite: warning: keyfile ${file} is accessible by group or others (mode 0644); run chmod 600 ${file}\n`);
  });

  it('takes wallet and hotkey from config.yml below flags and environment', async () => {
    const cfg = await put(join(home, 'btcli.yml'), `wallet_path: ${root}\nwallet_name: alice\nwallet_hotkey: enc\n`);
    const fromCfg = parse<{ wallet: string; hotkeyName: string; hotkey: { address: string } }>(
      (await runCli(['wallet', 'show', '--json'], cleanEnv(home, { BTCLI_CONFIG_PATH: cfg }))).stdout,
    );
    expect([fromCfg.wallet, fromCfg.hotkeyName, fromCfg.hotkey.address]).toEqual(['alice', 'enc', OLD_LEOPARD.address]);
    const fromEnv = parse<{ hotkeyName: string }>((await runCli(['wallet', 'show', '--json'], cleanEnv(home, { BTCLI_CONFIG_PATH: cfg, BT_WALLET_HOTKEY: 'legacy' }))).stdout);
    expect(fromEnv.hotkeyName).toBe('legacy');
    const fromFlag = parse<{ hotkeyName: string }>((await runCli(['wallet', 'show', '--json', '--hotkey', 'default'], cleanEnv(home, { BTCLI_CONFIG_PATH: cfg, BT_WALLET_HOTKEY: 'legacy' }))).stdout);
    expect(fromFlag.hotkeyName).toBe('default');
  });

  it('fails with exit 3 for a missing wallet', async () => {
    const r = await runCli(['wallet', 'show', '--wallet-path', root, '--wallet', 'nobody'], env);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(`dendrite: wallet nobody not found in ${root}; list wallets with \`dendrite wallet list --wallet-path ${root}\`\n`);
    expect(r.stdout).toBe('');
  });

  it('fails with exit 3 for a malformed config.yml, naming it', async () => {
    const cfg = await put(join(home, 'bad.yml'), 'wallet_name: [\n');
    const r = await runCli(['wallet', 'show'], cleanEnv(home, { BTCLI_CONFIG_PATH: cfg }));
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(`dendrite: btcli config ${cfg} is not valid YAML; fix it or set BTCLI_CONFIG_PATH to another file\n`);
  });
});

describe.concurrent('dendrite wallet check: every key source and variant', () => {
  it.each(Object.entries(variants))('loads %s and signs', async (name, [, address, source]) => {
    const r = await runCli(['wallet', 'check', '--wallet-path', root, '--wallet', 'variants', '--hotkey', name, '--json'], env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(parse(r.stdout)).toMatchObject({ key: 'hotkey', format: 'json', type: 'sr25519', address, source, signs: true });
  });

  it('checks an ed25519 (cryptoType 0) coldkey, and refuses one as a hotkey', async () => {
    const ed = await ed25519Vector();
    const cold = await runCli(['wallet', 'check', '--coldkey', '--wallet-path', root, '--wallet', 'variants', '--json'], env);
    expect(cold.code).toBe(0);
    expect(parse(cold.stdout)).toMatchObject({ key: 'coldkey', type: 'ed25519', address: ed.address, source: 'secretSeed', signs: false });
    const hot = await runCli(['wallet', 'check', '--wallet-path', root, '--wallet', 'variants', '--hotkey', 'ed25519'], env);
    expect(hot.code).toBe(3);
    expect(hot.stderr).toContain('holds an ed25519 key (cryptoType 0); axons verify sr25519 hotkeys only');
  });
});

describe('encrypted keyfiles through the binary', () => {
  it('unlocks the $NACL coldkey with --password-env (real Argon2i, spinner line on stderr)', { timeout: 120_000 }, async () => {
    const r = await withKdfLock(() => runCli(['wallet', 'check', '--coldkey', '--wallet-path', root, '--wallet', 'alice', '--password-env', 'MY_PW', '--json'], { ...env, MY_PW: PASSWORD }, 110_000));
    expect(r.code).toBe(0);
    expect(parse(r.stdout)).toMatchObject({ key: 'coldkey', format: 'nacl', type: 'sr25519', source: 'privateKey', address: ALICE.address, signs: true });
    expect(r.stderr).toContain(`Unlocking ${join(root, 'alice', 'coldkey')} (Argon2i`);
  });

  it('unlocks an Ansible Vault hotkey with bittensor-wallet’s BT_PW_<PATH>', async () => {
    const file = join(root, 'alice', 'hotkeys', 'vault');
    const name = btPwVariableName(file);
    const r = await runCli(['wallet', 'check', '--wallet-path', root, '--wallet', 'alice', '--hotkey', 'vault', '--json'], { ...env, [name]: obfuscateBtPw(PASSWORD, name) });
    expect(r.code).toBe(0);
    expect(parse(r.stdout)).toMatchObject({ format: 'ansible-vault', address: DEV.address });
  });

  it('unlocks a Fernet coldkey (bittensor v7, which btwallet cannot open)', { timeout: 60_000 }, async () => {
    const r = await runCli(['wallet', 'check', '--coldkey', '--wallet-path', root, '--wallet', 'old', '--password-env', 'P', '--json'], { ...env, P: PASSWORD });
    expect(r.code).toBe(0);
    expect(parse(r.stdout)).toMatchObject({ format: 'fernet', address: ALICE.address, signs: true });
  });
});

describe.concurrent('failures: message and exit code', () => {
  const check = (hotkey: string, extra: Record<string, string> = {}, args: string[] = []) =>
    runCli(['wallet', 'check', '--wallet-path', root, '--wallet', 'broken', '--hotkey', hotkey, ...args], { ...env, ...extra });
  const f = (name: string) => join(root, 'broken', 'hotkeys', name);

  it.each([
    ['a wrong password', () => check('vault', { PW: WRONG }, ['--password-env', 'PW']), () => `dendrite: wrong password for ${f('vault')} (from $PW)\n`],
    [
      'no password and no terminal',
      () => check('vault'),
      () => `dendrite: keyfile ${f('vault')} is encrypted (ansible-vault) and no password was given; pass --password-env VAR with the password in $VAR, set ${btPwVariableName(f('vault'))} as bittensor-wallet does, or run in a terminal to be prompted\n`,
    ],
    ['an unset --password-env variable', () => check('vault', {}, ['--password-env', 'NOPE']), () => 'dendrite: --password-env NOPE: the environment variable NOPE is not set; export it with the keyfile password\n'],
    [
      'an invalid BT_PW_ value',
      () => check('vault', { [btPwVariableName(f('vault'))]: '%%%' }),
      () => `dendrite: ${btPwVariableName(f('vault'))} is not valid base64; set it as bittensor-wallet does (base64 of the password XOR the variable name) or unset it\n`,
    ],
    ['a truncated $NACL file', () => check('truncated', { PW: PASSWORD }, ['--password-env', 'PW']), () => `dendrite: keyfile ${f('truncated')} is a truncated $NACL file (33 bytes); restore it from a backup or regenerate the key\n`],
    ['invalid JSON', () => check('invalid-json'), () => `dendrite: keyfile ${f('invalid-json')} is not valid JSON; restore it from a backup or regenerate the key\n`],
    [
      'a privateKey that does not match its address',
      () => check('mismatch'),
      () => `dendrite: keyfile ${f('mismatch')}: field privateKey does not match its publicKey/ss58Address ${ALICE.address}; the file is damaged or was edited, restore it from a backup\n`,
    ],
    ['an unknown cryptoType', () => check('crypto-type-7'), () => `dendrite: keyfile ${f('crypto-type-7')}: unknown cryptoType 7 (expected 1 for sr25519 or 0 for ed25519)\n`],
    ['a public-only hotkey', () => check('public-only'), () => `dendrite: hotkey file ${f('public-only')} holds only a public key and cannot sign; regenerate the hotkey with its mnemonic\n`],
    [
      'a missing wallet',
      () => runCli(['wallet', 'check', '--wallet-path', root, '--wallet', 'ghost'], env),
      () =>
        `dendrite: hotkey file ${join(root, 'ghost', 'hotkeys', 'default')} not found; choose a wallet with --wallet/--hotkey (or --wallet-path), list them with \`dendrite wallet list\`, or use --uri //Alice for a development key\n`,
    ],
  ])('%s: exit 3 and one line on stderr', async (_what, run, message) => {
    const r = await run();
    expect(r.stderr).toBe(message());
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
  });
});

describe('query and ping sign with wallet hotkeys our axon verifies', () => {
  let axon: ReturnType<typeof spawn> | undefined;
  let port = 0;
  beforeAll(async () => {
    axon = spawn(process.execPath, ['bin/dendrite.js', 'axon', '--uri', '//Bob', '--port', '0', '--json'], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
    port = await new Promise<number>((resolve, reject) => {
      let out = '';
      axon!.stdout!.setEncoding('utf8').on('data', (d: string) => {
        out += d;
        const line = out.split('\n')[0]!;
        if (out.includes('\n')) resolve((JSON.parse(line) as { port: number }).port);
      });
      let err = '';
      axon!.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
      axon!.on('exit', (code) => reject(new Error(`axon exited with ${code}: ${err}`)));
    });
  });
  afterAll(() => {
    axon?.kill('SIGTERM');
  });

  it.each([
    ['Alice’s canonical privateKey (a `--uri alice` file)', 'variants', 'uri-alice', {}, ALICE.address],
    ['Bob’s canonical privateKey', 'variants', 'uri-bob', {}, BOB.address],
    ['an Ansible Vault hotkey unlocked with BT_PW_', 'alice', 'vault', 'bt-pw', DEV.address],
    ['an Ansible Vault hotkey unlocked with --password-env', 'alice', 'vault', 'password-env', DEV.address],
  ] as const)('pings with %s', async (_what, wallet, hotkey, pw, address) => {
    const extra: Record<string, string> = {};
    const flags: string[] = [];
    if (pw === 'bt-pw') {
      const name = btPwVariableName(join(root, wallet, 'hotkeys', hotkey));
      extra[name] = obfuscateBtPw(PASSWORD, name);
    } else if (pw === 'password-env') {
      extra.MY_HOTKEY_PW = PASSWORD;
      flags.push('--password-env', 'MY_HOTKEY_PW');
    }
    const r = await runCli(['ping', '--axon', `${BOB.address}@127.0.0.1:${port}`, '--wallet-path', root, '--wallet', wallet, '--hotkey', hotkey, '--json', ...flags], { ...env, ...extra });
    expect(r.code).toBe(0);
    const [res] = parse<{ status_code: number; synapse: { dendrite: { hotkey: string } } }[]>(r.stdout);
    expect(res!.synapse.dendrite.hotkey).toBe(address);
    expect(res!.status_code).toBe(200);
  });

  it('sends nothing when the hotkey file’s privateKey does not match its address', async () => {
    const r = await runCli(['ping', '--axon', `${BOB.address}@127.0.0.1:${port}`, '--wallet-path', root, '--wallet', 'broken', '--hotkey', 'mismatch'], env);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('field privateKey does not match');
  });
});

describe('no secret in any output', () => {
  it('never printed a phrase, seed, private key or password in any run of this file', async () => {
    expect(transcript.length).toBeGreaterThan(40);
    const all = transcript.join('\n');
    for (const secret of [...allSecrets(), WRONG]) {
      expect(all.includes(secret), `output contains a secret (${secret.slice(0, 6)}…)`).toBe(false);
    }
  });
});
