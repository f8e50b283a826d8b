/** Runs the real CLI binary (bin/dendrite.js, built by `npm test`'s pretest) in a pipe. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/dendrite.js', import.meta.url));

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], opts: { env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 20_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(opts.input ?? '');
  });
}

/** Starts a long-running CLI process (e.g. `dendrite axon --json`) and waits for its first stdout line. */
export function startCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ firstLine: string; stop: () => Promise<CliRun> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let resolved = false;
    const closed = new Promise<CliRun>((r) => child.on('close', (code) => r({ code, stdout, stderr })));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      const nl = stdout.indexOf('\n');
      if (!resolved && nl >= 0) {
        resolved = true;
        resolve({
          firstLine: stdout.slice(0, nl),
          stop: async () => {
            child.kill('SIGINT');
            return closed;
          },
        });
      }
    });
    closed.then((r) => {
      if (!resolved) reject(new Error(`exited early (${r.code}): ${r.stderr}`));
    });
  });
}
