/**
 * Loading the hotkey that signs requests: the entry point the query and ping
 * commands call. Encrypted hotkeys are unlocked with a password from
 * `--password-env`, `BT_PW_<PATH>` or the injected prompt (see unlock.ts).
 */
import { stat } from 'node:fs/promises';
import { WalletError } from '../errors.js';
import { pairFromUri } from '../crypto/derive.js';
import type { Signer, Sr25519Pair } from '../crypto/sr25519.js';
import { homeOf } from './config.js';
import { ed25519NotAHotkey } from './keyfile.js';
import { coldkeyFile, hotkeyFile, resolveWalletSelection, type ResolvedWallet, type WalletSelection } from './paths.js';
import { loadKeyfile, type LoadedKeyfile, type UnlockOptions } from './unlock.js';

export interface HotkeyOptions extends WalletSelection, UnlockOptions {
  /** A development secret URI such as `//Alice`; takes precedence over the wallet. */
  uri?: string | undefined;
  /** Told about problems that do not stop signing, e.g. a keyfile others can read (btcli writes 0600). */
  onWarning?: ((message: string) => void) | undefined;
}

const HOTKEY_HINT =
  'choose a wallet with --wallet/--hotkey (or --wallet-path), list them with `dendrite wallet list`, or use --uri //Alice for a development key';

/**
 * The keyfile path as bittensor-wallet would spell it from the root the user
 * gave (only `~` expanded), when that differs from our resolved path: its
 * `BT_PW_<PATH>` variable is named after that spelling.
 */
function pathAlias(sel: ResolvedWallet, rest: string, env: NodeJS.ProcessEnv): string[] {
  const given = sel.walletPathAsGiven;
  if (given === undefined || given === 'default') return [];
  const expanded = given === '~' || given.startsWith('~/') ? homeOf(env) + given.slice(1) : given;
  return [`${expanded.replace(/\/+$/, '')}/${rest}`];
}

/** Loads a wallet keyfile (hotkey or coldkey) with the options' password sources. */
export async function loadWalletKey(which: 'hotkey' | 'coldkey', opts: HotkeyOptions = {}): Promise<LoadedKeyfile> {
  const env = opts.env ?? process.env;
  const sel = resolveWalletSelection(opts, env);
  const file = which === 'hotkey' ? hotkeyFile(sel.walletPath, sel.wallet, sel.hotkey) : coldkeyFile(sel.walletPath, sel.wallet);
  const rest = which === 'hotkey' ? `${sel.wallet}/hotkeys/${sel.hotkey}` : `${sel.wallet}/coldkey`;
  return loadKeyfile(file, which, HOTKEY_HINT, { ...opts, env, pathAliases: pathAlias(sel, rest, env) });
}

export async function loadHotkey(opts: HotkeyOptions = {}): Promise<Signer> {
  if (opts.uri !== undefined) {
    try {
      return await pairFromUri(opts.uri);
    } catch {
      throw new WalletError('ERR_INVALID_URI', `--uri is not a valid secret URI; use a form like //Alice or "<phrase>//hard/soft"`);
    }
  }
  const key = await loadWalletKey('hotkey', opts);
  const pair = hotkeyPair(key);
  if (opts.onWarning) {
    const mode = (await stat(key.file).catch(() => undefined))?.mode;
    if (mode !== undefined && (mode & 0o077) !== 0) {
      const octal = (mode & 0o777).toString(8).padStart(4, '0');
      opts.onWarning(`hotkey file ${key.file} is readable by others (mode ${octal}); run chmod 600 ${key.file}`);
    }
  }
  return pair;
}

/** The signing pair of a loaded hotkey, or the error for a key that cannot sign requests. */
export function hotkeyPair(key: LoadedKeyfile): Sr25519Pair {
  if (key.type === 'ed25519') throw ed25519NotAHotkey(key.file);
  if (key.type === 'public') {
    throw new WalletError('ERR_KEYFILE_PUBLIC_ONLY', `hotkey file ${key.file} holds only a public key and cannot sign; regenerate the hotkey with its mnemonic`);
  }
  return key.pair;
}
