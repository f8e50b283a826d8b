/**
 * Network names and endpoints, as the Python SDK knows them (CHAIN.md A1).
 * Precedence: `--network` > btcli's `network` in config.yml > `finney`.
 */
import { btcliConfigPath, readBtcliConfig } from '../wallet/config.js';
import { ConfigError, UsageError } from '../errors.js';

export const DEFAULT_NETWORK = 'finney';
export const LOCAL_ENDPOINT = 'ws://127.0.0.1:9944';

export const NETWORK_ENDPOINTS: Readonly<Record<string, string>> = {
  finney: 'wss://entrypoint-finney.opentensor.ai:443',
  test: 'wss://test.finney.opentensor.ai:443',
  archive: 'wss://archive.chain.opentensor.ai:443',
  local: LOCAL_ENDPOINT,
  'latent-lite': 'wss://lite.sub.latent.to:443',
};

export const NETWORKS = Object.keys(NETWORK_ENDPOINTS);

export interface ResolvedNetwork {
  /** SDK name, or `unknown` for a URL the SDK does not recognise. */
  name: string;
  url: string;
}

/** Python's `determine_chain_endpoint_and_network` for a URL. */
export function networkNameOfUrl(url: string): string {
  if (url.includes('entrypoint-finney.opentensor.ai')) return 'finney';
  if (url.includes('test.finney.opentensor.ai')) return 'test';
  if (url.includes('archive.chain.opentensor.ai')) return 'archive';
  if (url.includes('127.0.0.1') || url.includes('localhost')) return 'local';
  if (url.includes('lite.sub.latent.to')) return 'latent-lite';
  return 'unknown';
}

/**
 * Turns a network name or ws(s):// URL into the endpoint to dial.
 * `local` honours `BT_SUBTENSOR_CHAIN_ENDPOINT`, as the SDK's settings do.
 */
export function resolveNetwork(input: string, env: NodeJS.ProcessEnv = process.env): ResolvedNetwork {
  const value = input.trim();
  if (/^wss?:\/\//i.test(value)) {
    try {
      new URL(value);
    } catch {
      throw new UsageError('bad_network', `--network "${input}" is not a valid URL: give e.g. ws://127.0.0.1:9944`);
    }
    return { name: networkNameOfUrl(value), url: value };
  }
  const name = value.toLowerCase();
  const url = NETWORK_ENDPOINTS[name];
  if (!url) {
    throw new UsageError(
      'unknown_network',
      `unknown network "${input}": use one of ${NETWORKS.join(', ')} or a ws:// / wss:// URL`,
    );
  }
  const override = env.BT_SUBTENSOR_CHAIN_ENDPOINT?.trim();
  if (name === 'local' && override) {
    if (!/^wss?:\/\/./i.test(override)) {
      throw new ConfigError('bad_chain_endpoint', `BT_SUBTENSOR_CHAIN_ENDPOINT "${override}" is not a ws:// or wss:// URL: fix it or unset it`);
    }
    return { name, url: override };
  }
  return { name, url };
}

/** btcli's configured `network`, if any (the one reader of btcli's config.yml is src/wallet/config.ts). */
export function btcliConfigNetwork(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const n = readBtcliConfig(env).network?.trim();
  return n ? n : undefined;
}

/** Flag > btcli config > default. */
export function selectNetwork(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): ResolvedNetwork {
  if (flag !== undefined) return resolveNetwork(flag, env);
  const configured = btcliConfigNetwork(env);
  if (configured === undefined) return resolveNetwork(DEFAULT_NETWORK, env);
  try {
    return resolveNetwork(configured, env);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    // Not the command line's fault: point at the file instead.
    throw new ConfigError('btcli_config_network', `${btcliConfigPath(env)}: network "${configured}" is not a known network or ws:// URL: fix it or pass --network`);
  }
}
