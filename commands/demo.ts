/**
 * `dendrite demo`: the whole job on an embedded default, no chain and no
 * internet. Starts a few of our own axons on 127.0.0.1 with development keys
 * (one slow, one that refuses the Dummy route, the rest healthy), then runs
 * a ping sweep, a Dummy query and a stream through the same code as
 * `ping`/`query`/`stream`.
 */
import type { Command } from 'commander';
import { useColor, writeLine, type CliIO } from './io.js';
import { runQuery, writeOutcome } from './query.js';

export function register(program: Command, io: CliIO): void {
  program
    .command('demo')
    .description('start a few local axons and query them: a tour that needs no chain, wallet or internet')
    .option('--json', 'print the results as JSON instead of tables')
    .addHelpText('after', '\nExample:\n  $ dendrite demo')
    .action(async (opts: Record<string, unknown>, command: Command) => {
      const g = command.optsWithGlobals();
      const { startAxon } = await import('../src/axon/server.js');
      const { dummyRoute } = await import('../src/axon/routes.js');
      const { streamRoutes } = await import('../src/axon/stream-routes.js');
      const { pairFromUri } = await import('../src/crypto/derive.js');
      const heading = (text: string): void => {
        if (!opts.json) writeLine(io.stdout, useColor(io.stdout, io.env, g.color as boolean) ? `\n\x1b[1m${text}\x1b[22m` : `\n${text}`);
      };
      const names = ['Bob', 'Charlie', 'Dave', 'Eve'];
      const keys = await Promise.all(names.map((n) => pairFromUri(`//${n}`)));
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
      try {
        const targets = { axon: axons.map((a) => `${a.hotkey}@127.0.0.1:${a.port}`) };
        const base = { targets, schemaFiles: [], body: undefined, timeout: 1, wallet: { uri: '//Alice', env: io.env } };
        heading(`Started ${axons.length} axons on 127.0.0.1 (${names.map((n, i) => `${n} :${axons[i]!.port}`).join(', ')}); signing as //Alice.`);
        heading('$ dendrite ping --axon … --timeout 1');
        const ping = await runQuery({ ...base, synapse: 'Synapse', fields: [] }, io);
        await writeOutcome(ping, { json: !!opts.json, fail: false, color: g.color as boolean, quiet: !!g.quiet }, io);
        heading('$ dendrite query --axon … --synapse Dummy --field dummy_input=21 --timeout 1');
        const query = await runQuery({ ...base, synapse: 'Dummy', fields: ['dummy_input=21'] }, io);
        await writeOutcome(query, { json: !!opts.json, fail: false, color: g.color as boolean, quiet: !!g.quiet }, io);
        heading('$ dendrite stream --axon <Bob> --synapse StreamCount --field n=5 --field delay_ms=150');
        const { runStream } = await import('./stream.js');
        await runStream(
          {
            ...base,
            targets: { axon: [targets.axon[0]!] },
            timeout: 5,
            synapse: 'StreamCount',
            fields: ['n=5', 'delay_ms=150'],
            split: 'raw',
            force: false,
            json: !!opts.json,
          },
          io,
          g.color as boolean,
        );
        heading('Next: run `dendrite axon --uri //Bob` in one terminal and `dendrite ping --axon <hotkey>@127.0.0.1:8091 --uri //Alice` in another.');
      } finally {
        await Promise.all(axons.map((a) => a.close()));
      }
    });
}
