/** `dendrite query`: send a synapse to axons and show what each answered. */
import type { Command } from 'commander';
import type { CallResult } from '../src/dendrite/dendrite.js';
import type { HotkeyOptions } from '../src/wallet/hotkey.js';
import { CliExit, useColor, writeLine, type CliIO } from './io.js';
import {
  addTargetOptions,
  addWalletOptions,
  collect,
  nonNegativeNumber,
  positiveInt,
  positiveNumber,
  resolveTargetsFor,
  targetSelectionFrom,
  walletFrom,
  type TargetResolution,
  type TargetSelection,
} from './options.js';

export interface QueryOptions {
  targets: TargetSelection;
  /** Synapse class name (or alias). */
  synapse: string;
  schemaFiles: string[];
  fields: string[];
  body?: string | undefined;
  /** Seconds. */
  timeout: number;
  wallet: HotkeyOptions;
  concurrency?: number | undefined;
  maxResponseBytes?: number | undefined;
  /** Extra attempts after a timeout or connection error (`--retries`). */
  retries?: number | undefined;
}

export interface QueryOutcome {
  results: CallResult[];
  skipped: TargetResolution['skipped'];
}

/** The command as a function: options in, results out. `ping` and `demo` use it too. */
export async function runQuery(opts: QueryOptions, io: CliIO): Promise<QueryOutcome> {
  const { loadSchemaRegistry } = await import('../src/synapse/schema-files.js');
  const { synapseFromInputs } = await import('../src/synapse/inputs.js');
  const registry = await loadSchemaRegistry(opts.schemaFiles, io.env);
  const schema = registry.get(opts.synapse);
  const synapse = synapseFromInputs(schema, { fields: opts.fields, body: opts.body });
  const { targets, skipped } = await resolveTargetsFor(opts.targets, io);
  const { loadHotkey } = await import('../src/wallet/hotkey.js');
  const signer = await loadHotkey(opts.wallet);
  const { Dendrite } = await import('../src/dendrite/dendrite.js');
  const dendrite = new Dendrite({
    signer,
    timeout: opts.timeout,
    ...(opts.concurrency !== undefined ? { concurrency: opts.concurrency } : {}),
    ...(opts.maxResponseBytes !== undefined ? { maxResponseBytes: opts.maxResponseBytes } : {}),
    ...(opts.retries !== undefined ? { retries: opts.retries } : {}),
  });
  try {
    return { results: await dendrite.forward(targets, synapse), skipped };
  } finally {
    await dendrite.close();
  }
}

export interface OutputOptions {
  json: boolean;
  fail: boolean;
  wide?: boolean;
  color?: boolean;
  quiet?: boolean;
}

/** Writes results (table or JSON) and turns `--fail` into exit 4. */
export async function writeOutcome(outcome: QueryOutcome, out: OutputOptions, io: CliIO): Promise<void> {
  const render = await import('../src/render/results.js');
  if (out.json) {
    writeLine(io.stdout, render.renderResultsJson(outcome.results, io.stdout.isTTY ? 2 : 0));
  } else {
    const color = useColor(io.stdout, io.env, out.color);
    if (outcome.results.length > 0) writeLine(io.stdout, render.renderResultsTable(outcome.results, { color, wide: out.wide ?? false }));
    if (!out.quiet) writeLine(io.stderr, render.renderResultsFooter(outcome.results, useColor(io.stderr, io.env, out.color)));
  }
  for (const s of outcome.skipped) writeLine(io.stderr, `uid ${s.uid}: skipped, ${s.reason}`);
  if (out.fail && (outcome.skipped.length > 0 || outcome.results.some((r) => r.statusCode !== 200))) throw new CliExit(4);
}

export function addRequestOptions(cmd: Command): Command {
  return cmd
    .option('--timeout <seconds>', 'per-request timeout, counted from when the request is sent', positiveNumber('--timeout'), 12)
    .option('--concurrency <n>', 'requests in flight at once', positiveInt('--concurrency'), 256)
    .option('--max-response-bytes <n>', 'largest reply read before it is cut off', positiveInt('--max-response-bytes'), 8 * 1024 * 1024)
    .option('--retries <n>', 'retry a timeout or connection error n times (fresh nonce and signature each time)', nonNegativeNumber('--retries', true), 0)
    .option('--json', 'print one JSON array (one object per axon, input order) instead of a table')
    .option('--fail', 'exit 4 when any axon did not answer 200')
    .option('--wide', 'show full hotkeys and messages');
}

export function register(program: Command, io: CliIO): void {
  const cmd = program
    .command('query')
    .description('send a synapse to axons and show their answers')
    .option('--synapse <name>', 'synapse class name (built-ins: Synapse/Ping, Dummy)', 'Synapse')
    .option('--schema <file>', 'a synapse schema JSON file (repeatable)', collect, [])
    .option('--field <name=value>', 'a field value; str fields take text as is, others JSON (repeatable)', collect, [])
    .option('--body <json>', 'all field values as one JSON object');
  addTargetOptions(cmd);
  addWalletOptions(cmd);
  addRequestOptions(cmd);
  cmd.addHelpText(
    'after',
    `
Examples:
  $ dendrite query --axon 5F...@127.0.0.1:8091 --synapse Dummy --field dummy_input=3
  $ dendrite query --axon 5F...@[::1]:8091 --schema text.json --synapse TextPrompt --body '{"roles":["user"],"messages":["hi"]}'
  $ dendrite query --axon 5F...@127.0.0.1:8091 --synapse Dummy --field dummy_input=3 --json | jq '.[].synapse.dummy_output'`,
  );
  cmd.action(async (opts: Record<string, unknown>, command: Command) => {
    const g = command.optsWithGlobals();
    const outcome = await runQuery(queryOptionsFrom(opts, io), io);
    await writeOutcome(outcome, { json: !!opts.json, fail: !!opts.fail, wide: !!opts.wide, color: g.color as boolean, quiet: !!g.quiet }, io);
  });
}

export function queryOptionsFrom(opts: Record<string, unknown>, io: CliIO, synapse?: string): QueryOptions {
  return {
    targets: targetSelectionFrom(opts),
    synapse: synapse ?? (opts.synapse as string),
    schemaFiles: (opts.schema as string[] | undefined) ?? [],
    fields: (opts.field as string[] | undefined) ?? [],
    body: opts.body as string | undefined,
    timeout: opts.timeout as number,
    wallet: walletFrom(opts, io),
    concurrency: opts.concurrency as number | undefined,
    maxResponseBytes: opts.maxResponseBytes as number | undefined,
    retries: opts.retries as number | undefined,
  };
}
