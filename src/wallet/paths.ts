/** Where wallets live and which one is selected (WALLET.md §1). */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export interface WalletSelection {
  /** Wallet root. Default `~/.bittensor/wallets`, env `BT_WALLET_PATH`. */
  walletPath?: string | undefined;
  /** Wallet name. Default `default`, env `BT_WALLET_NAME`. */
  wallet?: string | undefined;
  /** Hotkey name. Default `default`, env `BT_WALLET_HOTKEY`. */
  hotkey?: string | undefined;
}

export const DEFAULT_WALLET_PATH = '~/.bittensor/wallets';

/** Expands `~` and `~/…` and resolves to an absolute path; `"default"` means the default root, as in btcli. */
export function expandWalletPath(p: string, home = homedir()): string {
  if (p === 'default') p = DEFAULT_WALLET_PATH;
  if (p === '~') return home;
  if (p.startsWith('~/')) return join(home, p.slice(2));
  return resolve(p);
}

/** Applies flags > environment > defaults. */
export function resolveWalletSelection(
  sel: WalletSelection,
  env: NodeJS.ProcessEnv = process.env,
): { walletPath: string; wallet: string; hotkey: string } {
  return {
    walletPath: expandWalletPath(sel.walletPath ?? env.BT_WALLET_PATH ?? DEFAULT_WALLET_PATH),
    wallet: sel.wallet ?? env.BT_WALLET_NAME ?? 'default',
    hotkey: sel.hotkey ?? env.BT_WALLET_HOTKEY ?? 'default',
  };
}

export function hotkeyFile(root: string, wallet: string, hotkey: string): string {
  return join(root, wallet, 'hotkeys', hotkey);
}

export function coldkeyPubFile(root: string, wallet: string): string {
  return join(root, wallet, 'coldkeypub.txt');
}
