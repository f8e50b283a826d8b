/**
 * What is on disk, without a password: the wallets under a root, their
 * coldkey addresses (from `coldkeypub.txt`), their hotkeys with addresses and
 * formats, and permission problems. Returns data; rendering is elsewhere.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DendriteError, WalletError } from '../errors.js';
import { encodeAddress } from '../crypto/ss58.js';
import { claimedPublicKey, detectKeyfileFormat, keyFromKeyfile, parseKeyfileText, type KeyfileFormat, type KeyfileRole } from './keyfile.js';
import { coldkeyFile, coldkeyPubFile, hotkeyFile, hotkeyPubFile, walletDir, type ResolvedWallet } from './paths.js';

export interface KeyfileInfo {
  file: string;
  exists: boolean;
  format?: KeyfileFormat;
  encrypted?: boolean;
  /** SS58 address, when readable without a password. */
  address?: string;
  /** Permission bits, e.g. 0o600. */
  mode?: number;
  /** Why the file could not be read or parsed (one line, never a secret). */
  problem?: string;
}

export interface HotkeyInfo {
  name: string;
  /** Address from the keyfile, else from `<name>pub.txt`. */
  address?: string;
  keyfile: KeyfileInfo;
  pubfile: KeyfileInfo;
}

export interface WalletInfo {
  name: string;
  path: string;
  /** From `coldkeypub.txt`, else from a plaintext `coldkey`. */
  coldkeyAddress?: string;
  coldkey: KeyfileInfo;
  coldkeypub: KeyfileInfo;
  hotkeys: HotkeyInfo[];
  /** Entries of `hotkeys/` that are not hotkeys (junk, unparsable files), as btcli skips them. */
  skipped: string[];
}

export interface WalletListing {
  walletPath: string;
  wallets: WalletInfo[];
}

const MAX_KEYFILE_BYTES = 64 * 1024;

/** Reads one keyfile's public facts. Never asks for a password; encrypted files give no address. */
export async function inspectKeyfile(file: string, role: KeyfileRole): Promise<KeyfileInfo> {
  let raw: Buffer;
  let mode: number;
  try {
    const st = await stat(file);
    if (!st.isFile()) return { file, exists: false, problem: 'not a regular file' };
    // Keyfiles are under a kilobyte; a listing must not read a stray large file into memory.
    if (st.size > MAX_KEYFILE_BYTES) return { file, exists: true, mode: st.mode & 0o777, problem: `too large to be a keyfile (${st.size} bytes)` };
    mode = st.mode & 0o777;
    raw = await readFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { file, exists: false };
    return { file, exists: true, problem: `cannot read (${code ?? 'error'})` };
  }
  const format = detectKeyfileFormat(raw);
  const info: KeyfileInfo = { file, exists: true, format, encrypted: format !== 'json', mode };
  if (format !== 'json') return info;
  try {
    const data = parseKeyfileText(raw.toString('utf8'), file, role);
    // The claimed address is enough, and cheap; derive only when the file states none.
    const pub = claimedPublicKey(data, file);
    info.address = pub ? encodeAddress(pub) : (await keyFromKeyfile(data, file)).address;
  } catch (e) {
    if (!(e instanceof DendriteError)) throw e;
    info.problem = e.message;
  } finally {
    raw.fill(0);
  }
  return info;
}

/** Group or other permission bits on a file that may hold a secret (btcli writes 0600). */
export function tooOpen(info: KeyfileInfo): boolean {
  return info.exists && info.mode !== undefined && (info.mode & 0o077) !== 0;
}

