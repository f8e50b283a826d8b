import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NETWORKS, networkNameOfUrl, resolveNetwork, selectNetwork } from '../../src/chain/networks.js';
import { DendriteError } from '../../src/errors.js';

const noConfig = { HOME: '/nonexistent-home-for-tests' };

describe('chain networks (CHAIN.md A1)', () => {
  it('knows the SDK names and endpoints', () => {
    expect(NETWORKS).toEqual(['finney', 'test', 'archive', 'local', 'latent-lite']);
    expect(resolveNetwork('finney', noConfig)).toEqual({ name: 'finney', url: 'wss://entrypoint-finney.opentensor.ai:443' });
    expect(resolveNetwork('test', noConfig).url).toBe('wss://test.finney.opentensor.ai:443');
    expect(resolveNetwork('archive', noConfig).url).toBe('wss://archive.chain.opentensor.ai:443');
    expect(resolveNetwork('local', noConfig).url).toBe('ws://127.0.0.1:9944');
    expect(resolveNetwork('latent-lite', noConfig).url).toBe('wss://lite.sub.latent.to:443');
  });

  it('lets BT_SUBTENSOR_CHAIN_ENDPOINT override local only', () => {
    const env = { ...noConfig, BT_SUBTENSOR_CHAIN_ENDPOINT: 'ws://127.0.0.1:19944' };
    expect(resolveNetwork('local', env)).toEqual({ name: 'local', url: 'ws://127.0.0.1:19944' });
    expect(resolveNetwork('finney', env).url).toBe('wss://entrypoint-finney.opentensor.ai:443');
  });

  it('takes ws:// and wss:// URLs and names them like determine_chain_endpoint_and_network', () => {
    expect(resolveNetwork('ws://127.0.0.1:1234', noConfig)).toEqual({ name: 'local', url: 'ws://127.0.0.1:1234' });
    expect(resolveNetwork('wss://example.org:443', noConfig)).toEqual({ name: 'unknown', url: 'wss://example.org:443' });
    expect(networkNameOfUrl('wss://entrypoint-finney.opentensor.ai:443')).toBe('finney');
    expect(networkNameOfUrl('wss://test.finney.opentensor.ai:443')).toBe('test');
    expect(networkNameOfUrl('wss://archive.chain.opentensor.ai:443')).toBe('archive');
    expect(networkNameOfUrl('ws://localhost:9944')).toBe('local');
  });

  it('rejects unknown names with a usage error that lists the choices', () => {
    try {
      resolveNetwork('mainnet', noConfig);
      expect.fail('no error');
    } catch (e) {
      expect(e).toBeInstanceOf(DendriteError);
      expect((e as DendriteError).kind).toBe('usage');
      expect((e as DendriteError).code).toBe('unknown_network');
      expect((e as Error).message).toContain('finney');
    }
    expect(() => resolveNetwork('http://127.0.0.1:9944', noConfig)).toThrow(/unknown network/);
  });

  it('defaults to finney, then btcli config.yml network, then the flag', () => {
    expect(selectNetwork(undefined, noConfig).name).toBe('finney');
    const dir = mkdtempSync(join(tmpdir(), 'dendrite-net-'));
    const cfg = join(dir, 'config.yml');
    writeFileSync(cfg, 'wallet_name: default\nnetwork: test\n');
    const env = { HOME: dir, BTCLI_CONFIG_PATH: cfg };
    expect(selectNetwork(undefined, env).name).toBe('test');
    expect(selectNetwork('local', env).name).toBe('local');
    // ~/.bittensor/config.yml is the default location
    const home = mkdtempSync(join(tmpdir(), 'dendrite-home-'));
    mkdirSync(join(home, '.bittensor'));
    writeFileSync(join(home, '.bittensor', 'config.yml'), 'network: ws://127.0.0.1:5555\n');
    expect(selectNetwork(undefined, { HOME: home })).toEqual({ name: 'local', url: 'ws://127.0.0.1:5555' });
  });

  it('reports a bad BT_SUBTENSOR_CHAIN_ENDPOINT or config network as config errors (exit 3)', () => {
    expect(() => resolveNetwork('local', { BT_SUBTENSOR_CHAIN_ENDPOINT: '127.0.0.1:9944' })).toThrow(expect.objectContaining({ kind: 'environment', code: 'bad_chain_endpoint' }));
    const dir = mkdtempSync(join(tmpdir(), 'dendrite-net-'));
    const cfg = join(dir, 'config.yml');
    writeFileSync(cfg, 'network: mainnet\n');
    expect(() => selectNetwork(undefined, { BTCLI_CONFIG_PATH: cfg })).toThrow(expect.objectContaining({ kind: 'environment', code: 'btcli_config_network' }));
    expect(() => selectNetwork(undefined, { BTCLI_CONFIG_PATH: cfg })).toThrow(new RegExp(`${cfg}: network "mainnet"`));
    // the flag wins over a broken config value
    expect(selectNetwork('test', { BTCLI_CONFIG_PATH: cfg }).name).toBe('test');
  });

  it('reports a broken config.yml as a config error (exit 3)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dendrite-net-'));
    const cfg = join(dir, 'config.yml');
    writeFileSync(cfg, 'network: [unclosed\n');
    expect(() => selectNetwork(undefined, { BTCLI_CONFIG_PATH: cfg })).toThrow(expect.objectContaining({ kind: 'environment', code: 'ERR_CONFIG_INVALID' }));
  });
});
