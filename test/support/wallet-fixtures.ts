/**
 * Builders for real wallet directories in temp folders: keyfiles in every
 * format and variant of WALLET.md §2–§3, with encoders written from the
 * specification (independently of src/wallet/decrypt) and the vectors of §7.
 */
import { createCipheriv, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as wasm from '@polkadot/wasm-crypto';
import sodium from 'libsodium-wrappers-sumo';
import { encodeAddress } from '../../src/crypto/ss58.js';

export const PASSWORD = 'thisisafakepassword';
/** WALLET.md §7: Argon2i(PASSWORD) with the fixed salt. Lets fixtures be sealed without running the KDF. */
export const NACL_KEY_HEX = 'a17c46ecafdd501ecb1da0651d35abfecf60df14bffa8e949f58aaecd75cb3c8';
/** WALLET.md §7 full NaCl vector: PASSWORD, zero nonce, plaintext below. */
export const NACL_SAMPLE_B64 =
  'JE5BQ0wAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAACyxIVI7RG+pPp5WBmAi/lYt1clzj3XszRyrmm95PO4qfDII4nT1Unpk+dsDxzQZtAsuRJDGTUSO2lxqeTTfocHVRlz2D9Dj5RvyY+/58nu40jQ';
export const NACL_SAMPLE_PLAINTEXT = '{"ss58Address":"5HDvhV6WDCjCKyrXqGQSDYqQAzkzabNhctmiDYEqgBC66BsX"}';

export const OLD_LEOPARD = {
  phrase: 'old leopard transfer rib spatial phone calm indicate online fire caution review',
  address: '5HDvhV6WDCjCKyrXqGQSDYqQAzkzabNhctmiDYEqgBC66BsX',
  publicKey: '0xe4359ad3e2716c539a1d663ebd0a51bdc5c98a12e663bb4c4402db47828c9446',
  seed: '0xda3cf5b1e9144931a0f0db65664aab662673b099415a7f8121b7245fb0be4143',
  privateKey: '0x1f1995bdf3a17b60626a26cfe6f564b337d46056b7a1281b64c649d592ccda0a9cffd34d9fb01cae1fba61aeed184c817442a2186d5172416729a4b54dd4b84e',
  privateKeyJsForm: '0xf8c8a8ec9d0fdd031353337936af279bbda106b3ba0d45d920334eaa9664d6569cffd34d9fb01cae1fba61aeed184c817442a2186d5172416729a4b54dd4b84e',
};
export const ALICE = {
  address: '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY',
  publicKey: '0xd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d',
  privateKey: '0x33a6f3093f158a7109f679410bef1a0c54168145e0cecb4df006c1c2fffb1f09925a225d97aa00682d6a59b95b18780c10d7032336e88f3442b42361f4a66011',
  privateKeyJsForm: '0x98319d4ff8a9508c4bb0cf0b5a78d760a0b2082c02775e6e82370816fedfff48925a225d97aa00682d6a59b95b18780c10d7032336e88f3442b42361f4a66011',
};
export const BOB = {
  address: '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty',
  publicKey: '0x8eaf04151687736326c9fea17e25fc5287613693c912909cb226aa4794f26a48',
  privateKey: '0xe1c39e72cca724caa697d64a58e10bd95ffa63d1922962f7e27f8a09dda1370b41ae88f85d0c1bfc37be41c904e1dfc01de8c8067b0d6d5df25dd1ac0894a325',
};
export const DEV = {
  phrase: 'bottom drive obey lake curtain smoke basket hold race lonely fit walk',
  address: '5DfhGyQdFobKM8NsWvEeAKk5EQQgYe9AydgJ7rMB6E1EqRzV',
  publicKey: '0x46ebddef8cd9bb167dc30878d7113b7e168e6f0646beffd77d69d39bad76b47a',
  seed: '0xfac7959dbfe72f052e5a0c3c8d6530f202b02fd8f9f5ca3580ec8deb7797479e',
  privateKey: '0x05d65584630d16cd4af6d0bec10f34bb504a5dcb62dba2122d49f5a663763d0afd190cce74df356432b410bd64682309d6dedb27c76845daf388557cbac3ca34',
};

/** An ed25519 key (cryptoType 0), public key computed with polkadot's wasm, not Node's crypto. */
export async function ed25519Vector(): Promise<{ seed: string; publicKey: string; address: string }> {
  await wasm.waitReady();
  const seed = Uint8Array.from({ length: 32 }, (_, i) => (i * 7 + 3) & 0xff);
  // The wasm returns seed ‖ public key.
  const pub = wasm.ed25519KeypairFromSeed(seed).slice(32, 64);
  return { seed: '0x' + Buffer.from(seed).toString('hex'), publicKey: '0x' + Buffer.from(pub).toString('hex'), address: encodeAddress(pub) };
}

/** Every secret the tests put in keyfiles; no output may contain any of them. */
export function allSecrets(): string[] {
  const hexes = [OLD_LEOPARD.seed, OLD_LEOPARD.privateKey, OLD_LEOPARD.privateKeyJsForm, ALICE.privateKey, ALICE.privateKeyJsForm, BOB.privateKey, DEV.seed, DEV.privateKey];
  return [
    PASSWORD,
    NACL_KEY_HEX,
    OLD_LEOPARD.phrase,
    DEV.phrase,
    ...OLD_LEOPARD.phrase.split(' ').slice(0, 3).map((_, i, a) => a.slice(i).join(' ')).filter((s) => s.includes(' ')),
    ...hexes,
    ...hexes.map((h) => h.slice(2)),
    // Halves of each secret, so a partial print is caught too.
    ...hexes.flatMap((h) => [h.slice(2, 34), h.slice(34, 66)]),
  ];
}

export type Fields = Record<string, unknown>;

/** btwallet: compact serde_json, arbitrary (here: reversed) key order, absent fields omitted. */
export function btwalletJson(fields: Fields): string {
  const entries = Object.entries(fields).filter(([, v]) => v !== undefined).reverse();
  return JSON.stringify(Object.fromEntries(entries));
}

/** bittensor ≤ 7: json.dumps separators, fixed order, absent fields as null. */
export function v7Json(fields: Fields): string {
  const order = ['accountId', 'publicKey', 'privateKey', 'secretPhrase', 'secretSeed', 'ss58Address'];
  return '{' + order.map((k) => `${JSON.stringify(k)}: ${JSON.stringify(fields[k] ?? null)}`).join(', ') + '}';
}

/** The full keyfile of a mnemonic key, as btcli writes it. */
export function fullKeyfile(k: { phrase?: string; seed?: string; privateKey: string; publicKey: string; address: string }): Fields {
  return { accountId: k.publicKey, publicKey: k.publicKey, privateKey: k.privateKey, secretPhrase: k.phrase, secretSeed: k.seed, ss58Address: k.address };
}

export function pubKeyfile(k: { publicKey: string; address: string }): string {
  return btwalletJson({ accountId: k.publicKey, publicKey: k.publicKey, ss58Address: k.address });
}

let sodiumReady: Promise<typeof sodium> | undefined;
/** `$NACL` ‖ nonce ‖ secretbox(plaintext), sealed with the §7 key of PASSWORD (no KDF run). */
export async function naclSeal(plaintext: string | Uint8Array, key = Buffer.from(NACL_KEY_HEX, 'hex'), nonce = randomBytes(24)): Promise<Buffer> {
  sodiumReady ??= sodium.ready.then(() => sodium);
  const s = await sodiumReady;
  const box = s.crypto_secretbox_easy(typeof plaintext === 'string' ? Buffer.from(plaintext) : plaintext, nonce, key);
  return Buffer.concat([Buffer.from('$NACL'), nonce, box]);
}

/** Ansible Vault 1.1 AES256, WALLET.md §3.2. */
export function ansibleVaultEncrypt(plaintext: string, password: string): string {
  const salt = randomBytes(32);
  const d = pbkdf2Sync(password, salt, 10_000, 80, 'sha256');
  const data = Buffer.from(plaintext);
  const padLen = 16 - (data.length % 16);
  const padded = Buffer.concat([data, Buffer.alloc(padLen, padLen)]);
  const c = createCipheriv('aes-256-ctr', d.subarray(0, 32), d.subarray(64, 80));
  const ct = Buffer.concat([c.update(padded), c.final()]);
  const mac = createHmac('sha256', d.subarray(32, 64)).update(ct).digest();
  const inner = Buffer.from([salt, mac, ct].map((b) => b.toString('hex')).join('\n')).toString('hex');
  return `$ANSIBLE_VAULT;1.1;AES256\n${inner.match(/.{1,80}/g)!.join('\n')}\n`;
}

/**
 * PBKDF2-SHA256(PASSWORD, the Fernet salt, 10,000,000 rounds, 32 bytes), computed once with
 * `node -e "crypto.pbkdf2Sync(...)"`; hard-coded so that fixtures cost no 3-second derivation.
 */
export const FERNET_KEY_HEX = 'e038913aff90a88b4e354ab33f862b8475f14878073cc154bb2b9f51834170c0';

/** Fernet as bittensor ≤ 7 wrote it (WALLET.md §3.3), with the key of PASSWORD unless another raw key is given. */
export function fernetEncrypt(plaintext: string, key = Buffer.from(FERNET_KEY_HEX, 'hex')): string {
  const iv = randomBytes(16);
  const ts = Buffer.alloc(8);
  ts.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 1000)));
  const c = createCipheriv('aes-128-cbc', key.subarray(16, 32), iv);
  const body = Buffer.concat([Buffer.of(0x80), ts, iv, c.update(plaintext), c.final()]);
  const mac = createHmac('sha256', key.subarray(0, 16)).update(body).digest();
  // Python's urlsafe_b64encode keeps the '=' padding.
  const token = Buffer.concat([body, mac]).toString('base64url');
  return token + '='.repeat((4 - (token.length % 4)) % 4);
}

