import { describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes, utf8 } from '../../src/crypto/bytes.js';
import { verifySr25519 } from '../../src/crypto/sr25519.js';
import { WalletError } from '../../src/errors.js';
import { detectKeyfileFormat, keyFromKeyfile, pairFromKeyfile, parseKeyfileText } from '../../src/wallet/keyfile.js';
import { ALICE, BOB, DEV, OLD_LEOPARD, btwalletJson, ed25519Vector, fullKeyfile, v7Json } from '../support/wallet-fixtures.js';

const F = '/w/default/hotkeys/default';

async function load(text: string, role: 'public' | 'secret' = 'secret') {
  return keyFromKeyfile(parseKeyfileText(text, F, role), F);
}

async function expectSigns(text: string, address: string): Promise<void> {
  const key = await load(text);
  expect(key.type).toBe('sr25519');
  if (key.type !== 'sr25519') return;
  expect(key.address).toBe(address);
  const msg = utf8('1700000000.5Dendrite.5Axon.uuid.hash');
  expect(await verifySr25519(msg, key.pair.sign(msg), key.publicKey)).toBe(true);
}

function walletError(fn: () => unknown): Promise<WalletError> {
  return Promise.resolve()
    .then(fn)
    .then(
      () => {
        throw new Error('expected a WalletError');
      },
      (e: unknown) => {
        expect(e).toBeInstanceOf(WalletError);
        return e as WalletError;
      },
    );
}

describe('keyfile format detection (WALLET.md §3)', () => {
  it.each([
    ['$NACL\0\0\0', 'nacl'],
    ['$ANSIBLE_VAULT;1.1;AES256\n', 'ansible-vault'],
    ['gAAAAABl', 'fernet'],
    ['{"ss58Address":"5"}', 'json'],
    ['0xd43593c7', 'json'],
  ])('%j is %s', (head, format) => {
    expect(detectKeyfileFormat(Buffer.from(head))).toBe(format);
  });
});

describe('key sources and variants (WALLET.md §2, §5)', () => {
  it('loads a btwallet mnemonic keyfile (compact, arbitrary order) from its secretPhrase', async () => {
    const key = await load(btwalletJson(fullKeyfile(OLD_LEOPARD)));
    expect(key).toMatchObject({ type: 'sr25519', source: 'secretPhrase', address: OLD_LEOPARD.address });
    await expectSigns(btwalletJson(fullKeyfile(OLD_LEOPARD)), OLD_LEOPARD.address);
  });

  it('loads a bittensor v7 keyfile (json.dumps spacing, null fields)', async () => {
    await expectSigns(v7Json({ ...fullKeyfile(OLD_LEOPARD), secretPhrase: null }), OLD_LEOPARD.address);
    expect(await load(v7Json({ ...fullKeyfile(OLD_LEOPARD), secretPhrase: null }))).toMatchObject({ type: 'sr25519', source: 'secretSeed' });
  });

  it('signs with the canonical privateKey of a `--uri alice` file, verifiable against Alice', async () => {
    const text = btwalletJson({ accountId: ALICE.publicKey, publicKey: ALICE.publicKey, privateKey: ALICE.privateKey, ss58Address: ALICE.address });
    expect(await load(text)).toMatchObject({ source: 'privateKey', address: ALICE.address });
    await expectSigns(text, ALICE.address);
  });

  it('signs with Bob’s canonical privateKey', async () => {
    await expectSigns(btwalletJson({ publicKey: BOB.publicKey, privateKey: BOB.privateKey, ss58Address: BOB.address }), BOB.address);
  });

  it('accepts the polkadot-js (ed25519) form of a privateKey when that is what matches', async () => {
    await expectSigns(btwalletJson({ privateKey: ALICE.privateKeyJsForm, ss58Address: ALICE.address }), ALICE.address);
  });

  it('derives the public key of a privateKey when the file states none (bittensor-core raw form)', async () => {
    await expectSigns(btwalletJson({ privateKey: DEV.privateKey }), DEV.address);
    await expectSigns(DEV.privateKey.slice(2), DEV.address);
  });

  it('loads a 32-byte secretSeed, a 64-byte secretSeed and repeated 0x prefixes', async () => {
    await expectSigns(btwalletJson({ secretSeed: OLD_LEOPARD.seed, ss58Address: OLD_LEOPARD.address }), OLD_LEOPARD.address);
    await expectSigns(btwalletJson({ secretSeed: OLD_LEOPARD.privateKey, publicKey: OLD_LEOPARD.publicKey }), OLD_LEOPARD.address);
    await expectSigns(
      btwalletJson({ secretSeed: '0x0x0x' + OLD_LEOPARD.seed.slice(2), publicKey: '0x0x' + OLD_LEOPARD.publicKey.slice(2), ss58Address: OLD_LEOPARD.address }),
      OLD_LEOPARD.address,
    );
  });

  it('skips a non-hex secretSeed (btwallet 4.0 utf8 quirk) and uses the privateKey', async () => {
    const key = await load(btwalletJson({ secretSeed: '0x\u00e9garbage', privateKey: OLD_LEOPARD.privateKey, ss58Address: OLD_LEOPARD.address }));
    expect(key).toMatchObject({ type: 'sr25519', source: 'privateKey', address: OLD_LEOPARD.address });
  });

  it('treats cryptoType 1, "1" and absent as sr25519, and ignores unknown extra fields', async () => {
    for (const cryptoType of [1, '1', undefined]) {
      const text = btwalletJson({ ...fullKeyfile(DEV), cryptoType, accountType: 'standard', signingScheme: 'sr25519', hashedDescriptor: null, extra: { n: 5 } });
      expect(await load(text)).toMatchObject({ type: 'sr25519', address: DEV.address });
    }
  });

  it('reads the legacy " ss58Address" key and whitespace around the phrase', async () => {
    await expectSigns(JSON.stringify({ ' ss58Address': OLD_LEOPARD.address, secretPhrase: `  ${OLD_LEOPARD.phrase.replace(/ /g, '\t ')}\n` }), OLD_LEOPARD.address);
  });

  it('reads bare mnemonic and raw seed files as bittensor-core does', async () => {
    await expectSigns(`${OLD_LEOPARD.phrase}\n`, OLD_LEOPARD.address);
    await expectSigns(OLD_LEOPARD.seed, OLD_LEOPARD.address);
  });

  it('gives a public-only key for coldkeypub.txt (btwallet, v7 with nulls, and the legacy raw-hex form)', async () => {
    for (const text of [
      btwalletJson({ accountId: ALICE.publicKey, publicKey: ALICE.publicKey, ss58Address: ALICE.address, cryptoType: 1 }),
      v7Json({ accountId: ALICE.publicKey, publicKey: ALICE.publicKey, ss58Address: ALICE.address }),
      `${ALICE.publicKey}\n`,
    ]) {
      expect(await load(text, 'public')).toMatchObject({ type: 'public', address: ALICE.address });
    }
    expect(await pairFromKeyfile(parseKeyfileText(`${ALICE.publicKey}`, F, 'public'), F)).toBeUndefined();
  });

  it('checks an ed25519 (cryptoType 0) key against its address, but refuses it as a hotkey', async () => {
    const ed = await ed25519Vector();
    const text = btwalletJson({ publicKey: ed.publicKey, privateKey: ed.seed, ss58Address: ed.address, cryptoType: 0 });
    expect(await load(text)).toMatchObject({ type: 'ed25519', address: ed.address, source: 'privateKey' });
    const e = await walletError(() => pairFromKeyfile(parseKeyfileText(text, F), F));
    expect(e.code).toBe('ERR_KEYFILE_CRYPTO_TYPE');
    const bad = await walletError(() => load(btwalletJson({ publicKey: ALICE.publicKey, privateKey: ed.seed, cryptoType: 0 })));
    expect(bad.code).toBe('ERR_KEY_MISMATCH');
  });
});

