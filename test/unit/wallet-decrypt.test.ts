/**
 * Decryption of every keyfile format. The Argon2i KDF really runs once here
 * (checked against the WALLET.md §7 vector); every other `$NACL` test reuses
 * that derived key through the `deriveNaclKey` hook.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { utf8 } from '../../src/crypto/bytes.js';
import { verifySr25519 } from '../../src/crypto/sr25519.js';
import { WalletError } from '../../src/errors.js';
import { deriveNaclKey } from '../../src/wallet/decrypt/argon2.js';
import { sealedKeyfile, type KdfEvent } from '../../src/wallet/decrypt/index.js';
import { openFernet, parseFernet } from '../../src/wallet/decrypt/fernet.js';
import { serializeKdf } from '../../src/wallet/decrypt/serial.js';
import { loadHotkey } from '../../src/wallet/hotkey.js';
import {
  ALICE,
  NACL_KEY_HEX,
  NACL_SAMPLE_B64,
  NACL_SAMPLE_PLAINTEXT,
  OLD_LEOPARD,
  PASSWORD,
  FERNET_KEY_HEX,
  ansibleVaultEncrypt,
  btwalletJson,
  fernetEncrypt,
  fullKeyfile,
  hotkeyPath,
  naclSeal,
  put,
  tempDir,
} from '../support/wallet-fixtures.js';
import { withKdfLock } from '../support/wallet-kdf-lock.js';

// The one real Argon2i run of this file.
let realKey: Promise<Uint8Array> | undefined;
function sharedKey(): Promise<Uint8Array> {
  realKey ??= withKdfLock(() => deriveNaclKey(utf8(PASSWORD)));
  return realKey;
}
/** The real key for PASSWORD; any other password gets some other key, as Argon2i would give it. */
async function deriveShared(pw: Uint8Array): Promise<Uint8Array> {
  if (Buffer.from(pw).toString('utf8') === PASSWORD) return Uint8Array.from(await sharedKey());
  return Uint8Array.from(createHash('sha256').update(pw).digest());
}

const neverPrompt = async (): Promise<string> => {
  throw new Error('the prompt must not be called');
};

async function walletError(p: Promise<unknown>): Promise<WalletError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(WalletError);
  return e as WalletError;
}

describe('$NACL (WALLET.md §3.1)', () => {
  it('derives the §7 key vector with Argon2i v1.3, 8 passes, 512 MiB, fixed salt', { timeout: 120_000 }, async () => {
    expect(Buffer.from(await sharedKey()).toString('hex')).toBe(NACL_KEY_HEX);
  });

  it('decrypts the full §7 sample with thisisafakepassword, reporting the KDF to the hook', { timeout: 120_000 }, async () => {
    const events: KdfEvent[] = [];
    const sealed = sealedKeyfile(Buffer.from(NACL_SAMPLE_B64, 'base64'), 'nacl', '/w/coldkey');
    const plain = await sealed.open(PASSWORD, { deriveNaclKey: deriveShared, onKdf: (e) => events.push(e) });
    expect(Buffer.from(plain!).toString('utf8')).toBe(NACL_SAMPLE_PLAINTEXT);
    expect(events).toEqual([
      { phase: 'start', file: '/w/coldkey', format: 'nacl' },
      { phase: 'end', file: '/w/coldkey', format: 'nacl' },
    ]);
  });

  it('unlocks an encrypted hotkey through loadHotkey and signs so that it verifies', { timeout: 120_000 }, async () => {
    const root = await tempDir();
    await put(hotkeyPath(root, 'w', 'h'), await naclSeal(btwalletJson(fullKeyfile(OLD_LEOPARD))));
    const signer = await loadHotkey({ walletPath: root, wallet: 'w', hotkey: 'h', env: { HOME: root, MYPW: PASSWORD }, passwordEnv: 'MYPW', deriveNaclKey: deriveShared, prompt: neverPrompt });
    expect(signer.address).toBe(OLD_LEOPARD.address);
    const msg = utf8('nonce.dendrite.axon.uuid.hash');
    expect(await verifySr25519(msg, signer.sign(msg), signer.publicKey)).toBe(true);
  });

  it('says "wrong password for <file>" for a wrong password, naming where it came from', { timeout: 120_000 }, async () => {
    const root = await tempDir();
    const file = await put(hotkeyPath(root, 'w', 'h'), await naclSeal(btwalletJson(fullKeyfile(OLD_LEOPARD))));
    const e = await walletError(loadHotkey({ walletPath: root, wallet: 'w', hotkey: 'h', env: { HOME: root, MYPW: 'nottheone' }, passwordEnv: 'MYPW', deriveNaclKey: deriveShared }));
    expect(e.code).toBe('ERR_WRONG_PASSWORD');
    expect(e.message).toBe(`wrong password for ${file} (from $MYPW)`);
  });

  it('reports a file too short for a MAC as truncated, before asking for a password', async () => {
    const root = await tempDir();
    const file = await put(join(root, 'w', 'coldkey'), (await naclSeal('{"a":1}')).subarray(0, 40));
    const e = await walletError(loadHotkey({ walletPath: root, wallet: 'w', hotkey: '../coldkey', env: { HOME: root }, prompt: neverPrompt }));
    expect(e.code).toBe('ERR_KEYFILE_CORRUPT');
    expect(e.message).toBe(`keyfile ${file} is a truncated $NACL file (40 bytes); restore it from a backup or regenerate the key`);
  });

  it('tells a truncated file with the right password apart from a wrong password', { timeout: 120_000 }, async () => {
    const whole = await naclSeal(btwalletJson(fullKeyfile(OLD_LEOPARD)));
    const sealed = sealedKeyfile(whole.subarray(0, whole.length - 30), 'nacl', '/w/hotkeys/h');
    await expect(sealed.open(PASSWORD, { deriveNaclKey: deriveShared })).rejects.toMatchObject({ code: 'ERR_KEYFILE_CORRUPT', message: expect.stringContaining('the password is right') });
    expect(await sealed.open('nottheone', { deriveNaclKey: deriveShared })).toBeUndefined();
  });

  it('never runs two key derivations at once', async () => {
    let running = 0;
    let most = 0;
    const task = async (): Promise<void> => {
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setImmediate(r));
      running--;
    };
    await Promise.all([serializeKdf(task), serializeKdf(async () => Promise.reject(new Error('x'))).catch(() => undefined), serializeKdf(task), serializeKdf(task)]);
    expect(most).toBe(1);
  });
});

