/**
 * Reading a keyfile from disk and, when it is encrypted, unlocking it with a
 * password from the environment or the injected prompt (WALLET.md §3).
 * The result is cached per file, so a process derives a file's key once.
 */
import { readFile } from 'node:fs/promises';
import { WalletError } from '../errors.js';
import type { DecryptHooks, EncryptedFormat } from './decrypt/index.js';
import { detectKeyfileFormat, keyFromKeyfile, parseKeyfileText, type KeyfileFormat, type KeyfileKey, type KeyfileRole } from './keyfile.js';
import { btPwVariableName, describeSource, passwordFromEnvironment, rustTrim, type PasswordSource } from './password.js';

/** What the prompt is told; it never receives a password back from the core. */
export interface PasswordRequest {
  file: string;
  format: EncryptedFormat;
  /** 1-based. */
  attempt: number;
  maxAttempts: number;
  /** The previous attempt was a wrong password. */
  retry: boolean;
}

/** Asks the user for a password; resolves undefined when they cancel. Given only when a terminal is attached. */
export type PasswordPrompt = (req: PasswordRequest) => Promise<string | undefined>;

export interface UnlockOptions extends DecryptHooks {
  env?: NodeJS.ProcessEnv | undefined;
  /** `--password-env VAR`: read the password from this variable. */
  passwordEnv?: string | undefined;
  prompt?: PasswordPrompt | undefined;
  /** Other spellings of the keyfile path, for the `BT_PW_<PATH>` lookup (e.g. the one the user typed). */
  pathAliases?: readonly string[] | undefined;
}

export const MAX_PROMPT_ATTEMPTS = 3;

export interface KeyfileOnDisk {
  file: string;
  raw: Buffer;
  format: KeyfileFormat;
}

/** Reads a keyfile; a missing file is ERR_WALLET_NOT_FOUND with the caller's hint. */
export async function readKeyfile(file: string, what: string, hint: string): Promise<KeyfileOnDisk> {
  let raw: Buffer;
  try {
    raw = await readFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new WalletError('ERR_WALLET_NOT_FOUND', `${what} file ${file} not found; ${hint}`);
    }
    if (code === 'EISDIR') throw new WalletError('ERR_WALLET_UNREADABLE', `${what} file ${file} is a directory, not a keyfile`);
    throw new WalletError('ERR_WALLET_UNREADABLE', `cannot read ${what} file ${file} (${code ?? 'error'}); check its permissions`);
  }
  return { file, raw, format: detectKeyfileFormat(raw) };
}

function passwordRequiredError(file: string, format: EncryptedFormat, btPwName: string): WalletError {
  return new WalletError(
    'ERR_PASSWORD_REQUIRED',
    `keyfile ${file} is encrypted (${format}) and no password was given; pass --password-env VAR with the password in $VAR, set ${btPwName} as bittensor-wallet does, or run in a terminal to be prompted`,
  );
}

/** The plaintext of a keyfile: as-is for JSON, else decrypted with a password from the sources in order. */
export async function plaintextOf(k: KeyfileOnDisk, opts: UnlockOptions = {}): Promise<Uint8Array> {
  if (k.format === 'json') return k.raw;
  const format = k.format;
  const { sealedKeyfile } = await import('./decrypt/index.js');
  // Parse first: a damaged file fails before anyone is asked for a password.
  const sealed = sealedKeyfile(k.raw, format, k.file);
  const env = opts.env ?? process.env;
  const paths = [k.file, ...(opts.pathAliases ?? [])];
  const fromEnv = passwordFromEnvironment(paths, env, opts.passwordEnv);
  if (fromEnv) return openOnce(sealed, k.file, fromEnv.password, fromEnv.source, opts);
  if (!opts.prompt) {
    throw passwordRequiredError(k.file, format, btPwVariableName(k.file));
  }
  for (let attempt = 1; attempt <= MAX_PROMPT_ATTEMPTS; attempt++) {
    const typed = await opts.prompt({ file: k.file, format, attempt, maxAttempts: MAX_PROMPT_ATTEMPTS, retry: attempt > 1 });
    if (typed === undefined) {
      throw new WalletError('ERR_PASSWORD_CANCELLED', `password prompt for ${k.file} cancelled`);
    }
    const plain = await sealed.open(rustTrim(typed), opts);
    if (plain) return plain;
  }
  throw new WalletError('ERR_WRONG_PASSWORD', `wrong password for ${k.file} (${MAX_PROMPT_ATTEMPTS} attempts)`);
}

async function openOnce(
  sealed: { open(pw: string, hooks?: DecryptHooks): Promise<Uint8Array | undefined> },
  file: string,
  password: string,
  source: PasswordSource,
  hooks: DecryptHooks,
): Promise<Uint8Array> {
  const plain = await sealed.open(password, hooks);
  if (!plain) throw new WalletError('ERR_WRONG_PASSWORD', `wrong password for ${file} (from ${describeSource(source)})`);
  return plain;
}

export type LoadedKeyfile = KeyfileKey & { file: string; format: KeyfileFormat };

const cache = new Map<string, Promise<LoadedKeyfile>>();

/**
 * Reads, unlocks and checks a full keyfile, once per file per process: the
 * Argon2i derivation costs seconds, and the result (a key object that keeps
 * its secret private) is all later callers need. Failures are not cached.
 */
export function loadKeyfile(file: string, what: string, hint: string, opts: UnlockOptions = {}, role: KeyfileRole = 'secret'): Promise<LoadedKeyfile> {
  let p = cache.get(file);
  if (!p) {
    p = (async () => {
      const k = await readKeyfile(file, what, hint);
      const plain = await plaintextOf(k, opts);
      let text: string;
      try {
        text = Buffer.from(plain.buffer, plain.byteOffset, plain.byteLength).toString('utf8');
      } finally {
        // The decrypted bytes live only as long as parsing needs them.
        if (k.format !== 'json') plain.fill(0);
      }
      const key = await keyFromKeyfile(parseKeyfileText(text, file, role), file);
      return { ...key, file, format: k.format };
    })();
    cache.set(file, p);
    p.catch(() => cache.delete(file));
  }
  return p;
}

/** Forgets cached keys (tests, or a long-running process that wants to drop them). */
export function clearKeyfileCache(): void {
  cache.clear();
}
