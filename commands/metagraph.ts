/** `dendrite metagraph`: a subnet's neurons and axons, from the chain, the cache or a snapshot. */
import type { Command } from 'commander';
import { writeLine, type CliIO } from './io.js';
import { addChainOptions, chainSourceFrom } from './options.js';

export function register(program: Command, io: CliIO): void {
  const cmd = program
    .command('metagraph')
    .description("show a subnet's neurons: uid, hotkey, coldkey, axon address and version, stake, validator permit, active");
  addChainOptions(cmd);
  cmd
    .option('--json', 'print the metagraph as JSON (exact integers; the --save format)')
    .option('--save <file>', 'also write a snapshot that --metagraph FILE can use later, offline');
  cmd.addHelpText(
    'after',
    `
Examples:
  $ dendrite metagraph --netuid 1
  $ dendrite metagraph --netuid 1 --network test --json | jq '.neurons[] | select(.validatorPermit) | .uid'
  $ dendrite metagraph --netuid 1 --save sn1.json     # later: dendrite ping --metagraph sn1.json --all
  $ dendrite metagraph --netuid 1 --network ws://127.0.0.1:9944 --refresh`,
  );
  cmd.action(async (opts: Record<string, unknown>, command: Command) => {
    const quiet = !!command.optsWithGlobals().quiet;
    const { loadMetagraph } = await import('../src/targets/metagraph-source.js');
    const { metagraph } = await loadMetagraph(
      chainSourceFrom(opts),
      { env: io.env, onNote: (note) => !quiet && writeLine(io.stderr, `dendrite: ${note}`) },
    );
    if (typeof opts.save === 'string') {
      const { writeSnapshotFile } = await import('../src/targets/snapshot.js');
      const { ConfigError } = await import('../src/errors.js');
      try {
        writeSnapshotFile(opts.save, metagraph);
      } catch (e) {
        throw new ConfigError('save_failed', `cannot write --save ${opts.save}: ${(e as Error).message}`);
      }
      if (!quiet) writeLine(io.stderr, `dendrite: saved subnet ${metagraph.netuid} at block ${metagraph.block} to ${opts.save}`);
    }
    const render = await import('../src/render/metagraph.js');
    io.stdout.write(opts.json ? render.renderMetagraphJson(metagraph, io.stdout.isTTY ? 2 : 0) : render.renderMetagraphTable(metagraph));
  });
}
