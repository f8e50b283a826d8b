/**
 * Runs the real CLI binary (`node bin/dendrite.js`) in pipes or in a
 * pseudo-terminal, with a clean environment (HOME in a temp folder, no
 * BT_WALLET_* or BT_PW_* from the developer's shell).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
const BIN = 'bin/dendrite.js';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Everything any run printed, for the no-secrets check. */
export const transcript: string[] = [];

export function cleanEnv(home: string, extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, NO_COLOR: '1', LANG: 'C.UTF-8', ...extra };
}

export function runCli(args: string[], env: Record<string, string>, timeoutMs = 60_000): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      transcript.push(stdout, stderr);
      resolve({ code, stdout, stderr });
    });
  });
}

export interface PtyStep {
  expect: string;
  send: string;
}

/** The CLI in a real pseudo-terminal (test/support/pty.ts); the output lands in `stdout`, as a terminal merges both. */
export async function runCliInPty(args: string[], env: Record<string, string>, steps: PtyStep[], timeoutS = 60): Promise<CliRun & { error: string | null }> {
  const { pty } = await import('./pty.js');
  const r = await pty(args, env, steps.map((s) => ({ expect: s.expect, send: [s.send] })), timeoutS);
  transcript.push(r.raw);
  return { code: r.code, stdout: r.raw, stderr: '', error: r.error };
}

/** Drops ANSI escapes so assertions can read terminal output. */
export function plain(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07/g, '').replace(/\r/g, '');
}
