/**
 * Progress on stderr while a command connects, resolves and queries: an ora
 * spinner with a live count (`answered 180/256, 12 failed`). Only when stderr
 * is a terminal and not `--quiet`; otherwise every method does nothing, so a
 * pipe or a log file never sees spinner text. Never writes to stdout.
 */
import type { CliIO, CliStream } from './io.js';
import { useColor } from './io.js';

export interface Progress {
  /** Shows `text` (e.g. "resolving targets"). */
  phase(text: string): void;
  /** Starts counting answers of `total` requests, described by `label` (e.g. "pinging 256 axons"). */
  expect(total: number, label: string): void;
  /** One answer arrived. */
  answered(ok: boolean): void;
  /** Hides the spinner until the next `phase`/`expect` (e.g. before a prompt). */
  pause(): void;
  /** Removes the spinner for good. */
  stop(): void;
  /** `io` whose stderr clears the spinner line before each write, so notes do not mix with it. */
  readonly io: CliIO;
  readonly active: boolean;
}

export interface ProgressOptions {
  quiet?: boolean | undefined;
  color?: boolean | undefined;
}

/** The live count text. */
export function countText(label: string, done: number, total: number, failed: number): string {
  return `${label}: answered ${done}/${total}${failed ? `, ${failed} failed` : ''}`;
}

const NOOP: Omit<Progress, 'io'> = {
  phase() {},
  expect() {},
  answered() {},
  pause() {},
  stop() {},
  active: false,
};

type Spinner = { text: string; start(text?: string): Spinner; stop(): Spinner; clear(): Spinner; render(): Spinner; isSpinning: boolean };

/** Whether progress is shown at all for this command run. */
export function progressEnabled(io: CliIO, opts: ProgressOptions): boolean {
  return !opts.quiet && io.stderr.isTTY === true && io.env.TERM !== 'dumb';
}

export async function startProgress(io: CliIO, opts: ProgressOptions = {}): Promise<Progress> {
  if (!progressEnabled(io, opts)) return { ...NOOP, io };
  const { default: ora } = await import('ora');
  const color = useColor(io.stderr, io.env, opts.color);
  const spinner = ora({
    stream: io.stderr as NodeJS.WriteStream,
    color: color ? 'cyan' : false,
    isEnabled: true,
    discardStdin: false,
    hideCursor: true,
  }) as unknown as Spinner;
  let label = '';
  let total = 0;
  let done = 0;
  let failed = 0;
  let stopped = false;
  const show = (text: string): void => {
    if (stopped) return;
    spinner.text = text;
    if (!spinner.isSpinning) spinner.start();
  };
  const realErr = io.stderr;
  const stderr: CliStream = Object.assign(Object.create(realErr) as CliStream, {
    write: (chunk: unknown, ...rest: unknown[]): boolean => {
      const spinning = spinner.isSpinning;
      if (spinning) spinner.clear();
      const ok = (realErr.write as (...a: unknown[]) => boolean).call(realErr, chunk, ...rest);
      if (spinning) spinner.render();
      return ok;
    },
  });
  return {
    io: { ...io, stderr },
    active: true,
    phase: (text) => show(text),
    expect: (n, l) => {
      total = n;
      label = l;
      done = 0;
      failed = 0;
      show(countText(label, done, total, failed));
    },
    answered: (ok) => {
      done++;
      if (!ok) failed++;
      if (spinner.isSpinning) spinner.text = countText(label, done, total, failed);
    },
    pause: () => {
      if (spinner.isSpinning) spinner.stop();
    },
    stop: () => {
      stopped = true;
      if (spinner.isSpinning) spinner.stop();
    },
  };
}
