/** `dendrite query`: send a synapse to axons and show what each answered. */
import { Option, type Command } from 'commander';
import type { CallResult, RequestTiming } from '../src/dendrite/dendrite.js';
import type { OnlyFilter, SortKey } from '../src/render/results.js';
import type { PyValue } from '../src/synapse/pyvalue.js';
import type { Progress } from './progress.js';
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

const SORT_CHOICES = ['latency', 'uid', 'status'];
const ONLY_CHOICES = ['failed', 'ok'];

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

/** What a run shows besides its results: progress (a spinner on a terminal) and `-v` request details. */
export interface QueryHooks {
  progress?: Progress | undefined;
  /** `-v`: each request's headers and per-phase timings on stderr. */
  verbose?: boolean | undefined;
}

/** A query ready to send: schema, targets and hotkey resolved once; `sweep()` may run many times (`--watch`). */
export interface PreparedQuery {
  sweep(): Promise<QueryOutcome>;
  targetCount: number;
  close(): Promise<void>;
}

export async function prepareQuery(opts: QueryOptions, io: CliIO, hooks: QueryHooks = {}): Promise<PreparedQuery> {
  const progress = hooks.progress;
  const { loadSchemaRegistry } = await import('../src/synapse/schema-files.js');
  const { synapseFromInputs } = await import('../src/synapse/inputs.js');
  const registry = await loadSchemaRegistry(opts.schemaFiles, io.env);
  const schema = registry.get(opts.synapse);
  const synapse = synapseFromInputs(schema, { fields: opts.fields, body: opts.body });
  progress?.phase('resolving targets');
  const { targets, skipped } = await resolveTargetsFor(opts.targets, progress?.io ?? io);
  // The password prompt and the KDF spinner own the terminal while the hotkey loads.
  progress?.pause();
  const { loadHotkey } = await import('../src/wallet/hotkey.js');
  const signer = await loadHotkey(opts.wallet);
  const { Dendrite } = await import('../src/dendrite/dendrite.js');
  const verbose = hooks.verbose ? await verboseReporter(io) : undefined;
  const dendrite = new Dendrite({
    signer,
    timeout: opts.timeout,
    ...(opts.concurrency !== undefined ? { concurrency: opts.concurrency } : {}),
    ...(opts.maxResponseBytes !== undefined ? { maxResponseBytes: opts.maxResponseBytes } : {}),
    ...(opts.retries !== undefined ? { retries: opts.retries } : {}),
    ...(verbose ? { onTiming: verbose } : {}),
  });
  const label = `${schema.name === 'Synapse' ? 'pinging' : `querying ${schema.name},`} ${targets.length} axon${targets.length === 1 ? '' : 's'}`;
  return {
    targetCount: targets.length,
    sweep: async () => {
      progress?.expect(targets.length, label);
      const results = await dendrite.forward(targets, synapse, { onResult: (r) => progress?.answered(r.statusCode === 200) });
      progress?.pause();
      return { results, skipped };
    },
    close: () => dendrite.close(),
  };
}

/** The command as a function: options in, results out. `ping` and `demo` use it too. */
export async function runQuery(opts: QueryOptions, io: CliIO, hooks: QueryHooks = {}): Promise<QueryOutcome> {
  const q = await prepareQuery(opts, io, hooks);
  try {
    return await q.sweep();
  } finally {
    await q.close();
  }
}

/** `-v`: one block per request on stderr: the headers (no secrets: the signature is public) and the phases. */
export async function verboseReporter(io: CliIO): Promise<(t: RequestTiming) => void> {
  const { renderTiming } = await import('../src/render/timing.js');
  return (t) => writeLine(io.stderr, renderTiming(t));
}

export interface OutputOptions {
  json: boolean;
  fail: boolean;
  wide?: boolean;
  color?: boolean;
  quiet?: boolean;
  /** `--sort`: table order (JSON keeps input order). */
  sort?: SortKey | undefined;
  /** `--only`: table rows (JSON keeps every result). */
  only?: OnlyFilter | undefined;
  /** `--summary`: with --json, print `{results, summary}`; without, the summary even for one axon. */
  summary?: boolean | undefined;
}

