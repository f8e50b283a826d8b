/** `dendrite axon`: run our verifying axon on this machine (for subnet development and tests). */
import { InvalidArgumentError, type Command } from 'commander';
import { useColor, writeLine, type CliIO } from './io.js';
import { addWalletOptions, collect, walletFrom } from './options.js';

export function register(program: Command, io: CliIO): void {
  const cmd = program
    .command('axon')
    .description('serve an axon that verifies requests exactly like the Python axon (routes: Synapse, Dummy, Stream* test streams, and echo routes for schemas)')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on (0: any free port)', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('--port must be 0-65535');
      return n;
    }, 8091)
    .option('--schema <file>', 'serve an echo route for this synapse schema (repeatable)', collect, [])
    .option('--delay <ms>', 'wait this long in every forward (a slow miner)', (v) => Math.max(0, Number(v) || 0), 0)
    .option('--no-verify', 'accept requests without checking signatures and nonces')
    .option('--json', 'print {"hotkey","host","port"} as one JSON line on stdout once listening');
  addWalletOptions(cmd);
  cmd.addHelpText(
    'after',
    `
Examples:
  $ dendrite axon --uri //Bob --port 8091
  $ dendrite axon --wallet miner --hotkey default --schema text.json --host 0.0.0.0
  $ dendrite axon --uri //Bob --port 0 --json    # prints the chosen port for scripts`,
  );
  cmd.action(async (opts: Record<string, unknown>) => {
    const { loadHotkey } = await import('../src/wallet/hotkey.js');
    const { startAxon } = await import('../src/axon/server.js');
    const { dummyRoute, echoRoute, pingRoute } = await import('../src/axon/routes.js');
    const { streamRoutes } = await import('../src/axon/stream-routes.js');
    const { loadSchemaRegistry } = await import('../src/synapse/schema-files.js');
    const signer = await loadHotkey(walletFrom(opts, io));
    const registry = await loadSchemaRegistry(opts.schema as string[], io.env);
    const builtin = new Map([dummyRoute, ...streamRoutes].map((r) => [r.schema, r]));
    const routes = registry.all().map((s) => (s.name === 'Synapse' ? pingRoute : builtin.get(s) ?? echoRoute(s)));
    const axon = await startAxon({
      signer,
      host: opts.host as string,
      port: opts.port as number,
      routes,
      verify: opts.verify as boolean,
      delayMs: opts.delay as number,
    });
    const host = axon.host.includes(':') ? `[${axon.host}]` : axon.host;
    if (opts.json) writeLine(io.stdout, JSON.stringify({ hotkey: axon.hotkey, host: axon.host, port: axon.port }));
    const bold = useColor(io.stderr, io.env) ? (s: string) => `\x1b[1m${s}\x1b[22m` : (s: string) => s;
    writeLine(io.stderr, `axon ${bold(axon.hotkey)} listening on http://${host}:${axon.port} (routes: ${routes.map((r) => r.schema.name).join(', ')}); Ctrl-C stops it`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await axon.close();
  });
}

