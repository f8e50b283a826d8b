import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WalletError } from '../../src/errors.js';
import { loadHotkey } from '../../src/wallet/hotkey.js';
import { btPwVariableName, deobfuscateBtPw, obfuscateBtPw, passwordFromEnvironment, rustTrim } from '../../src/wallet/password.js';
import type { PasswordRequest } from '../../src/wallet/unlock.js';
import { ALICE, ansibleVaultEncrypt, btwalletJson, hotkeyPath, put, tempDir } from '../support/wallet-fixtures.js';

const VECTOR_NAME = 'BT_PW__HOME_USER__BITTENSOR_WALLETS_DEFAULT_COLDKEY';

describe('BT_PW_<PATH> (WALLET.md §3.4)', () => {
  it('names the variable after the keyfile path', () => {
    expect(btPwVariableName('/home/user/.bittensor/wallets/default/coldkey')).toBe(VECTOR_NAME);
    expect(btPwVariableName('/srv/w.x/my-wallet/hotkeys/h1')).toBe('BT_PW__SRV_W_X_MY-WALLET_HOTKEYS_H1');
  });

  it('obfuscates exactly as bittensor-wallet does (the §3.4 vector) and back', () => {
    expect(obfuscateBtPw('thisisafakepassword', VECTOR_NAME)).toBe('Njw2Iz4sPi4uJiAvNCA2JTAtJg==');
    expect(deobfuscateBtPw('Njw2Iz4sPi4uJiAvNCA2JTAtJg==', VECTOR_NAME)).toBe('thisisafakepassword');
    const long = 'ünïcode password longer than the variable name itself, to wrap the key around';
    expect(deobfuscateBtPw(obfuscateBtPw(long, 'BT_PW__X'), 'BT_PW__X')).toBe(long);
  });

  it('rejects a value that is not base64, naming the variable but not the value', () => {
    expect(() => deobfuscateBtPw('not base64!', VECTOR_NAME)).toThrow(new RegExp(`^${VECTOR_NAME} is not valid base64`));
    try {
      deobfuscateBtPw('not base64!', VECTOR_NAME);
    } catch (e) {
      expect((e as WalletError).code).toBe('ERR_PASSWORD_ENV_INVALID');
      expect((e as Error).message).not.toContain('not base64!');
    }
  });
});

describe('password sources', () => {
  const file = '/home/user/.bittensor/wallets/default/coldkey';
  const btpw = obfuscateBtPw('from-bt-pw', VECTOR_NAME);

  it('prefers --password-env over BT_PW_, and uses env values untrimmed', () => {
    expect(passwordFromEnvironment([file], { MINE: ' mine ', [VECTOR_NAME]: btpw }, 'MINE')).toEqual({ password: ' mine ', source: { kind: 'password-env', variable: 'MINE' } });
    expect(passwordFromEnvironment([file], { [VECTOR_NAME]: btpw })).toEqual({ password: 'from-bt-pw', source: { kind: 'bt-pw', variable: VECTOR_NAME } });
    expect(passwordFromEnvironment(['/other', file], { [VECTOR_NAME]: btpw })?.password).toBe('from-bt-pw');
    expect(passwordFromEnvironment([file], {})).toBeUndefined();
  });

  it('fails when the --password-env variable is not set', () => {
    expect(() => passwordFromEnvironment([file], {}, 'NOPE')).toThrow('--password-env NOPE: the environment variable NOPE is not set; export it with the keyfile password');
  });

  it('trims typed passwords like Rust str::trim', () => {
    expect(rustTrim(' \t pass word \u00a0\u3000\n')).toBe('pass word');
    expect(rustTrim('\u0085pw\u2028')).toBe('pw');
    // Rust's White_Space does not include the BOM, JS trim() does.
    expect(rustTrim('\ufeffpw')).toBe('\ufeffpw');
  });
});