/** Writes results (table or JSON) and turns `--fail` into exit 4. */
export async function writeOutcome(outcome: QueryOutcome, out: OutputOptions, io: CliIO): Promise<void> {
  const render = await import('../src/render/results.js');
  if (out.json) {
    const indent = io.stdout.isTTY ? 2 : 0;
    if (out.summary) {
      const { summarize, summaryToPy } = await import('../src/render/summary.js');
      const { toUserJson } = await import('../src/synapse/pyjson.js');
      const doc = new Map<string, PyValue>([
        ['results', outcome.results.map(render.resultToPy)],
        ['summary', summaryToPy(summarize(outcome.results))],
      ]);
      writeLine(io.stdout, toUserJson(doc, indent));
    } else writeLine(io.stdout, render.renderResultsJson(outcome.results, indent));
  } else {
    const color = useColor(io.stdout, io.env, out.color);
    let rows = outcome.results;
    if (out.only) rows = render.filterResults(rows, out.only);
    if (out.sort) rows = render.sortResults(rows, out.sort);
    const maxWidth = io.stdout.isTTY && io.stdout.columns ? io.stdout.columns : undefined;
    if (rows.length > 0) writeLine(io.stdout, render.renderResultsTable(rows, { color, wide: out.wide ?? false, maxWidth }));
    if (outcome.results.length > 1 || (out.summary && outcome.results.length > 0)) {
      const { summarize, renderSummary } = await import('../src/render/summary.js');
      writeLine(io.stdout, `\n${renderSummary(summarize(outcome.results), { color, wide: out.wide ?? false })}`);
    }
    if (!out.quiet) writeLine(io.stderr, render.renderResultsFooter(outcome.results, useColor(io.stderr, io.env, out.color)));
  }
  for (const s of outcome.skipped) writeLine(io.stderr, `uid ${s.uid}: skipped, ${s.reason}`);
  if (out.fail && (outcome.skipped.length > 0 || outcome.results.some((r) => r.statusCode !== 200))) throw new CliExit(4);
}

/** `--sort`, `--only`, `--summary`: how the results are shown. */
export function addDisplayOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--sort <key>', 'table order: latency (fastest first), uid, or status (ok first)').choices(SORT_CHOICES))
    .addOption(new Option('--only <which>', 'table rows: failed or ok (the summary still counts every axon)').choices(ONLY_CHOICES))
    .option('--summary', 'with --json print {"results": [...], "summary": {...}}; without, the summary also for one axon');
}

/** Output options from parsed flags and the program's globals. */
export function outputOptionsFrom(opts: Record<string, unknown>, g: Record<string, unknown>): OutputOptions {
  return {
    json: !!opts.json,
    fail: !!opts.fail,
    wide: !!opts.wide,
    color: g.color as boolean,
    quiet: !!g.quiet,
    sort: opts.sort as SortKey | undefined,
    only: opts.only as OnlyFilter | undefined,
    summary: !!opts.summary,
  };
}

/** The shared action of `query` and `ping`: prompts for what is missing, progress, results. */
export async function queryAction(command: Command, opts: Record<string, unknown>, io: CliIO, synapse?: string): Promise<void> {
  const g = command.optsWithGlobals();
  const { fillMissing, canPrompt } = await import('./prompts.js');
  await fillMissing(command, opts, io, { synapse: synapse === undefined });
  opts.noPrompt = !canPrompt(io, { json: !!opts.json, input: g.input as boolean | undefined });
  const { startProgress } = await import('./progress.js');
  const progress = await startProgress(io, { quiet: !!g.quiet, color: g.color as boolean });
  let outcome: QueryOutcome;
  try {
    outcome = await runQuery(queryOptionsFrom(opts, io, synapse), io, { progress, verbose: !!g.verbose });
  } finally {
    progress.stop();
  }
  await writeOutcome(outcome, outputOptionsFrom(opts, g), io);
}

export function addRequestOptions(cmd: Command): Command {
  return cmd
    .option('--timeout <seconds>', 'per-request timeout, counted from when the request is sent', positiveNumber('--timeout'), 12)
    .option('--concurrency <n>', 'requests in flight at once', positiveInt('--concurrency'), 256)
    .option('--max-response-bytes <n>', 'largest reply read before it is cut off', positiveInt('--max-response-bytes'), 8 * 1024 * 1024)
    .option('--retries <n>', 'retry a timeout or connection error n times (fresh nonce and signature each time)', nonNegativeNumber('--retries', true), 0)
    .option('--json', 'print one JSON array (one object per axon, input order) instead of a table; never prompts')
    .option('--fail', 'exit 4 when any axon did not answer 200')
    .option('--wide', 'show full hotkeys and messages');
}

export function register(program: Command, io: CliIO): void {
  const cmd = program
    .command('query')
    .description('send a synapse to axons and show their answers')
    .option('--synapse <name>', 'synapse class name (built-ins: Synapse/Ping, Dummy; on a terminal asked for when not given)', 'Synapse')
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
  addDisplayOptions(cmd);
  cmd.action(async (opts: Record<string, unknown>, command: Command) => queryAction(command, opts, io));
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
