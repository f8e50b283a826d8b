import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WalletError } from '../../src/errors.js';
import { style, renderWalletList, renderWalletShow } from '../../src/render/wallet.js';
import { listWallets, showWallet } from '../../src/wallet/list.js';
import { ALICE, BOB, DEV, OLD_LEOPARD, allSecrets, buildWalletTree, put, tempDir } from '../support/wallet-fixtures.js';

describe('listWallets', () => {
  it('lists wallets with coldkey addresses and hotkeys, skipping pub files, junk and non-wallets, without a password', async () => {
    const root = await buildWalletTree();
    await put(join(root, 'alice', 'hotkeys', 'big.bin'), Buffer.alloc(100_000, 0x7b));
    const l = await listWallets(root);
    expect(l.wallets.map((w) => w.name)).toEqual(['alice', 'minerbox', 'old']);
    const [alice, minerbox, old] = l.wallets;
    expect(alice!.coldkeyAddress).toBe(ALICE.address);
    expect(alice!.coldkey).toMatchObject({ exists: true, format: 'nacl', encrypted: true, mode: 0o600 });
    expect(alice!.hotkeys.map((h) => [h.name, h.address, h.keyfile.exists ? h.keyfile.format : 'none'])).toEqual([
      ['default', BOB.address, 'json'],
      ['enc', OLD_LEOPARD.address, 'nacl'],
      ['legacy', DEV.address, 'json'],
      ['vault', undefined, 'ansible-vault'],
      ['watch', ALICE.address, 'none'],
    ]);
    expect(alice!.skipped).toEqual(['.DS_Store', 'big.bin', 'notes']);
    expect(minerbox!.coldkeyAddress).toBeUndefined();
    expect(minerbox!.hotkeys).toMatchObject([{ name: 'default', address: DEV.address }]);
    expect(old!.coldkeyAddress).toBe(ALICE.address);
    expect(old!.coldkey.format).toBe('fernet');
    expect(old!.hotkeys).toMatchObject([{ name: 'default', address: OLD_LEOPARD.address }]);
  });

  it('renders a tree that names every hotkey and leaks no secret', async () => {
    const root = await buildWalletTree();
    const text = renderWalletList(await listWallets(root));
    expect(text).toContain(`alice  coldkey ${ALICE.address}`);
    expect(text).toMatch(new RegExp(`├─ enc +${OLD_LEOPARD.address}  encrypted \\(nacl\\)`));
    expect(text).toMatch(/└─ watch +5Grwva\S+ +public only/);
    expect(text).toContain('minerbox  coldkey unknown (no coldkeypub.txt)');
    for (const s of allSecrets()) expect(text).not.toContain(s);
    expect(renderWalletList(await listWallets(root), style(true))).toContain('\x1b[1malice\x1b[22m');
  });

  it('fails for a wallet path that does not exist', async () => {
    const root = join(await tempDir(), 'missing');
    await expect(listWallets(root)).rejects.toThrow(new WalletError('ERR_WALLET_PATH_NOT_FOUND', `wallet path ${root} does not exist; pass --wallet-path DIR or set BT_WALLET_PATH`));
  });
});

describe('showWallet', () => {
  it('shows addresses, files and formats, and warns about a group-readable keyfile', async () => {
    const root = await buildWalletTree();
    const s = await showWallet({ walletPath: root, wallet: 'alice', hotkey: 'default' });
    expect(s.coldkeyAddress).toBe(ALICE.address);
    expect(s.hotkey.address).toBe(BOB.address);
    expect(s.hotkey.keyfile).toMatchObject({ file: join(root, 'alice', 'hotkeys', 'default'), format: 'json', mode: 0o644 });
    expect(s.warnings).toEqual([`keyfile ${join(root, 'alice', 'hotkeys', 'default')} is accessible by group or others (mode 0644); run chmod 600 ${join(root, 'alice', 'hotkeys', 'default')}`]);
    const text = renderWalletShow(s);
    expect(text).toMatch(/^wallet +alice/m);
    expect(text).toMatch(new RegExp(`coldkey +${join(root, 'alice', 'coldkey')} +nacl, encrypted 0600`));
    for (const secret of allSecrets()) expect(text).not.toContain(secret);
  });

  it('warns when a keyfile disagrees with its pub file, and shows a missing hotkey as missing', async () => {
    const root = await buildWalletTree();
    const { writeFile } = await import('node:fs/promises');
    const s = await showWallet({ walletPath: root, wallet: 'alice', hotkey: 'legacy' });
    expect(s.warnings).toEqual([]);
    expect(s.hotkey.pubfile.exists).toBe(false);
    expect(renderWalletShow(s)).toMatch(/pubfile .*legacypub\.txt +missing/);
    const bad = await showWallet({ walletPath: root, wallet: 'minerbox', hotkey: 'default' });
    expect(bad.coldkey.exists).toBe(false);
    await writeFile(join(root, 'minerbox', 'hotkeys', 'defaultpub.txt'), JSON.stringify({ ss58Address: BOB.address }));
    expect((await showWallet({ walletPath: root, wallet: 'minerbox', hotkey: 'default' })).warnings[0]).toMatch(/does not match .*defaultpub\.txt/);
  });

  it('fails for a missing wallet, saying how to list them', async () => {
    const root = await buildWalletTree();
    await expect(showWallet({ walletPath: root, wallet: 'nobody', hotkey: 'default' })).rejects.toMatchObject({
      code: 'ERR_WALLET_NOT_FOUND',
      message: `wallet nobody not found in ${root}; list wallets with \`dendrite wallet list --wallet-path ${root}\``,
    });
  });
});
