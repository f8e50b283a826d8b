/**
 * The password prompt in a real pseudo-terminal (Python's standard `pty`
 * module drives the binary): typing, retries, trimming, Ctrl-C, and that
 * the typed password is never echoed. The `$NACL` case runs Argon2i once.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ALICE, DEV, OLD_LEOPARD, PASSWORD, allSecrets, ansibleVaultEncrypt, btwalletJson, fullKeyfile, hotkeyPath, naclSeal, put, tempDir } from '../support/wallet-fixtures.js';
import { cleanEnv, plain, runCliInPty, transcript } from '../support/wallet-cli.js';
import { withKdfLock } from '../support/wallet-kdf-lock.js';

let root: string;
let env: Record<string, string>;
const typedWrong = ['first-wrong-pw', 'second-wrong-pw', 'third-wrong-pw'];

beforeAll(async () => {
  const home = await tempDir('dendrite-home-');
  root = join(home, 'wallets');
  env = cleanEnv(home);
  await put(hotkeyPath(root, 'w', 'nacl'), await naclSeal(btwalletJson(fullKeyfile(OLD_LEOPARD))));
  await put(hotkeyPath(root, 'w', 'vault'), ansibleVaultEncrypt(btwalletJson(fullKeyfile(DEV)), PASSWORD));
  await put(join(root, 'w', 'coldkey'), ansibleVaultEncrypt(btwalletJson({ publicKey: ALICE.publicKey, privateKey: ALICE.privateKey }), PASSWORD));
});

const check = (hotkey: string) => ['wallet', 'check', '--wallet-path', root, '--wallet', 'w', '--hotkey', hotkey];

describe('interactive password prompt (pty)', () => {
  it('unlocks a $NACL hotkey with the typed password, with a spinner while Argon2i runs', { timeout: 150_000 }, async () => {
    const r = await withKdfLock(() => runCliInPty(check('nacl'), env, [{ expect: 'Password for', send: `${PASSWORD}\r` }], 120));
    const out = plain(r.stdout);
    expect(r.error).toBeNull();
    expect(r.code).toBe(0);
    expect(out).toContain(`Password for ${join(root, 'w', 'hotkeys', 'nacl')}`);
    expect(out).toContain('Unlocking');
    expect(out).toMatch(new RegExp(`hotkey ${OLD_LEOPARD.address} +ok +sr25519 from secretPhrase, signature verified`));
    expect(out).not.toContain(PASSWORD);
  });

  it('retries a wrong password, then accepts one typed with surrounding spaces (trimmed as btcli does)', { timeout: 60_000 }, async () => {
    const r = await runCliInPty(check('vault'), env, [
      { expect: 'Password for', send: `${typedWrong[0]}\r` },
      { expect: 'attempt 2 of 3', send: `   ${PASSWORD} \t\r` },
    ]);
    expect(r.error).toBeNull();
    expect(r.code).toBe(0);
    expect(plain(r.stdout)).toContain(`hotkey ${DEV.address}`);
  });

  it('gives up after three wrong passwords: "wrong password for <file>", exit 3', { timeout: 60_000 }, async () => {
    const r = await runCliInPty(check('vault'), env, [
      { expect: 'Password for', send: `${typedWrong[0]}\r` },
      { expect: 'attempt 2 of 3', send: `${typedWrong[1]}\r` },
      { expect: 'attempt 3 of 3', send: `${typedWrong[2]}\r` },
    ]);
    expect(r.error).toBeNull();
    expect(r.code).toBe(3);
    expect(plain(r.stdout)).toContain(`dendrite: wrong password for ${join(root, 'w', 'hotkeys', 'vault')} (3 attempts)`);
  });

  it('Ctrl-C at the prompt ends like an interrupt (exit 130)', { timeout: 60_000 }, async () => {
    const r = await runCliInPty(['wallet', 'check', '--coldkey', '--wallet-path', root, '--wallet', 'w'], env, [{ expect: 'Password for', send: '\x03' }]);
    expect(r.error).toBeNull();
    expect(r.code).toBe(130);
    expect(plain(r.stdout)).toContain('dendrite: password prompt cancelled');
  });

  it('never echoed a typed password or any secret to the terminal', () => {
    const all = transcript.join('\n');
    expect(transcript.length).toBe(4);
    for (const s of [...allSecrets(), ...typedWrong]) expect(all.includes(s), `terminal shows a secret (${s.slice(0, 6)}…)`).toBe(false);
  });
});
