/**
 * Error classes of the core. Each has a stable `code` string (for scripts and
 * tests) and a `kind`, which the CLI alone maps to an exit code:
 * usage -> 2, environment -> 3. Messages are one line, name the input and the
 * fix, and never contain a secret.
 */
export type ErrorKind = 'usage' | 'environment';

export class DendriteError extends Error {
  readonly code: string;
  readonly kind: ErrorKind;
  constructor(code: string, kind: ErrorKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.kind = kind;
    this.name = new.target.name;
  }
}

/** Bad flags, bad values, unknown names: the user can fix the command line (exit 2). */
export class UsageError extends DendriteError {
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(code, 'usage', message, options);
  }
}

/** Bad schema file or value for a synapse (exit 2). */
export class SchemaError extends UsageError {}

/** Wallets, keyfiles, passwords (exit 3). */
export class WalletError extends DendriteError {
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(code, 'environment', message, options);
  }
}

/** Configuration files and the environment (exit 3). */
export class ConfigError extends DendriteError {
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(code, 'environment', message, options);
  }
}

/** Subtensor chain: unreachable node, missing subnet (exit 3). */
export class ChainError extends DendriteError {
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(code, 'environment', message, options);
  }
}
