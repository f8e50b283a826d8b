/**
 * btcli's config file (WALLET.md §1): `~/.bittensor/config.yml`, or the file
 * named by `BTCLI_CONFIG_PATH`; YAML with `wallet_name`, `wallet_path` and
 * `wallet_hotkey`, and `network` (read by the chain code). Read so that a
 * btcli user's defaults carry over. The YAML parser loads only when a file exists.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { ConfigError } from '../errors.js';

export interface BtcliWalletConfig {
  /** The file that was read, or would have been. */
  file: string;
  walletName?: string;
  walletPath?: string;
  walletHotkey?: string;
  /** btcli's `network`: a network name or a URL. */
  network?: string;
}

// Synchronous on purpose (the callers are), and lazy: most runs have no config file.
const requireYaml = (): typeof import('yaml') => createRequire(import.meta.url)('yaml') as typeof import('yaml');

export function homeOf(env: NodeJS.ProcessEnv): string {
  return env.HOME || homedir();
}

export function btcliConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.BTCLI_CONFIG_PATH || join(homeOf(env), '.bittensor', 'config.yml');
}

/**
 * Reads the wallet keys of btcli's config. A missing file is no config; an
 * unreadable or malformed one is an error naming it, since silently ignoring
 * it would select a different wallet than btcli does.
 */
export function readBtcliConfig(env: NodeJS.ProcessEnv = process.env): BtcliWalletConfig {
  const file = btcliConfigPath(env);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { file };
    throw new ConfigError('ERR_CONFIG_UNREADABLE', `cannot read btcli config ${file} (${code ?? 'error'}); fix its permissions or set BTCLI_CONFIG_PATH`);
  }
  let doc: unknown;
  try {
    doc = requireYaml().parse(text);
  } catch {
    throw new ConfigError('ERR_CONFIG_INVALID', `btcli config ${file} is not valid YAML; fix it or set BTCLI_CONFIG_PATH to another file`);
  }
  if (doc === null || doc === undefined) return { file };
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    throw new ConfigError('ERR_CONFIG_INVALID', `btcli config ${file} is not a YAML mapping; fix it or set BTCLI_CONFIG_PATH to another file`);
  }
  const rec = doc as Record<string, unknown>;
  const out: BtcliWalletConfig = { file };
  for (const [key, field] of [['wallet_name', 'walletName'], ['wallet_path', 'walletPath'], ['wallet_hotkey', 'walletHotkey'], ['network', 'network']] as const) {
    const v = rec[key];
    if (v === undefined || v === null || v === '') continue; // btcli writes null for unset keys
    if (typeof v === 'string') out[field] = v;
    else if (typeof v === 'number') out[field] = String(v); // `wallet_hotkey: 1` is a YAML number
    else throw new ConfigError('ERR_CONFIG_INVALID', `btcli config ${file}: ${key} must be a string`);
  }
  return out;
}