describe('keyfile errors name the file and the field, never a secret', () => {
  it('rejects a privateKey that does not match its address', async () => {
    const e = await walletError(() => load(btwalletJson({ privateKey: BOB.privateKey, publicKey: ALICE.publicKey, ss58Address: ALICE.address })));
    expect(e.code).toBe('ERR_KEY_MISMATCH');
    expect(e.message).toContain(F);
    expect(e.message).toContain('field privateKey');
    expect(e.message).not.toContain(BOB.privateKey.slice(2, 20));
  });

  it('rejects a phrase and seed that both match another key, naming both fields', async () => {
    const e = await walletError(() => load(btwalletJson({ secretPhrase: DEV.phrase, secretSeed: DEV.seed, ss58Address: ALICE.address })));
    expect(e.message).toMatch(/fields secretPhrase, secretSeed do not match its publicKey\/ss58Address 5Grwva/);
    expect(e.message).not.toContain('bottom drive');
  });

  it('rejects publicKey and ss58Address that disagree', async () => {
    const e = await walletError(() => load(btwalletJson({ publicKey: BOB.publicKey, ss58Address: ALICE.address }), 'public'));
    expect(e.code).toBe('ERR_KEY_MISMATCH');
    expect(e.message).toContain('field ss58Address does not match field publicKey');
  });

  it('rejects an unknown cryptoType', async () => {
    const e = await walletError(() => load(btwalletJson({ ...fullKeyfile(DEV), cryptoType: 2 })));
    expect(e.code).toBe('ERR_KEYFILE_CRYPTO_TYPE');
    expect(e.message).toBe(`keyfile ${F}: unknown cryptoType 2 (expected 1 for sr25519 or 0 for ed25519)`);
  });

  it('rejects invalid JSON without echoing it', async () => {
    const e = await walletError(() => load(`{"secretPhrase": "${DEV.phrase}",`));
    expect(e.code).toBe('ERR_KEYFILE_INVALID');
    expect(e.message).toBe(`keyfile ${F} is not valid JSON; restore it from a backup or regenerate the key`);
  });

  it('rejects non-string fields, non-objects and files with no key', async () => {
    expect((await walletError(() => load('{"secretPhrase": 12}'))).message).toContain('field secretPhrase must be a string');
    expect((await walletError(() => load('[1,2]'))).code).toBe('ERR_KEYFILE_INVALID');
    expect((await walletError(() => load('{"note":"x"}'))).message).toContain('holds no key');
  });

  it('keeps the secret out of JSON and util.inspect of a loaded pair', async () => {
    const key = await load(btwalletJson(fullKeyfile(DEV)));
    if (key.type !== 'sr25519') throw new Error('expected sr25519');
    const { inspect } = await import('node:util');
    for (const text of [JSON.stringify(key), inspect(key, { depth: 5 })]) {
      expect(text).toContain(DEV.address);
      expect(text).not.toContain(DEV.privateKey.slice(34));
      expect(text).not.toContain(bytesToHex(hexToBytes(DEV.seed)).slice(2));
    }
  });
});
