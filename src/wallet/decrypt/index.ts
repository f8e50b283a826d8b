/**
 * The three encrypted keyfile formats behind one interface. Parsing happens
 * before any password is asked for, so a damaged file fails at once; opening
 * runs the format's (slow) key derivation exactly once per call.
 */
import { WalletError } from '../../errors.js';
import { parseAnsibleVault, openAnsibleVault } from './ansible.js';
import { fernetKey, openFernet, parseFernet } from './fernet.js';
import { naclKeyFitsDamagedFile, openNacl, parseNacl } from './nacl.js';

export type EncryptedFormat = 'nacl' | 'ansible-vault' | 'fernet';

export interface KdfEvent {
  phase: 'start' | 'end';
  file: string;
  format: EncryptedFormat;
}

export interface DecryptHooks {
  /** Told when a slow key derivation starts and ends, so a CLI can show a spinner. */
  onKdf?: ((e: KdfEvent) => void) | undefined;
  /**
   * Replaces the `$NACL` Argon2i derivation (default: `deriveNaclKey`). For a
   * caller that keeps its own key cache, e.g. a test suite deriving once.
   */
  deriveNaclKey?: ((password: Uint8Array) => Promise<Uint8Array>) | undefined;
}

export interface SealedKeyfile {
  readonly format: EncryptedFormat;
  /**
   * The plaintext, or undefined for a wrong password. Throws
   * ERR_KEYFILE_CORRUPT when the password is right but the file is damaged.
   */
  open(password: string, hooks?: DecryptHooks): Promise<Uint8Array | undefined>;
}

async function withKdfEvents<T>(hooks: DecryptHooks | undefined, file: string, format: EncryptedFormat, fn: () => Promise<T>): Promise<T> {
  hooks?.onKdf?.({ phase: 'start', file, format });
  try {
    return await fn();
  } finally {
    hooks?.onKdf?.({ phase: 'end', file, format });
  }
}

export function sealedKeyfile(raw: Uint8Array, format: EncryptedFormat, file: string): SealedKeyfile {
  switch (format) {
    case 'nacl': {
      const env = parseNacl(raw, file);
      return {
        format,
        async open(password, hooks) {
          const pw = Buffer.from(password, 'utf8');
          const derive = hooks?.deriveNaclKey ?? (await import('./argon2.js')).deriveNaclKey;
          const key = await withKdfEvents(hooks, file, format, () => derive(pw)).finally(() => pw.fill(0));
          try {
            const plain = await openNacl(env, key);
            if (plain) return plain;
            if (await naclKeyFitsDamagedFile(env, key)) {
              throw new WalletError('ERR_KEYFILE_CORRUPT', `keyfile ${file} is damaged: the password is right but the $NACL data is truncated or altered; restore it from a backup`);
            }
            return undefined;
          } finally {
            // Only the caller's own key cache may keep the key.
            if (!hooks?.deriveNaclKey) key.fill(0);
          }
        },
      };
    }
    case 'ansible-vault': {
      const vault = parseAnsibleVault(raw, file);
      return { format, open: (password) => openAnsibleVault(vault, password, file) };
    }
    case 'fernet': {
      const token = parseFernet(raw, file);
      return {
        format,
        async open(password, hooks) {
          const key = await withKdfEvents(hooks, file, format, () => fernetKey(password));
          try {
            return openFernet(token, key);
          } finally {
            key.fill(0);
          }
        },
      };
    }
  }
}