describe('unlocking an encrypted hotkey (Ansible Vault, fast KDF)', () => {
  const plaintext = btwalletJson({ publicKey: ALICE.publicKey, privateKey: ALICE.privateKey, ss58Address: ALICE.address });

  async function wallet(password = 'right one'): Promise<{ root: string; file: string }> {
    const root = await tempDir();
    const file = await put(hotkeyPath(root, 'w', 'h'), ansibleVaultEncrypt(plaintext, password));
    return { root, file };
  }

  function promptAnswering(...answers: (string | undefined)[]) {
    const asked: PasswordRequest[] = [];
    const prompt = async (req: PasswordRequest): Promise<string | undefined> => {
      asked.push(req);
      return answers.shift();
    };
    return { asked, prompt };
  }

  it('reads BT_PW_<PATH> for the absolute keyfile path', async () => {
    const { root, file } = await wallet();
    const name = btPwVariableName(file);
    const signer = await loadHotkey({ walletPath: root, wallet: 'w', hotkey: 'h', env: { HOME: root, [name]: obfuscateBtPw('right one', name) } });
    expect(signer.address).toBe(ALICE.address);
  });

  it('gives the prompt three attempts, trimming what was typed', async () => {
    const { root, file } = await wallet();
    const { asked, prompt } = promptAnswering('wrong', 'also wrong', '  right one \n');
    const signer = await loadHotkey({ walletPath: root, wallet: 'w', hotkey: 'h', env: { HOME: root }, prompt });
    expect(signer.address).toBe(ALICE.address);
    expect(asked.map((r) => [r.attempt, r.retry, r.file, r.format])).toEqual([
      [1, false, file, 'ansible-vault'],
      [2, true, file, 'ansible-vault'],
      [3, true, file, 'ansible-vault'],
    ]);
    // Cached: the same file is not unlocked twice in a process.
    expect(await loadHotkey({ walletPath: root, wallet: 'w', hotkey: 'h', env: { HOME: root }, prompt: async () => 'x' })).toBe(signer);
  });

  it('fails after three wrong passwords with "wrong password for <file>"', async () => {
    const { root, file } = await wallet();
    const { asked, prompt } = promptAnswering('a', 'b', 'c', 'right one');
    await expect(loadHotkey({ walletPath: root, wallet: 'w', hotkey: 'h', env: { HOME: root }, prompt })).rejects.toMatchObject({
      code: 'ERR_WRONG_PASSWORD',
      kind: 'environment',
      message: `wrong password for ${file} (3 attempts)`,
    });
    expect(asked).toHaveLength(3);
  });

  it('does not prompt when an environment password is wrong', async () => {
    const { root, file } = await wallet();
    const { asked, prompt } = promptAnswering('right one');
    await expect(loadHotkey({ walletPath: root, wallet: 'w', hotkey: 'h', env: { HOME: root, P: 'right one ' }, passwordEnv: 'P', prompt })).rejects.toThrow(
      `wrong password for ${file} (from $P)`,
    );
    expect(asked).toHaveLength(0);
  });

  it('reports a cancelled prompt', async () => {
    const { root, file } = await wallet();
    await expect(loadHotkey({ walletPath: root, wallet: 'w', hotkey: 'h', env: { HOME: root }, prompt: async () => undefined })).rejects.toMatchObject({
      code: 'ERR_PASSWORD_CANCELLED',
      message: `password prompt for ${file} cancelled`,
    });
  });

  it('without a terminal or variable, says how to pass the password', async () => {
    const { root, file } = await wallet();
    await expect(loadHotkey({ walletPath: root, wallet: 'w', hotkey: 'h', env: { HOME: root } })).rejects.toMatchObject({
      code: 'ERR_PASSWORD_REQUIRED',
      message: `keyfile ${file} is encrypted (ansible-vault) and no password was given; pass --password-env VAR with the password in $VAR, set ${btPwVariableName(file)} as bittensor-wallet does, or run in a terminal to be prompted`,
    });
  });

  it('names a missing hotkey file and how to choose another', async () => {
    const root = await tempDir();
    await expect(loadHotkey({ walletPath: root, wallet: 'nope', hotkey: 'h', env: { HOME: root } })).rejects.toMatchObject({
      code: 'ERR_WALLET_NOT_FOUND',
      message: expect.stringMatching(new RegExp(`^hotkey file ${join(root, 'nope', 'hotkeys', 'h').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} not found; choose a wallet with --wallet/--hotkey`)),
    });
  });
});
