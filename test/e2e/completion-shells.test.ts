/**
 * The completion scripts in their real shells: bash, zsh and fish (Debian
 * packages; `.ci/run` installs zsh and fish when missing). Each shell runs
 * interactively in a pseudo-terminal (Python's `pty`), loads the script, and
 * a TAB after `dendrite wal`, `dendrite ping --conc` and
 * `dendrite ping --wallet al` must complete the command, the flag and the
 * wallet name. To read what TAB inserted, the test then moves to the start of
 * the line (Ctrl-A), types `echo ` and Enter: the shell prints the completed
 * line. A missing shell fails the test; nothing is skipped.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, runCli } from '../support/run-cli.js';
import { REPO } from '../support/wallet-cli.js';

const DRIVER = String.raw`
import fcntl, json, os, pty, re, select, signal, struct, sys, termios, time
spec = json.loads(sys.stdin.read())
pid, fd = pty.fork()
if pid == 0:
    os.chdir(spec['cwd'])
    os.execve(spec['argv'][0], spec['argv'], spec['env'])
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', 40, 200, 0, 0))
buf = b''
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
def clean(b):
    s = b.decode('utf-8', 'replace')
    s = re.sub(r'\x1b\[[0-9;?>=]*[A-Za-z~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[()][A-Z0-9]|\x1b[=>]', '', s)
    return s.replace('\r', '')
error = None
for step in spec['steps']:
    start = len(buf)
    for part in step['send']:
        os.write(fd, part.encode())
        t = time.time() + step.get('pause', 0.4)
        while time.time() < t and pump(t):
            pass
    want = step.get('expect')
    if want:
        deadline = time.time() + spec['timeout']
        alive = True
        while not re.search(want, clean(buf[start:]), re.M) and time.time() < deadline and alive:
            alive = pump(deadline)
        if not re.search(want, clean(buf[start:]), re.M):
            error = 'did not see %r' % want
            break
try:
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
except Exception:
    pass
sys.stdout.write(json.dumps({'error': error, 'output': clean(buf)}))
`;

interface Step {
  /** Written one part at a time, with a pause after each (TAB needs the shell to answer first). */
  send: string[];
  expect?: string;
}

function drive(argv: string[], env: Record<string, string>, steps: Step[]): { error: string | null; output: string } {
  const spec = { argv, cwd: REPO, env, steps, timeout: 40 };
  const r = spawnSync('python3', ['-c', DRIVER], { input: JSON.stringify(spec), encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`pty driver failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as { error: string | null; output: string };
}

function which(cmd: string): string | null {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dendrite-completion-'));
  // `dendrite` on PATH, as after `npm install -g`.
  await mkdir(join(dir, 'bin'));
  await writeFile(join(dir, 'bin', 'dendrite'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
  await chmod(join(dir, 'bin', 'dendrite'), 0o755);
  // Two wallets, so `al` has exactly one completion; a hotkey in alpha.
  for (const w of ['alpha', 'beta']) await mkdir(join(dir, 'wallets', w, 'hotkeys'), { recursive: true });
  await writeFile(join(dir, 'wallets', 'alpha', 'hotkeys', 'miner7'), '{}');
  await mkdir(join(dir, 'home'));
  env = {
    PATH: `${join(dir, 'bin')}:${process.env.PATH ?? '/usr/bin:/bin'}`,
    HOME: join(dir, 'home'),
    BT_WALLET_PATH: join(dir, 'wallets'),
    TERM: 'xterm',
    LANG: 'C.UTF-8',
    NO_COLOR: '1',
  };
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/**
 * Types `partial` and TAB, waits until the completed word shows on the line
 * (the shell ran `dendrite __complete`, slow on a loaded machine), then turns
 * the line into `echo <line>` so the shell prints what TAB made of it.
 */
function completes(partial: string, result: RegExp): Step[] {
  const word = result.source.split(' ').at(-1)!;
  return [
    { send: [partial, '\t'], expect: word },
    { send: ['\x01', 'echo ', '\r'], expect: `^${result.source}\\s*$` },
  ];
}

const CASES: Array<{ name: string; partial: string; result: RegExp }> = [
  { name: 'a command', partial: 'dendrite wal', result: /dendrite wallet/ },
  { name: 'a flag', partial: 'dendrite ping --conc', result: /dendrite ping --concurrency/ },
  { name: 'a wallet name from the wallet path', partial: 'dendrite ping --wallet al', result: /dendrite ping --wallet alpha/ },
  { name: "a hotkey name of the chosen wallet", partial: 'dendrite ping --wallet alpha --hotkey mi', result: /dendrite ping --wallet alpha --hotkey miner7/ },
  { name: 'a synapse name', partial: 'dendrite query --synapse Dum', result: /dendrite query --synapse Dummy/ },
  { name: 'a network name', partial: 'dendrite ping --network fin', result: /dendrite ping --network finney/ },
];

const SHELLS: Record<string, { argv: (path: string) => string[]; setup: string; ready: string }> = {
  bash: {
    argv: (p) => [p, '--norc', '--noprofile', '-i'],
    setup: `PS1='P> '; source ${join(REPO, 'completions', 'dendrite.bash')}; echo READY-$((40+2))\r`,
    ready: '^READY-42$',
  },
  zsh: {
    argv: (p) => [p, '-f', '-i'],
    setup: `PS1='P> '; fpath=(${join(REPO, 'completions')} $fpath); autoload -U compinit; compinit -u -D; echo READY-$((40+2))\r`,
    ready: '^READY-42$',
  },
  fish: {
    argv: (p) => [p, '--no-config', '-i'],
    setup: `function fish_prompt; echo 'P> '; end; source ${join(REPO, 'completions', 'dendrite.fish')}; echo READY-(math 40+2)\r`,
    ready: '^READY-42$',
  },
};

describe.each(Object.keys(SHELLS))('%s completion script, in the real shell', (shell) => {
  it(`${shell} is installed (.ci/run installs it)`, () => {
    expect(which(shell), `${shell} is missing: apt-get install -y zsh fish (.ci/run does this)`).not.toBeNull();
  });

  it.each(CASES)(`completes $name`, { timeout: 120_000 }, ({ partial, result }) => {
    const path = which(shell);
    expect(path, `${shell} is missing`).not.toBeNull();
    const s = SHELLS[shell]!;
    const r = drive(s.argv(path!), env, [{ send: [s.setup], expect: s.ready }, ...completes(partial, result)]);
    expect(r.error, r.output.slice(-2000)).toBeNull();
    expect(r.output).toMatch(new RegExp(`^${result.source}\\s*$`, 'm'));
  });
});

describe('dendrite completion SHELL', () => {
  it.each(['bash', 'zsh', 'fish'])('prints the %s script from completions/', async (shell) => {
    const r = await runCli(['completion', shell]);
    expect(r.code).toBe(0);
    const { readFile } = await import('node:fs/promises');
    const file = { bash: 'dendrite.bash', zsh: '_dendrite', fish: 'dendrite.fish' }[shell]!;
    expect(r.stdout).toBe(await readFile(join(REPO, 'completions', file), 'utf8'));
  });

  it('an unknown shell is a usage error (exit 2)', async () => {
    const r = await runCli(['completion', 'tcsh']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('use bash, zsh or fish');
  });
});
