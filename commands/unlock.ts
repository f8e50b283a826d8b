/**
 * The terminal side of unlocking a keyfile, for every command that loads a
 * hotkey: `--password-env`, the password prompt and the KDF spinner (stderr).
 */
import type { Command } from 'commander';
import type { HotkeyOptions } from '../src/wallet/hotkey.js';
import type { KdfEvent } from '../src/wallet/decrypt/index.js';
import type { PasswordRequest } from '../src/wallet/unlock.js';
import { CliExit, writeLine, type CliIO } from './io.js';

/** Adds `--password-env VAR` to a command that loads a keyfile. */
export function addPasswordOption(cmd: Command): Command {
  return cmd.option('--password-env <var>', 'read the keyfile password from environment variable VAR (else BT_PW_<PATH>, else a prompt on a terminal)');
}

/**
 * The interactive half of unlocking: a clack password prompt on stderr when
 * stdin is a terminal (else none, and the core says how to pass a password),
 * and a spinner on stderr while a slow key derivation runs.
 */
export function unlockHooks(io: CliIO, passwordEnv?: string): Pick<HotkeyOptions, 'passwordEnv' | 'prompt' | 'onKdf' | 'env'> {
  return {
    env: io.env,
    ...(passwordEnv !== undefined ? { passwordEnv } : {}),
    ...(io.stdin.isTTY && io.interactive !== false ? { prompt: (req: PasswordRequest) => promptPassword(io, req) } : {}),
    onKdf: spinnerHook(io),
  };
}

async function promptPassword(io: CliIO, req: PasswordRequest): Promise<string | undefined> {
  const { password, isCancel } = await import('@clack/prompts');
  const message = req.retry
    ? `Wrong password. Password for ${req.file} (attempt ${req.attempt} of ${req.maxAttempts})`
    : `Password for ${req.file}`;
  const answer = await password({
    message,
    input: io.stdin as NodeJS.ReadStream,
    output: io.stderr as NodeJS.WriteStream,
    validate: (v) => (v === undefined || v.length === 0 ? 'Type the password (Ctrl-C to cancel)' : undefined),
  });
  if (isCancel(answer)) {
    // Ctrl-C in raw mode sends no SIGINT; end the way an interrupted command does.
    writeLine(io.stderr, 'dendrite: password prompt cancelled');
    throw new CliExit(130);
  }
  return answer;
}

function spinnerHook(io: CliIO): (e: KdfEvent) => void {
  let current: { stop(): unknown } | undefined;
  let ended = false;
  return (e) => {
    if (e.phase === 'end') {
      ended = true;
      current?.stop();
      current = undefined;
      return;
    }
    ended = false;
    const kdf = e.format === 'nacl' ? 'Argon2i, about 5 s and 0.6 GB' : e.format === 'fernet' ? 'PBKDF2, a few seconds' : 'PBKDF2';
    void import('ora').then(({ default: ora }) => {
      if (ended) return;
      current = ora({ stream: io.stderr as NodeJS.WriteStream, text: `Unlocking ${e.file} (${kdf})` }).start();
    });
  };
}

