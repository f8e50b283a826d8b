/** Loading the hotkey that signs requests (plaintext keyfiles; encrypted ones are detected). */
import { readFile } from 'node:fs/promises';
import { WalletError } from '../errors.js';
import { pairFromUri } from '../crypto/derive.js';
import type { Signer } from '../crypto/sr25519.js';
import { detectKeyfileFormat, pairFromKeyfile, parseKeyfileText } from './keyfile.js';
import { hotkeyFile, resolveWalletSelection, type WalletSelection } from './paths.js';

export interface HotkeyOptions extends WalletSelection {
  /** A development secret URI such as `//Alice`; takes precedence over the wallet. */
  uri?: string | undefined;
  env?: NodeJS.ProcessEnv;
}

export async function loadHotkey(opts: HotkeyOptions = {}): Promise<Signer> {
  if (opts.uri !== undefined) {
    try {
      return await pairFromUri(opts.uri);
    } catch {
      throw new WalletError('ERR_INVALID_URI', `--uri is not a valid secret URI; use a form like //Alice or "<phrase>//hard/soft"`);
    }
  }
  const sel = resolveWalletSelection(opts, opts.env);
  const file = hotkeyFile(sel.walletPath, sel.wallet, sel.hotkey);
  let raw: Buffer;
  try {
    raw = await readFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new WalletError(
        'ERR_WALLET_NOT_FOUND',
        `hotkey file ${file} not found; choose a wallet with --wallet/--hotkey (or --wallet-path), or use --uri //Alice for a development key`,
      );
    }
    throw new WalletError('ERR_WALLET_UNREADABLE', `cannot read hotkey file ${file} (${code ?? 'error'}); check its permissions`);
  }
  const format = detectKeyfileFormat(raw);
  if (format !== 'json') {
    throw new WalletError('ERR_KEYFILE_ENCRYPTED', `hotkey file ${file} is encrypted (${format}); decrypting keyfiles is not supported yet, use an unencrypted hotkey`);
  }
  const pair = await pairFromKeyfile(parseKeyfileText(raw.toString('utf8'), file), file);
  if (!pair) {
    throw new WalletError('ERR_KEYFILE_PUBLIC_ONLY', `hotkey file ${file} holds only a public key and cannot sign; regenerate the hotkey with its mnemonic`);
  }
  return pair;
}
