/** Where wallets live and which one is selected (WALLET.md §1). */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { homeOf, readBtcliConfig } from './config.js';

export interface WalletSelection {
  /** Wallet root. Default `~/.bittensor/wallets`, env `BT_WALLET_PATH`, btcli `wallet_path`. */
  walletPath?: string | undefined;
  /** Wallet name. Default `default`, env `BT_WALLET_NAME`, btcli `wallet_name`. */
  wallet?: string | undefined;
  /** Hotkey name. Default `default`, env `BT_WALLET_HOTKEY`, btcli `wallet_hotkey`. */
  hotkey?: string | undefined;
}

export interface ResolvedWallet {
  /** Absolute, `~` expanded. */
  walletPath: string;
  wallet: string;
  hotkey: string;
  /** The wallet root as given, before resolving, when it differs (for the `BT_PW_` lookup). */
  walletPathAsGiven?: string | undefined;
}

export const DEFAULT_WALLET_PATH = '~/.bittensor/wallets';

/** Expands `~` and `~/…` and resolves to an absolute path; `"default"` means the default root, as in btcli. */
export function expandWalletPath(p: string, home = homedir()): string {
  if (p === 'default') p = DEFAULT_WALLET_PATH;
  if (p === '~') return home;
  if (p.startsWith('~/')) return join(home, p.slice(2));
  return resolve(p);
}

/**
 * Applies flags > environment (`BT_WALLET_*`) > btcli's config.yml > defaults.
 * The config file is read only when a flag or variable leaves a value open.
 */
export function resolveWalletSelection(sel: WalletSelection, env: NodeJS.ProcessEnv = process.env): ResolvedWallet {
  const nonEmpty = (v: string | undefined): string | undefined => (v === undefined || v === '' ? undefined : v);
  let walletPath = nonEmpty(sel.walletPath) ?? nonEmpty(env.BT_WALLET_PATH);
  let wallet = nonEmpty(sel.wallet) ?? nonEmpty(env.BT_WALLET_NAME);
  let hotkey = nonEmpty(sel.hotkey) ?? nonEmpty(env.BT_WALLET_HOTKEY);
  if (walletPath === undefined || wallet === undefined || hotkey === undefined) {
    const cfg = readBtcliConfig(env);
    walletPath ??= cfg.walletPath;
    wallet ??= cfg.walletName;
    hotkey ??= cfg.walletHotkey;
  }
  walletPath ??= DEFAULT_WALLET_PATH;
  const absolute = expandWalletPath(walletPath, homeOf(env));
  return {
    walletPath: absolute,
    wallet: wallet ?? 'default',
    hotkey: hotkey ?? 'default',
    walletPathAsGiven: walletPath !== absolute ? walletPath : undefined,
  };
}

export function walletDir(root: string, wallet: string): string {
  return join(root, wallet);
}

export function hotkeyFile(root: string, wallet: string, hotkey: string): string {
  return join(root, wallet, 'hotkeys', hotkey);
}

/** `hotkeys/<name>pub.txt`, written since btwallet 4.0. */
export function hotkeyPubFile(root: string, wallet: string, hotkey: string): string {
  return join(root, wallet, 'hotkeys', `${hotkey}pub.txt`);
}

export function coldkeyFile(root: string, wallet: string): string {
  return join(root, wallet, 'coldkey');
}

export function coldkeyPubFile(root: string, wallet: string): string {
  return join(root, wallet, 'coldkeypub.txt');
}
