/**
 * The CLI program: global flags, the commands, and the one place that maps
 * errors to exit codes and one-line messages (stack only with --verbose).
 *   0 ran (whatever the axons answered) · 1 unexpected · 2 usage ·
 *   3 wallet/config/chain · 4 --fail and an axon did not answer 200 · 130 Ctrl-C
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { CliExit, isCI, useColor, writeLine, type CliIO } from './io.js';
import { register as registerAxon } from './axon.js';
import { register as registerCompletion, runComplete } from './completion.js';
import { register as registerDemo } from './demo.js';
import { register as registerMetagraph } from './metagraph.js';
import { register as registerPing } from './ping.js';
import { register as registerQuery } from './query.js';
import { register as registerStream } from './stream.js';
import { register as registerWallet } from './wallet.js';

export const EXIT = { ok: 0, unexpected: 1, usage: 2, environment: 3, failed: 4, interrupted: 130 } as const;

function version(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

export function buildProgram(io: CliIO): Command {
  const program = new Command('dendrite')
    .description('Talk to Bittensor axons: signed synapse requests, health sweeps and queries, wire-compatible with the Python dendrite.')
    .version(version(), '-V, --version')
    .option('-v, --verbose', "each request's headers and timings (queue, connect, first byte, total) on stderr; stack traces on errors")
    .option('-q, --quiet', 'no progress, summary or status lines on stderr')
    .option('--no-color', 'no colour (also NO_COLOR=1 or TERM=dumb; FORCE_COLOR=1 forces it)')
    .option('--no-input', 'never prompt: a missing value is a usage error (also when CI is set or stdin is not a terminal)')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: () => {
        /* printed by main() in our one-line format */
      },
    });
  program.addHelpText(
    'after',
    `
Examples:
  $ dendrite demo
  $ dendrite ping --axon 5F...@127.0.0.1:8091 --uri //Alice
  $ dendrite query --axon 5F...@127.0.0.1:8091 --synapse Dummy --field dummy_input=3 --json
  $ dendrite ping --netuid 1 --all --sort latency --watch 10

On a terminal, a missing subnet, uids, wallet, hotkey, synapse or field value is asked for; with --no-input,
CI set, --json or stdin not a terminal nothing is asked and a missing value is a usage error (exit 2).
Completions: dendrite completion bash|zsh|fish (see the README).

Exit codes: 0 ran · 1 unexpected error · 2 usage · 3 wallet/config/chain · 4 --fail and an axon did not answer 200 · 130 interrupted`,
  );
  registerQuery(program, io);
  registerPing(program, io);
  registerStream(program, io);
  registerAxon(program, io);
  registerDemo(program, io);
  registerWallet(program, io);
  registerMetagraph(program, io);
  registerCompletion(program, io);
  for (const c of program.commands) c.exitOverride().showSuggestionAfterError(true).configureOutput(program.configureOutput());
  return program;
}

/** Runs the CLI and returns the exit code. Never throws. */
export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  // `--no-input`, `--json` and CI: no prompt anywhere, password prompts included.
  if (argv.includes('--no-input') || argv.includes('--json') || isCI(io.env)) io = { ...io, interactive: false };
  const program = buildProgram(io);
  if (argv[0] === '__complete') {
    await runComplete(program, argv.slice(1), io);
    return EXIT.ok;
  }
  const verbose = argv.includes('-v') || argv.includes('--verbose');
  const red = (s: string): string => (useColor(io.stderr, io.env, !argv.includes('--no-color')) ? `\x1b[31m${s}\x1b[39m` : s);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return EXIT.ok;
  } catch (err) {
    if (err instanceof CliExit) return err.exitCode;
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return EXIT.ok;
      writeLine(io.stderr, red(`dendrite: ${err.message.replace(/^error: /, '')}`));
      return EXIT.usage;
    }
    const e = err as { kind?: unknown; code?: unknown; message?: unknown; stack?: unknown };
    if (e && (e.kind === 'usage' || e.kind === 'environment') && typeof e.message === 'string') {
      writeLine(io.stderr, red(`dendrite: ${e.message}`));
      if (verbose && typeof e.stack === 'string') writeLine(io.stderr, e.stack);
      return e.kind === 'usage' ? EXIT.usage : EXIT.environment;
    }
    const message = typeof e?.message === 'string' ? e.message.split('\n')[0] : String(err);
    writeLine(io.stderr, red(`dendrite: unexpected error: ${message}${verbose ? '' : ' (run with --verbose for details)'}`));
    if (verbose && typeof e?.stack === 'string') writeLine(io.stderr, e.stack);
    return EXIT.unexpected;
  }
}
