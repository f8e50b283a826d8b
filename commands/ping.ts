/** `dendrite ping`: the `Synapse` route every axon serves, as a health check. */
import type { Command } from 'commander';
import type { CliIO } from './io.js';
import { addTargetOptions, addWalletOptions } from './options.js';
import { addRequestOptions, queryOptionsFrom, runQuery, writeOutcome } from './query.js';

export function register(program: Command, io: CliIO): void {
  const cmd = program.command('ping').description('ping axons (the Synapse route) and show status and latency');
  addTargetOptions(cmd);
  addWalletOptions(cmd);
  addRequestOptions(cmd);
  cmd.addHelpText(
    'after',
    `
Examples:
  $ dendrite ping --axon 5F...@127.0.0.1:8091 --uri //Alice
  $ dendrite ping --axon 5F...@10.0.0.5:8091 --axon 5G...@10.0.0.6:8091 --timeout 3 --fail
  $ dendrite ping --axon 5F...@127.0.0.1:8091 --json | jq -r '.[] | "\\(.hotkey) \\(.status_code) \\(.latency_ms)"'`,
  );
  cmd.action(async (opts: Record<string, unknown>, command: Command) => {
    const g = command.optsWithGlobals();
    const outcome = await runQuery(queryOptionsFrom(opts, io, 'Synapse'), io);
    await writeOutcome(outcome, { json: !!opts.json, fail: !!opts.fail, wide: !!opts.wide, color: g.color as boolean, quiet: !!g.quiet }, io);
  });
}