async function listDir(dir: string): Promise<import('node:fs').Dirent[]> {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

async function isDirectory(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}

async function hotkeyInfo(root: string, wallet: string, name: string): Promise<HotkeyInfo> {
  const [keyfile, pubfile] = await Promise.all([
    inspectKeyfile(hotkeyFile(root, wallet, name), 'secret'),
    inspectKeyfile(hotkeyPubFile(root, wallet, name), 'public'),
  ]);
  const address = keyfile.address ?? pubfile.address;
  return { name, keyfile, pubfile, ...(address ? { address } : {}) };
}

/** One wallet's coldkey and hotkeys. Hotkey names ending in `pub.txt` and dotfiles are not hotkeys. */
export async function inspectWallet(root: string, name: string): Promise<WalletInfo> {
  const [coldkey, coldkeypub] = await Promise.all([inspectKeyfile(coldkeyFile(root, name), 'secret'), inspectKeyfile(coldkeyPubFile(root, name), 'public')]);
  const entries = await listDir(join(walletDir(root, name), 'hotkeys'));
  const files = entries.filter((e) => (e.isFile() || e.isSymbolicLink()) && !e.name.startsWith('.')).map((e) => e.name);
  const full = files.filter((n) => !n.endsWith('pub.txt'));
  // A `<name>pub.txt` without its keyfile still names a hotkey (public only), as btcli shows it.
  const pubOnly = files.filter((n) => n.endsWith('pub.txt') && n !== 'pub.txt' && !full.includes(n.slice(0, -'pub.txt'.length))).map((n) => n.slice(0, -'pub.txt'.length));
  const hotkeys: HotkeyInfo[] = [];
  const skipped = entries.filter((e) => e.name.startsWith('.') || e.isDirectory()).map((e) => e.name);
  for (const h of [...full, ...pubOnly].sort()) {
    const info = await hotkeyInfo(root, name, h);
    // Unreadable plaintext with no pub file to name it is junk to btcli too.
    if (info.keyfile.problem && !info.keyfile.encrypted && !info.address) skipped.push(h);
    else hotkeys.push(info);
  }
  const coldkeyAddress = coldkeypub.address ?? coldkey.address;
  return { name, path: walletDir(root, name), coldkey, coldkeypub, hotkeys, skipped: skipped.sort(), ...(coldkeyAddress ? { coldkeyAddress } : {}) };
}

/**
 * Every wallet under the root: subdirectories holding a coldkey, a
 * coldkeypub.txt or a hotkeys/ folder (a hotkey-only wallet on a miner's
 * server counts); anything else there is not a wallet.
 */
export async function listWallets(root: string): Promise<WalletListing> {
  if (!(await isDirectory(root))) {
    throw new WalletError('ERR_WALLET_PATH_NOT_FOUND', `wallet path ${root} does not exist; pass --wallet-path DIR or set BT_WALLET_PATH`);
  }
  const names: string[] = [];
  for (const e of (await listDir(root)).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (e.name.startsWith('.')) continue;
    const dir = join(root, e.name);
    if (!(e.isDirectory() || (e.isSymbolicLink() && (await isDirectory(dir))))) continue;
    const marks = await listDir(dir);
    if (marks.some((m) => m.name === 'coldkey' || m.name === 'coldkeypub.txt' || m.name === 'hotkeys')) names.push(e.name);
  }
  return { walletPath: root, wallets: await Promise.all(names.map((n) => inspectWallet(root, n))) };
}

export interface WalletShow {
  walletPath: string;
  wallet: string;
  hotkeyName: string;
  coldkeyAddress?: string;
  coldkey: KeyfileInfo;
  coldkeypub: KeyfileInfo;
  hotkey: HotkeyInfo;
  /** One line each: permissions too open, a keyfile disagreeing with its pub file. */
  warnings: string[];
}

/** The selected wallet and hotkey, for `dendrite wallet show`. A missing wallet directory is an error. */
export async function showWallet(sel: ResolvedWallet): Promise<WalletShow> {
  const dir = walletDir(sel.walletPath, sel.wallet);
  if (!(await isDirectory(dir))) {
    throw new WalletError(
      'ERR_WALLET_NOT_FOUND',
      `wallet ${sel.wallet} not found in ${sel.walletPath}; list wallets with \`dendrite wallet list --wallet-path ${sel.walletPath}\``,
    );
  }
  const [coldkey, coldkeypub, hotkey] = await Promise.all([
    inspectKeyfile(coldkeyFile(sel.walletPath, sel.wallet), 'secret'),
    inspectKeyfile(coldkeyPubFile(sel.walletPath, sel.wallet), 'public'),
    hotkeyInfo(sel.walletPath, sel.wallet, sel.hotkey),
  ]);
  const warnings: string[] = [];
  for (const k of [coldkey, hotkey.keyfile]) {
    if (tooOpen(k)) {
      warnings.push(`keyfile ${k.file} is accessible by group or others (mode ${k.mode!.toString(8).padStart(4, '0')}); run chmod 600 ${k.file}`);
    }
  }
  for (const [full, pub] of [[coldkey, coldkeypub], [hotkey.keyfile, hotkey.pubfile]] as const) {
    if (full.address && pub.address && full.address !== pub.address) {
      warnings.push(`keyfile ${full.file} (${full.address}) does not match ${pub.file} (${pub.address})`);
    }
  }
  const coldkeyAddress = coldkeypub.address ?? coldkey.address;
  return { walletPath: sel.walletPath, wallet: sel.wallet, hotkeyName: sel.hotkey, coldkey, coldkeypub, hotkey, warnings, ...(coldkeyAddress ? { coldkeyAddress } : {}) };
}
