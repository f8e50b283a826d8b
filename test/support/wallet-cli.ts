/**
 * Runs the real CLI binary (`node bin/dendrite.js`) in pipes or in a
 * pseudo-terminal, with a clean environment (HOME in a temp folder, no
 * BT_WALLET_* or BT_PW_* from the developer's shell).
 */
import { spawn, spawnSync } from 'node:child_process';
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

/**
 * Drives the CLI in a real pseudo-terminal with Python's standard `pty`
 * module (nothing to install): waits for each `expect` text in the output,
 * then types `send`. Returns the exit code and the whole terminal output.
 */
const PTY_DRIVER = String.raw`
import fcntl, json, os, pty, select, signal, struct, sys, termios, time
spec = json.loads(sys.stdin.read())
pid, fd = pty.fork()
if pid == 0:
    os.chdir(spec['cwd'])
    os.execve(spec['argv'][0], spec['argv'], spec['env'])
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', 30, 160, 0, 0))
buf = b''
pos = 0
def pump(deadline):
    global buf
    r, _, _ = select.select([fd], [], [], max(0, min(0.2, deadline - time.time())))
    if not r:
        return True
    try:
        data = os.read(fd, 65536)
    except OSError:
        return False
    if not data:
        return False
    buf += data
    return True
error = None
for step in spec['steps']:
    deadline = time.time() + spec['timeout']
    want = step['expect'].encode()
    alive = True
    while want not in buf[pos:] and time.time() < deadline and alive:
        alive = pump(deadline)
    i = buf.find(want, pos)
    if i < 0:
        error = 'did not see %r' % step['expect']
        os.kill(pid, signal.SIGKILL)
        break
    pos = i + len(want)
    time.sleep(0.05)
    os.write(fd, step['send'].encode())
deadline = time.time() + spec['timeout']
while time.time() < deadline and pump(deadline):
    pass
try:
    _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
except ChildProcessError:
    code = None
sys.stdout.write(json.dumps({'code': code, 'error': error, 'output': buf.decode('utf-8', 'replace')}))
`;

export interface PtyStep {
  expect: string;
  send: string;
}

export function runCliInPty(args: string[], env: Record<string, string>, steps: PtyStep[], timeoutS = 60): CliRun & { error: string | null } {
  const spec = { argv: [process.execPath, BIN, ...args], cwd: REPO, env: { ...env, TERM: 'xterm-256color' }, steps, timeout: timeoutS };
  const r = spawnSync('python3', ['-c', PTY_DRIVER], { input: JSON.stringify(spec), encoding: 'utf8', timeout: (timeoutS * (steps.length + 2)) * 1000 });
  if (r.status !== 0) throw new Error(`pty driver failed: ${r.stderr}`);
  const out = JSON.parse(r.stdout) as { code: number | null; error: string | null; output: string };
  transcript.push(out.output);
  // A terminal merges stdout and stderr; both are in `stdout` here.
  return { code: out.code, stdout: out.output, stderr: '', error: out.error };
}

/** Drops ANSI escapes so assertions can read terminal output. */
export function plain(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07/g, '').replace(/\r/g, '');
}
