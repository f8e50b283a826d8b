/**
 * Where a keyfile password comes from (WALLET.md §3.4): an environment
 * variable the user names (`--password-env VAR`), then bittensor-wallet's
 * obfuscated `BT_PW_<PATH>` variable. The interactive prompt is the caller's,
 * injected as a function, because the core never touches the terminal.
 */
import { WalletError } from '../errors.js';

/**
 * Rust `str::trim()`: strips Unicode White_Space from both ends. btwallet's
 * prompt trims what the user typed this way, so a password set through btcli
 * never has surrounding whitespace. (JS `trim()` differs in U+FEFF and U+0085.)
 */
const RUST_WS = '\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const RUST_TRIM = new RegExp(`^[${RUST_WS}]+|[${RUST_WS}]+$`, 'g');
export function rustTrim(s: string): string {
  return s.replace(RUST_TRIM, '');
}

/**
 * btwallet's variable name for a keyfile: `BT_PW_` + the path, uppercased,
 * with every `/` and `.` replaced by `_`.
 */
export function btPwVariableName(keyfilePath: string): string {
  return 'BT_PW_' + keyfilePath.replace(/[/.]/g, '_').toUpperCase();
}

/** XOR with the variable name repeated as the key; the same operation both ways. */
function xorWithName(data: Uint8Array, name: string): Uint8Array {
  const key = Buffer.from(name, 'utf8');
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = data[i]! ^ key[i % key.length]!;
  return out;
}

/** What `save_password_to_env` stores: base64(password XOR name). Obfuscation, not encryption. */
export function obfuscateBtPw(password: string, name: string): string {
  return Buffer.from(xorWithName(Buffer.from(password, 'utf8'), name)).toString('base64');
}

/** Decodes a `BT_PW_` value; invalid base64 is a hard error, as in btwallet. */
export function deobfuscateBtPw(value: string, name: string): string {
  const v = value.trim();
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(v) || v.length % 4 !== 0) {
    throw new WalletError('ERR_PASSWORD_ENV_INVALID', `${name} is not valid base64; set it as bittensor-wallet does (base64 of the password XOR the variable name) or unset it`);
  }
  return Buffer.from(xorWithName(Buffer.from(v, 'base64'), name)).toString('utf8');
}

export type PasswordSource = { kind: 'password-env'; variable: string } | { kind: 'bt-pw'; variable: string } | { kind: 'prompt' };

/** Describes a source for messages: never the password itself. */
export function describeSource(s: PasswordSource): string {
  return s.kind === 'prompt' ? 'the prompt' : `$${s.variable}`;
}

/**
 * The password from the environment, if any: `--password-env VAR` first
 * (an unset VAR is an error: the user asked for it), then `BT_PW_<PATH>` for
 * each spelling of the keyfile path (the absolute one btwallet builds, and the
 * one the user typed when it differs). Environment passwords are used as
 * given, not trimmed, like btwallet's programmatic passwords.
 */
export function passwordFromEnvironment(
  keyfilePaths: readonly string[],
  env: NodeJS.ProcessEnv,
  passwordEnv?: string,
): { password: string; source: PasswordSource } | undefined {
  if (passwordEnv !== undefined) {
    const value = env[passwordEnv];
    if (value === undefined) {
      throw new WalletError('ERR_PASSWORD_ENV_UNSET', `--password-env ${passwordEnv}: the environment variable ${passwordEnv} is not set; export it with the keyfile password`);
    }
    return { password: value, source: { kind: 'password-env', variable: passwordEnv } };
  }
  for (const name of new Set(keyfilePaths.map(btPwVariableName))) {
    const value = env[name];
    if (value !== undefined && value !== '') {
      return { password: deobfuscateBtPw(value, name), source: { kind: 'bt-pw', variable: name } };
    }
  }
  return undefined;
}