describe('Ansible Vault (WALLET.md §3.2)', () => {
  const text = btwalletJson({ publicKey: ALICE.publicKey, privateKey: ALICE.privateKey, ss58Address: ALICE.address });

  it('decrypts and signs', async () => {
    const root = await tempDir();
    await put(hotkeyPath(root, 'w', 'h'), ansibleVaultEncrypt(text, 'ansible pw'));
    const signer = await loadHotkey({ walletPath: root, wallet: 'w', hotkey: 'h', env: { HOME: root, PW: 'ansible pw' }, passwordEnv: 'PW' });
    expect(signer.address).toBe(ALICE.address);
  });

  it('rejects a wrong password and a damaged file', async () => {
    const vault = ansibleVaultEncrypt(text, 'ansible pw');
    expect(await sealedKeyfile(Buffer.from(vault), 'ansible-vault', '/f').open('other')).toBeUndefined();
    expect(() => sealedKeyfile(Buffer.from(vault.replace(/[0-9a-f]{4}\n/, 'zz\n')), 'ansible-vault', '/f')).toThrow(/damaged Ansible Vault file \(body is not hex\)/);
    expect(() => sealedKeyfile(Buffer.from('$ANSIBLE_VAULT;2.0;AES\n00'), 'ansible-vault', '/f')).toThrow(/unsupported header/);
  });
});

describe('Fernet (WALLET.md §3.3)', () => {
  it('decrypts a bittensor v7 Fernet keyfile (which btwallet cannot) with the 10M-round PBKDF2 key', { timeout: 60_000 }, async () => {
    const text = btwalletJson(fullKeyfile(OLD_LEOPARD));
    const events: KdfEvent[] = [];
    const sealed = sealedKeyfile(Buffer.from(fernetEncrypt(text) + '\n'), 'fernet', '/w/coldkey');
    const plain = await sealed.open(PASSWORD, { onKdf: (e) => events.push(e) });
    expect(Buffer.from(plain!).toString('utf8')).toBe(text);
    expect(events.map((e) => e.phase)).toEqual(['start', 'end']);
  });

  it('rejects a token under another key (a wrong password) and a damaged token', () => {
    const token = parseFernet(Buffer.from(fernetEncrypt('{"a":1}')), '/f');
    expect(openFernet(token, Buffer.alloc(32, 7))).toBeUndefined();
    expect(openFernet(token, Buffer.from(FERNET_KEY_HEX, 'hex'))).toEqual(Uint8Array.from(Buffer.from('{"a":1}')));
    expect(() => sealedKeyfile(Buffer.from('gAAAAA!!'), 'fernet', '/f')).toThrow(/damaged Fernet file \(not base64url\)/);
    expect(() => sealedKeyfile(Buffer.from('gAAAAAAA'), 'fernet', '/f')).toThrow(/damaged Fernet file \(bad token length or version\)/);
  });
});
