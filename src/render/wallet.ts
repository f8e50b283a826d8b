/**
 * Text for `dendrite wallet list|show|check`: pure functions from the wallet
 * core's data to lines. Colour is the caller's decision (its stream's TTY).
 */
import type { KeyfileInfo, WalletListing, WalletShow } from '../wallet/list.js';

export interface Style {
  bold(s: string): string;
  dim(s: string): string;
  yellow(s: string): string;
  red(s: string): string;
  green(s: string): string;
}

const sgr = (on: number, off: number) => (s: string) => `\x1b[${on}m${s}\x1b[${off}m`;
export function style(color: boolean): Style {
  const id = (s: string): string => s;
  return color
    ? { bold: sgr(1, 22), dim: sgr(2, 22), yellow: sgr(33, 39), red: sgr(31, 39), green: sgr(32, 39) }
    : { bold: id, dim: id, yellow: id, red: id, green: id };
}

/** "nacl, encrypted" / "json" / "missing" / the problem. */
export function describeKeyfile(k: KeyfileInfo, s: Style = style(false)): string {
  if (!k.exists) return s.dim(k.problem ? `unusable (${k.problem})` : 'missing');
  if (k.problem && k.format === 'json') return s.red(`unreadable: ${k.problem}`);
  if (k.problem) return s.red(k.problem);
  const mode = k.mode !== undefined ? ` ${k.mode.toString(8).padStart(4, '0')}` : '';
  return `${k.encrypted ? s.yellow(`${k.format}, encrypted`) : `${k.format}, plaintext`}${s.dim(mode)}`;
}

function pad(rows: string[][]): string[] {
  // Widths from the raw text; callers colour only the last column.
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd());
}

export function renderWalletList(l: WalletListing, s: Style = style(false)): string {
  if (l.wallets.length === 0) return `No wallets in ${l.walletPath}\n`;
  const out: string[] = [`Wallets in ${l.walletPath}`, ''];
  for (const w of l.wallets) {
    const cold = w.coldkeyAddress ?? s.dim(w.coldkeypub.exists ? `unknown (${describeKeyfile(w.coldkeypub)})` : 'unknown (no coldkeypub.txt)');
    out.push(`${s.bold(w.name)}  coldkey ${cold}`);
    if (w.hotkeys.length === 0) out.push(s.dim('  (no hotkeys)'));
    const rows = w.hotkeys.map((h, i) => [
      `  ${i === w.hotkeys.length - 1 ? '└─' : '├─'} ${h.name}`,
      h.address ?? '?',
      h.keyfile.exists ? (h.keyfile.encrypted ? `encrypted (${h.keyfile.format})` : 'plaintext') : 'public only',
    ]);
    out.push(...pad(rows));
    out.push('');
  }
  return out.join('\n');
}

export function renderWalletShow(w: WalletShow, s: Style = style(false)): string {
  const rows: string[][] = [
    ['wallet', w.wallet, s.dim(`${w.walletPath}`)],
    ['coldkey', w.coldkeyAddress ?? '?', ''],
    ['  coldkey', w.coldkey.file, describeKeyfile(w.coldkey, s)],
    ['  coldkeypub', w.coldkeypub.file, describeKeyfile(w.coldkeypub, s)],
    ['hotkey', w.hotkeyName, w.hotkey.address ?? '?'],
    ['  keyfile', w.hotkey.keyfile.file, describeKeyfile(w.hotkey.keyfile, s)],
    ['  pubfile', w.hotkey.pubfile.file, describeKeyfile(w.hotkey.pubfile, s)],
  ];
  return pad(rows).join('\n') + '\n';
}

export interface CheckResult {
  key: 'hotkey' | 'coldkey';
  file: string;
  format: string;
  type: 'sr25519' | 'ed25519' | 'public';
  source?: string;
  address: string;
  publicKey: string;
  /** A probe signature verified against the file's public key. */
  signs: boolean;
}

export function renderCheck(c: CheckResult, s: Style = style(false)): string {
  const what = c.type === 'public' ? 'public key only, cannot sign' : `${c.type} from ${c.source}${c.signs ? ', signature verified' : ''}`;
  return `${s.bold(c.key)} ${c.address}  ${s.green('ok')}  ${what}  ${s.dim(`(${c.format}) ${c.file}`)}\n`;
}