export async function tempDir(prefix = 'dendrite-wallet-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

/** Writes a file (creating its folders) with btcli's 0600 mode unless told otherwise. */
export async function put(path: string, contents: string | Uint8Array, mode = 0o600): Promise<string> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, contents);
  await chmod(path, mode);
  return path;
}

/** `<root>/<wallet>/hotkeys/<name>` */
export function hotkeyPath(root: string, wallet: string, name: string): string {
  return join(root, wallet, 'hotkeys', name);
}

/**
 * A wallet root as years of btcli, bittensor v7 and btwallet leave it, plus
 * junk: every format and several variants. Passwords: PASSWORD for all
 * encrypted files. Returns the root; see the comments for what each holds.
 */
export async function buildWalletTree(root?: string): Promise<string> {
  root ??= await tempDir('dendrite-wallets-');
  const aliceFile = btwalletJson({ accountId: ALICE.publicKey, publicKey: ALICE.publicKey, privateKey: ALICE.privateKey, ss58Address: ALICE.address, cryptoType: 1 });
  // alice: btcli 9-style wallet, `--uri alice` coldkey encrypted with $NACL.
  await put(join(root, 'alice', 'coldkey'), await naclSeal(aliceFile));
  await put(join(root, 'alice', 'coldkeypub.txt'), pubKeyfile(ALICE));
  // Bob as the plaintext default hotkey (canonical privateKey only), too-open permissions.
  await put(hotkeyPath(root, 'alice', 'default'), btwalletJson({ publicKey: BOB.publicKey, privateKey: BOB.privateKey, ss58Address: BOB.address }), 0o644);
  await put(hotkeyPath(root, 'alice', 'defaultpub.txt'), pubKeyfile(BOB));
  // A NaCl-encrypted hotkey with its pub file; an Ansible one without.
  await put(hotkeyPath(root, 'alice', 'enc'), await naclSeal(btwalletJson(fullKeyfile(OLD_LEOPARD))));
  await put(hotkeyPath(root, 'alice', 'encpub.txt'), pubKeyfile(OLD_LEOPARD));
  await put(hotkeyPath(root, 'alice', 'vault'), ansibleVaultEncrypt(btwalletJson(fullKeyfile(DEV)), PASSWORD));
  // bittensor v7 layout: json.dumps with nulls.
  await put(hotkeyPath(root, 'alice', 'legacy'), v7Json({ ...fullKeyfile(DEV), secretPhrase: null }));
  // Only the public file of a hotkey.
  await put(hotkeyPath(root, 'alice', 'watchpub.txt'), pubKeyfile(ALICE));
  // Junk btcli skips.
  await put(hotkeyPath(root, 'alice', '.DS_Store'), Buffer.from([0, 0, 0, 1, 66, 117, 100, 49]));
  await put(hotkeyPath(root, 'alice', 'notes'), 'remember to stake\n');
  // old: bittensor v7 era, raw-hex coldkeypub.txt and a Fernet coldkey.
  await put(join(root, 'old', 'coldkeypub.txt'), ALICE.publicKey);
  await put(join(root, 'old', 'coldkey'), fernetEncrypt(aliceFile));
  await put(hotkeyPath(root, 'old', 'default'), `${OLD_LEOPARD.phrase}\n`);
  // minerbox: a server holding only a hotkey.
  await put(hotkeyPath(root, 'minerbox', 'default'), btwalletJson(fullKeyfile(DEV)));
  // Not wallets.
  await mkdir(join(root, 'junkdir', 'sub'), { recursive: true });
  await mkdir(join(root, '.cache', 'hotkeys'), { recursive: true });
  await put(join(root, 'README.txt'), 'not a wallet\n');
  return root;
}
