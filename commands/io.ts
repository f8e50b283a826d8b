/** The streams a command talks to, injected so tests can capture them. */

export interface CliStream extends NodeJS.WritableStream {
  isTTY?: boolean;
  columns?: number;
}

export interface CliIO {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };
  /** Data: tables, JSON. */
  stdout: CliStream;
  /** Progress, prompts, warnings and errors. */
  stderr: CliStream;
  env: NodeJS.ProcessEnv;
  /** False when nothing may be asked (`--no-input`, `CI`); set by `main`. Prompts also need terminals. */
  interactive?: boolean;
}

export function processIO(): CliIO {
  return { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env };
}

/**
 * Whether to colour text written to `stream`: `--no-color`/`NO_COLOR` turn it
 * off, `FORCE_COLOR` (not "0") turns it on, `TERM=dumb` off, else only on a terminal.
 */
export function useColor(stream: CliStream, env: NodeJS.ProcessEnv, flag?: boolean): boolean {
  if (flag === false) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  if (env.TERM === 'dumb') return false;
  return stream.isTTY === true;
}

/** `CI` set to anything but an empty string, "0" or "false". */
export function isCI(env: NodeJS.ProcessEnv): boolean {
  const v = env.CI;
  return v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
}

/** Thrown by a command to end with a given exit code (e.g. 4 for `--fail`) after its output is written. */
export class CliExit extends Error {
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`);
  }
}

export function writeLine(stream: CliStream, text: string): void {
  stream.write(text.endsWith('\n') ? text : `${text}\n`);
}
