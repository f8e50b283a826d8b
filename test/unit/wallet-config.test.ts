import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { btcliConfigPath, readBtcliConfig } from '../../src/wallet/config.js';
import { expandWalletPath, resolveWalletSelection } from '../../src/wallet/paths.js';
import { put, tempDir } from '../support/wallet-fixtures.js';

describe('btcli config.yml (WALLET.md §1)', () => {
  it('is ~/.bittensor/config.yml unless BTCLI_CONFIG_PATH says otherwise', () => {
    expect(btcliConfigPath({ HOME: '/h' })).toBe('/h/.bittensor/config.yml');
    expect(btcliConfigPath({ HOME: '/h', BTCLI_CONFIG_PATH: '/etc/btcli.yml' })).toBe('/etc/btcli.yml');
  });

  it('reads wallet_name, wallet_path, wallet_hotkey and network; nulls and other keys are ignored', async () => {
    const home = await tempDir();
    await put(join(home, '.bittensor', 'config.yml'), 'wallet_name: miner\nwallet_path: ~/wallets\nwallet_hotkey: 1\nnetwork: finney\nuse_cache: true\nmetagraph_cols: {UID: true}\n');
    expect(readBtcliConfig({ HOME: home })).toEqual({ file: join(home, '.bittensor', 'config.yml'), walletName: 'miner', walletPath: '~/wallets', walletHotkey: '1', network: 'finney' });
    await put(join(home, 'null.yml'), 'wallet_name: null\nwallet_path:\nwallet_hotkey: hk\n');
    expect(readBtcliConfig({ HOME: home, BTCLI_CONFIG_PATH: join(home, 'null.yml') })).toEqual({ file: join(home, 'null.yml'), walletHotkey: 'hk' });
  });

  it('treats a missing or empty file as no config', async () => {
    const home = await tempDir();
    expect(readBtcliConfig({ HOME: home })).toEqual({ file: join(home, '.bittensor', 'config.yml') });
    await put(join(home, 'empty.yml'), '');
    expect(readBtcliConfig({ HOME: home, BTCLI_CONFIG_PATH: join(home, 'empty.yml') })).toEqual({ file: join(home, 'empty.yml') });
  });

  it('names a malformed file', async () => {
    const home = await tempDir();
    const file = await put(join(home, 'bad.yml'), 'wallet_name: [unclosed\n');
    expect(() => readBtcliConfig({ BTCLI_CONFIG_PATH: file })).toThrow(ConfigError);
    expect(() => readBtcliConfig({ BTCLI_CONFIG_PATH: file })).toThrow(`btcli config ${file} is not valid YAML; fix it or set BTCLI_CONFIG_PATH to another file`);
    const list = await put(join(home, 'list.yml'), '- a\n- b\n');
    expect(() => readBtcliConfig({ BTCLI_CONFIG_PATH: list })).toThrow(/is not a YAML mapping/);
    const obj = await put(join(home, 'obj.yml'), 'wallet_name: {a: 1}\n');
    expect(() => readBtcliConfig({ BTCLI_CONFIG_PATH: obj })).toThrow(/wallet_name must be a string/);
  });
});

describe('wallet selection precedence: flag > environment > config.yml > default', () => {
  it('applies each layer in order', async () => {
    const home = await tempDir();
    await put(join(home, '.bittensor', 'config.yml'), 'wallet_name: cfg-w\nwallet_path: ~/cfg-root\nwallet_hotkey: cfg-h\n');
    const env = { HOME: home };
    expect(resolveWalletSelection({}, env)).toMatchObject({ walletPath: join(home, 'cfg-root'), wallet: 'cfg-w', hotkey: 'cfg-h' });
    expect(resolveWalletSelection({}, { ...env, BT_WALLET_NAME: 'env-w', BT_WALLET_HOTKEY: 'env-h', BT_WALLET_PATH: '/env-root' })).toMatchObject({
      walletPath: '/env-root',
      wallet: 'env-w',
      hotkey: 'env-h',
    });
    expect(resolveWalletSelection({ wallet: 'flag-w', hotkey: 'flag-h', walletPath: '/flag-root' }, { ...env, BT_WALLET_NAME: 'env-w' })).toMatchObject({
      walletPath: '/flag-root',
      wallet: 'flag-w',
      hotkey: 'flag-h',
    });
    expect(resolveWalletSelection({ wallet: 'flag-w' }, env)).toMatchObject({ wallet: 'flag-w', hotkey: 'cfg-h' });
  });

  it('falls back to ~/.bittensor/wallets, default, default', async () => {
    const home = await tempDir();
    expect(resolveWalletSelection({}, { HOME: home })).toMatchObject({ walletPath: join(home, '.bittensor', 'wallets'), wallet: 'default', hotkey: 'default' });
  });

  it('expands ~ and takes "default" as the default root, as btcli does', () => {
    expect(expandWalletPath('~', '/h')).toBe('/h');
    expect(expandWalletPath('~/x/', '/h')).toBe('/h/x/');
    expect(expandWalletPath('default', '/h')).toBe('/h/.bittensor/wallets');
  });

  it('does not read a broken config when flags decide everything', async () => {
    const home = await tempDir();
    await put(join(home, '.bittensor', 'config.yml'), ': : :\n');
    expect(resolveWalletSelection({ wallet: 'a', hotkey: 'b', walletPath: '/r' }, { HOME: home })).toMatchObject({ wallet: 'a' });
    expect(() => resolveWalletSelection({ wallet: 'a' }, { HOME: home })).toThrow(/not valid YAML/);
  });
});
