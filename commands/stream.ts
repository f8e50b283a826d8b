/**
 * `dendrite stream`: watch streamed answers live. One axon: its chunks go to
 * stdout as they arrive. Several: whole lines prefixed `[uid 42]` (or
 * `[host:port]`). `--json`: NDJSON chunk and done events. A status line per
 * axon goes to stderr. Ctrl-C stops every stream and exits 130.
 */
import { InvalidArgumentError, type Command } from 'commander';
import type { StreamResult } from '../src/dendrite/stream.js';
import type { SplitMode } from '../src/dendrite/chunking.js';
import { CliExit, useColor, writeLine, type CliIO } from './io.js';
import { addTargetOptions, addWalletOptions, collect, positiveInt, positiveNumber, resolveTargetsFor, targetSelectionFrom, walletFrom } from './options.js';
import { verboseReporter, type QueryHooks, type QueryOptions } from './query.js';

export interface StreamCommandOptions extends QueryOptions {
  idleTimeout?: number | undefined;
  split: SplitMode;
  /** Stream even if the schema is not a streaming one. */
  force: boolean;
  json: boolean;
  signal?: AbortSignal;
}

export async function runStream(opts: StreamCommandOptions, io: CliIO, color?: boolean, hooks: QueryHooks = {}): Promise<StreamResult[]> {
  const { loadSchemaRegistry } = await import('../src/synapse/schema-files.js');
  const { synapseFromInputs } = await import('../src/synapse/inputs.js');
  const { UsageError } = await import('../src/errors.js');
  const registry = await loadSchemaRegistry(opts.schemaFiles, io.env);
  const schema = registry.get(opts.synapse);
  if (!schema.streaming && !opts.force) {
    throw new UsageError('ERR_NOT_STREAMING', `${schema.name} is not a streaming synapse; mark it "streaming": true in its schema, pass --stream, or use dendrite query`);
  }
  const synapse = synapseFromInputs(schema, { fields: opts.fields, body: opts.body });
  hooks.progress?.phase('resolving targets');
  const { targets, skipped } = await resolveTargetsFor(opts.targets, hooks.progress?.io ?? io);
  // Chunks go to the terminal live: no spinner from here on (the password prompt may come next).
  hooks.progress?.stop();
  for (const s of skipped) writeLine(io.stderr, `uid ${s.uid}: skipped, ${s.reason}`);
  const { loadHotkey } = await import('../src/wallet/hotkey.js');
  const signer = await loadHotkey(opts.wallet);
  const { Dendrite } = await import('../src/dendrite/dendrite.js');
  const render = await import('../src/render/stream.js');
  const { sanitize } = await import('../src/render/text.js');
  const dendrite = new Dendrite({
    signer,
    timeout: opts.timeout,
    ...(opts.maxResponseBytes !== undefined ? { maxResponseBytes: opts.maxResponseBytes } : {}),
    ...(hooks.verbose ? { onTiming: await verboseReporter(io) } : {}),
  });
  const single = targets.length === 1;
  const ttyOut = io.stdout.isTTY === true;
  const errColor = useColor(io.stderr, io.env, color);
  const streams = dendrite.forward(targets, synapse, {
    streaming: true,
    timeout: opts.timeout,
    split: opts.split,
    ...(opts.idleTimeout !== undefined ? { idleTimeout: opts.idleTimeout } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  try {
    return await Promise.all(
      streams.map(async (events, i) => {
        const target = targets[i]!;
        const label = render.targetLabel(target);
        let pending = '';
        let endsWithNewline = true;
        for await (const ev of events) {
          if (ev.type === 'chunk') {
            if (opts.json) writeLine(io.stdout, render.chunkEventJson(target, ev));
            else if (single) {
              io.stdout.write(ttyOut ? sanitize(ev.data) : ev.data);
              endsWithNewline = ev.data.endsWith('\n');
            } else {
              const { lines, rest } = render.prefixLines(label, pending, opts.split === 'raw' ? ev.data : `${ev.data}\n`);
              pending = rest;
              if (lines.length) io.stdout.write(`${lines.join('\n')}\n`);
            }
            continue;
          }
          if (!opts.json && !single && pending !== '') {
            writeLine(io.stdout, render.prefixLines(label, pending, '', true).lines.join('\n'));
          }
          if (!opts.json && single && ttyOut && !endsWithNewline) io.stdout.write('\n');
          if (opts.json) writeLine(io.stdout, render.doneEventJson(ev.result));
          writeLine(io.stderr, render.streamStatusLine(ev.result, errColor));
          return ev.result;
        }
        throw new Error('stream ended without a result');
      }),
    );
  } finally {
    await dendrite.close();
  }
}

const SPLITS: readonly SplitMode[] = ['raw', 'lines', 'sse'];

export function register(program: Command, io: CliIO): void {
  const cmd = program
    .command('stream')
    .description('send a streaming synapse and watch the chunks arrive, live')
    .option('--synapse <name>', 'synapse class name (built-in test streams: StreamCount, StreamUtf8, StreamStall, StreamForever, StreamFail)', 'StreamCount')
    .option('--schema <file>', 'a synapse schema JSON file (repeatable)', collect, [])
    .option('--field <name=value>', 'a field value; str fields take text as is, others JSON (repeatable)', collect, [])
    .option('--body <json>', 'all field values as one JSON object')
    .option('--stream', 'stream even if the schema does not say "streaming": true')
    .option('--split <mode>', 'how to cut chunks: raw (as they arrive), lines, or sse (data: events)', (v) => {
      if (!SPLITS.includes(v as SplitMode)) throw new InvalidArgumentError('--split must be raw, lines or sse');
      return v;
    }, 'raw');
  addTargetOptions(cmd);
  addWalletOptions(cmd);
  cmd
    .option('--timeout <seconds>', 'limit for the whole stream, counted from sending (Python semantics)', positiveNumber('--timeout'), 12)
    .option('--idle-timeout <seconds>', 'longest silence allowed between chunks (default: none)', positiveNumber('--idle-timeout'))
    .option('--max-response-bytes <n>', 'cut a stream off after this many bytes', positiveInt('--max-response-bytes'), 8 * 1024 * 1024)
    .option('--json', 'NDJSON: one {"type":"chunk"} line per chunk, one {"type":"done"} line per axon')
    .option('--fail', 'exit 4 when any stream did not end with 200');
  cmd.addHelpText(
    'after',
    `
Several axons print whole lines prefixed with [uid N] (or [host:port]); one axon prints chunks as they are.

Examples:
  $ dendrite stream --axon 5F...@127.0.0.1:8091 --uri //Alice --synapse StreamCount --field n=5
  $ dendrite stream --netuid 1 --uid 42 --schema text.json --synapse TextPrompt --field messages='["hi"]' --idle-timeout 5
  $ dendrite stream --axon 5F...@127.0.0.1:8091 --json | jq -r 'select(.type=="chunk") | .data'`,
  );
  cmd.action(async (opts: Record<string, unknown>, command: Command) => {
    const g = command.optsWithGlobals();
    const { fillMissing, canPrompt } = await import('./prompts.js');
    await fillMissing(command, opts, io, { synapse: true, streamingOnly: !opts.stream });
    opts.noPrompt = !canPrompt(io, { json: !!opts.json, input: g.input as boolean | undefined });
    const ac = new AbortController();
    let interrupted = false;
    const onSigint = (): void => {
      if (interrupted) process.exit(130); // a second Ctrl-C does not wait
      interrupted = true;
      ac.abort();
    };
    process.on('SIGINT', onSigint);
    const { startProgress } = await import('./progress.js');
    const progress = await startProgress(io, { quiet: !!g.quiet, color: g.color as boolean });
    try {
      const results = await runStream(
        {
          targets: targetSelectionFrom(opts),
          synapse: opts.synapse as string,
          schemaFiles: opts.schema as string[],
          fields: opts.field as string[],
          body: opts.body as string | undefined,
          timeout: opts.timeout as number,
          idleTimeout: opts.idleTimeout as number | undefined,
          maxResponseBytes: opts.maxResponseBytes as number,
          wallet: walletFrom(opts, io),
          split: opts.split as SplitMode,
          force: !!opts.stream,
          json: !!opts.json,
          signal: ac.signal,
        },
        io,
        g.color as boolean,
        { progress, verbose: !!g.verbose },
      );
      if (interrupted) throw new CliExit(130);
      if (opts.fail && results.some((r) => r.statusCode !== 200)) throw new CliExit(4);
    } finally {
      progress.stop();
      process.off('SIGINT', onSigint);
    }
  });
}
