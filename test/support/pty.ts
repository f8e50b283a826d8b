/**
 * Runs the CLI in a real pseudo-terminal with Python's standard `pty` module
 * (nothing to install), asynchronously, so servers in the test process keep
 * answering: waits for each `expect` text in the output, then types `send`
 * (one part at a time). stdout and stderr arrive merged, as on a terminal.
 */
import { spawn } from 'node:child_process';
import { REPO, plain } from './wallet-cli.js';

const DRIVER = String.raw`
import fcntl, json, os, pty, select, signal, struct, sys, termios, time
spec = json.loads(sys.stdin.read())
pid, fd = pty.fork()
if pid == 0:
    os.chdir(spec['cwd'])
    os.execve(spec['argv'][0], spec['argv'], spec['env'])
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', 40, spec.get('cols', 120), 0, 0))
buf = b''
pos = 0
def pump(deadline):
    global buf
    r, _, _ = select.select([fd], [], [], max(0, min(0.1, deadline - time.time())))
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
    # Let the prompt finish drawing before typing.
    t = time.time() + 0.15
    while time.time() < t and pump(t):
        pass
    for part in step['send']:
        os.write(fd, part.encode())
        time.sleep(0.1)
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

export interface Step {
  expect: string;
  /** Typed one part at a time (keys: '\x1b[B' down, '\r' enter, '\x03' Ctrl-C). */
  send: string[];
}

export interface PtyRun {
  code: number | null;
  error: string | null;
  /** Raw terminal output (stdout and stderr merged, with escapes). */
  raw: string;
  /** Without escapes. */
  out: string;
}

export function pty(args: string[], env: Record<string, string>, steps: Step[], timeoutS = 30, cols = 120): Promise<PtyRun> {
  const spec = { argv: [process.execPath, 'bin/dendrite.js', ...args], cwd: REPO, env: { TERM: 'xterm-256color', ...env }, steps, timeout: timeoutS, cols };
  return new Promise((resolve, reject) => {
    const child = spawn('python3', ['-c', DRIVER], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => {
      if (status !== 0) return reject(new Error(`pty driver failed: ${stderr}`));
      const r = JSON.parse(stdout) as { code: number | null; error: string | null; output: string };
      resolve({ code: r.code, error: r.error, raw: r.output, out: plain(r.output) });
    });
    child.stdin.end(JSON.stringify(spec));
  });
}
