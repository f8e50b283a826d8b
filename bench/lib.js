// Shared helpers of the bench: child processes, statistics, paths.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

export const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
export const ROOT = join(BENCH_DIR, '..');
/**
 * The build under test: the private copy of dist/ and bin/ that run.js makes
 * at start (other work in the same tree may rebuild dist/ meanwhile), or the
 * tree's own when a script runs alone.
 */
export const BUILD = process.env.DENDRITE_BENCH_BUILD ?? ROOT;
export const BIN = join(BUILD, 'bin', 'dendrite.js');
/** URL of a module of the built library, e.g. distUrl('src/index.js'). */
export const distUrl = (path) => pathToFileURL(join(BUILD, 'dist', path)).href;

/** Starts the loopback axons in their own process; resolves once they listen. */
export function startServers(cfg) {
  const child = spawn(process.execPath, [join(BENCH_DIR, 'axon-server.js'), JSON.stringify(cfg)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const queue = [];
  const waiters = [];
  lines.on('line', (l) => {
    const v = JSON.parse(l);
    const w = waiters.shift();
    if (w) w(v);
    else queue.push(v);
  });
  const next = () =>
    new Promise((resolve, reject) => {
      if (queue.length) return resolve(queue.shift());
      waiters.push(resolve);
      child.once('exit', (code) => reject(new Error(`axon server exited (${code})`)));
    });
  return next().then((info) => ({
    ...info,
    pid: child.pid,
    /** Requests the servers have answered so far. */
    served: () => {
      child.stdin.write('served\n');
      return next().then((v) => v.served);
    },
    close: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.stdin.end();
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      }),
  }));
}

/**
 * Runs `node script arg` and returns the last JSON line it prints on stdout.
 * Killed after `killAfterMs` (the bench always stops by itself).
 */
export function runJson(script, arg, { killAfterMs = 120_000, nodeArgs = [] } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, script, JSON.stringify(arg)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const last = out.trim().split('\n').pop();
      if (code !== 0 || !last) return reject(new Error(`${script} failed (${code ?? signal}): ${err.slice(-2000)}`));
      try {
        resolve(JSON.parse(last));
      } catch (e) {
        reject(new Error(`${script}: bad output ${last.slice(0, 200)}`));
      }
    });
  });
}

/** Wall time of one run of a command, ms (spawn to exit). */
export function timeCommand(args, { killAfterMs = 30_000, env } = {}) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: env ?? process.env });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('exit', (code) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`node ${args.join(' ')} exited ${code}: ${err.slice(-1000)}`));
      resolve({ ms, out });
    });
  });
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) return NaN;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

export function quantile(xs, q) {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const i = Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1));
  return s[i];
}

/** Median and spread (min..max) of a list of figures. */
export function summary(xs) {
  return { median: median(xs), min: Math.min(...xs), max: Math.max(...xs), runs: xs.length, values: xs };
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
