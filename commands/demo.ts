/**
 * `dendrite demo`: the whole job on an embedded default, no chain and no
 * internet. Starts a few of our own axons on 127.0.0.1 with development keys
 * (one slow, one that refuses the Dummy route, the rest healthy) and, where
 * subtensor metadata is at hand, a local chain endpoint that publishes them as
 * subnet 1. Then it shows the metagraph and runs a ping sweep, a Dummy query
 * and a stream through the same code as `metagraph`/`ping`/`query`/`stream`.
 */
import type { Command } from 'commander';
import type { RunningAxon } from '../src/axon/server.js';
import type { DevChain } from '../src/devnet/node.js';
import { useColor, writeLine, type CliIO } from './io.js';
import type { TargetSelection } from './options.js';
import { runQuery, writeOutcome } from './query.js';

const NAMES = ['Bob', 'Charlie', 'Dave', 'Eve'];

/** The dev chain's subnet 1: our axons as uids 0-3 (127.0.0.1 = 0x7f000001), plus a registered uid 4 that does not serve. */
function devSubnet(axons: RunningAxon[], ferdie: string) {
  const neurons = axons.map((a, uid) => ({
    uid,
    hotkey: a.hotkey,
    coldkey: ferdie,
    ip: 0x7f000001n,
    ipType: 4,
    port: a.port,
    validatorPermit: uid === 0,
    stake: 1_000_000_000_000n * BigInt(uid + 1),
  }));
  return [...neurons, { uid: axons.length, hotkey: ferdie, coldkey: ferdie, ip: 0n, ipType: 0, port: 0, stake: 0n }];
}

export function register(program: Command, io: CliIO): void {
  program
    .command('demo')
    .description('start local axons (and a local chain endpoint) and query them: a tour that needs no wallet or internet')
    .option('--json', 'print the results as JSON instead of tables')
    .addHelpText('after', '\nExample:\n  $ dendrite demo\n  $ dendrite demo --json | jq -c .')
    .action(async (opts: Record<string, unknown>, command: Command) => {
      const g = command.optsWithGlobals();
      const json = !!opts.json;
      const { startAxon } = await import('../src/axon/server.js');
      const { dummyRoute } = await import('../src/axon/routes.js');
      const { streamRoutes } = await import('../src/axon/stream-routes.js');
      const { pairFromUri } = await import('../src/crypto/derive.js');
      const { findSubtensorMetadata } = await import('../src/devnet/metadata.js');
      const heading = (text: string): void => {
        if (!json) writeLine(io.stdout, useColor(io.stdout, io.env, g.color as boolean) ? `\n\x1b[1m${text}\x1b[22m` : `\n${text}`);
      };
      const keys = await Promise.all(NAMES.map((n) => pairFromUri(`//${n}`)));
      const ferdie = (await pairFromUri('//Ferdie')).address;
      const axons = await Promise.all(
        keys.map((signer, i) =>
          startAxon({
            signer,
            // Eve is slow: longer than the demo's 1 s timeout.
            delayMs: i === 3 ? 1500 : 0,
            // Dave refuses Dummy requests (a blacklist, as a subnet may have).
            routes: [i === 2 ? { ...dummyRoute, blacklist: () => 'this demo miner does not serve Dummy' } : dummyRoute, ...streamRoutes],
          }),
        ),
      );
      let chain: DevChain | undefined;
      try {
        const metadata = findSubtensorMetadata(io.env);
        const where = NAMES.map((n, i) => `${n} :${axons[i]!.port}`).join(', ');
        let sweep: TargetSelection;
        let some: TargetSelection;
        let one: TargetSelection;
        let show: string;
        if (metadata) {
          const { startDevChain } = await import('../src/devnet/node.js');
          chain = await startDevChain({ metadata, subnets: { 1: devSubnet(axons, ferdie) } });
          const net = { axon: [], netuid: 1, network: chain.url, cacheTtl: 0 };
          sweep = { ...net, all: true };
          some = { ...net, uid: ['0-3'] };
          one = { ...net, uid: ['0'] };
          show = `--netuid 1 --network ${chain.url}`;
          heading(`Started ${axons.length} axons on 127.0.0.1 (${where}) and a local subtensor endpoint at ${chain.url} that publishes them as subnet 1; signing as //Alice.`);
          heading(`$ dendrite metagraph ${show}`);
          const { loadMetagraph } = await import('../src/targets/metagraph-source.js');
          const { metagraph } = await loadMetagraph({ netuid: 1, network: chain.url, cacheTtl: 0 }, { env: io.env });
          const render = await import('../src/render/metagraph.js');
          io.stdout.write(json ? `${render.renderMetagraphJson(metagraph, 0).trimEnd()}\n` : render.renderMetagraphTable(metagraph));
        } else {
          const specs = axons.map((a) => `${a.hotkey}@127.0.0.1:${a.port}`);
          sweep = some = { axon: specs };
          one = { axon: [specs[0]!] };
          show = '--axon …';
          heading(`Started ${axons.length} axons on 127.0.0.1 (${where}); signing as //Alice. (No subtensor metadata found, so no local chain: set DENDRITE_SUBTENSOR_METADATA to a metadata file to see subnet resolution.)`);
        }
        const base = { schemaFiles: [], body: undefined, timeout: 1, wallet: { uri: '//Alice', env: io.env } };
        const out = { json, fail: false, color: g.color as boolean, quiet: !!g.quiet };
        heading(`$ dendrite ping ${show}${metadata ? ' --all' : ''} --timeout 1`);
        await writeOutcome(await runQuery({ ...base, targets: sweep, synapse: 'Synapse', fields: [] }, io), out, io);
        heading(`$ dendrite query ${show}${metadata ? ' --uid 0-3' : ''} --synapse Dummy --field dummy_input=21 --timeout 1`);
        await writeOutcome(await runQuery({ ...base, targets: some, synapse: 'Dummy', fields: ['dummy_input=21'] }, io), out, io);
        heading(`$ dendrite stream ${metadata ? `${show} --uid 0` : '--axon <Bob>'} --synapse StreamCount --field n=5 --field delay_ms=150`);
        const { runStream } = await import('./stream.js');
        await runStream(
          { ...base, targets: one, timeout: 5, synapse: 'StreamCount', fields: ['n=5', 'delay_ms=150'], split: 'raw', force: false, json },
          io,
          g.color as boolean,
        );
        heading('Next: `dendrite axon --uri //Bob` in one terminal, `dendrite ping --axon <its hotkey>@127.0.0.1:8091 --uri //Alice` in another; `dendrite --help` for the rest.');
      } finally {
        await chain?.close();
        await Promise.all(axons.map((a) => a.close()));
      }
    });
}
