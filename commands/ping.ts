/** `dendrite ping`: the `Synapse` route every axon serves, as a health check; `--watch` repeats it. */
import type { Command } from 'commander';
import type { CallResult } from '../src/dendrite/dendrite.js';
import { CliExit, useColor, writeLine, type CliIO } from './io.js';
import { addTargetOptions, addWalletOptions, positiveInt, positiveNumber } from './options.js';
import { addDisplayOptions, addRequestOptions, outputOptionsFrom, prepareQuery, queryAction, queryOptionsFrom } from './query.js';

export function register(program: Command, io: CliIO): void {
  const cmd = program.command('ping').description('ping axons (the Synapse route) and show status and latency; --watch repeats the sweep');
  addTargetOptions(cmd);
  addWalletOptions(cmd);
  addRequestOptions(cmd);
  addDisplayOptions(cmd);
  cmd
    .option('--watch <seconds>', 'repeat the sweep every SECONDS: redraw the table in place and show what changed (with --json: one NDJSON line per sweep)', positiveNumber('--watch'))
    .option('--count <n>', 'with --watch: stop after N sweeps (default: until Ctrl-C)', positiveInt('--count'));
  cmd.addHelpText(
    'after',
    `
Examples:
  $ dendrite ping --axon 5F...@127.0.0.1:8091 --uri //Alice
  $ dendrite ping --netuid 1 --all --sort latency --only failed
  $ dendrite ping --netuid 1 --validators --watch 10
  $ dendrite ping --axon 5F...@127.0.0.1:8091 --json | jq -r '.[] | "\\(.hotkey) \\(.status_code) \\(.latency_ms)"'`,
  );
  cmd.action(async (opts: Record<string, unknown>, command: Command) => {
    if (opts.watch !== undefined) return watchAction(command, opts, io);
    return queryAction(command, opts, io, 'Synapse');
  });
}

/**
 * `ping --watch SECONDS`: the sweep again and again (targets and hotkey
 * resolved once). On a terminal the screen is redrawn in place with the
 * table, the summary and what changed; in a pipe each sweep is appended
 * (no ANSI); with --json one NDJSON line per sweep:
 * `{"sweep": n, "time": ISO, "results": [...], "changes": [...], "summary"?: {...}}`.
 * Ctrl-C stops (exit 130); `--count N` stops after N sweeps (exit 0, or 4 with --fail).
 */
async function watchAction(command: Command, opts: Record<string, unknown>, io: CliIO): Promise<void> {
  const g = command.optsWithGlobals();
  const { fillMissing, canPrompt } = await import('./prompts.js');
  await fillMissing(command, opts, io, { synapse: false });
  opts.noPrompt = !canPrompt(io, { json: !!opts.json, input: g.input as boolean | undefined });
  const out = outputOptionsFrom(opts, g);
  const seconds = opts.watch as number;
  const count = opts.count as number | undefined;
  const render = await import('../src/render/results.js');
  const summary = await import('../src/render/summary.js');
  const watch = await import('../src/render/watch.js');
  const { toUserJson } = await import('../src/synapse/pyjson.js');
  const { startProgress } = await import('./progress.js');
  const progress = await startProgress(io, { quiet: !!g.quiet, color: g.color as boolean });
  const tty = io.stdout.isTTY === true && !out.json;
  const color = useColor(io.stdout, io.env, out.color);
  const ac = new AbortController();
  const onSigint = (): void => ac.abort();
  process.on('SIGINT', onSigint);
  let q: Awaited<ReturnType<typeof prepareQuery>> | undefined;
  let prev: CallResult[] | undefined;
  let last: CallResult[] = [];
  try {
    q = await prepareQuery(queryOptionsFrom(opts, io, 'Synapse'), io, { progress, verbose: !!g.verbose });
    for (let n = 1; count === undefined || n <= count; n++) {
      const started = Date.now();
      const { results, skipped } = await q.sweep();
      if (ac.signal.aborted) break;
      last = results;
      const changes = watch.diffSweeps(prev, results, out.wide);
      prev = results;
      if (out.json) {
        const doc = new Map<string, import('../src/synapse/pyvalue.js').PyValue>([
          ['sweep', BigInt(n)],
          ['time', new Date(started).toISOString()],
          ['results', results.map(render.resultToPy)],
          ['changes', watch.changesToPy(changes)],
        ]);
        if (out.summary) doc.set('summary', summary.summaryToPy(summary.summarize(results)));
        writeLine(io.stdout, toUserJson(doc, 0));
      } else {
        let rows = results;
        if (out.only) rows = render.filterResults(rows, out.only);
        if (out.sort) rows = render.sortResults(rows, out.sort);
        const maxWidth = tty && io.stdout.columns ? io.stdout.columns : undefined;
        const parts = [
          `Every ${seconds} s · sweep ${n}${count ? ` of ${count}` : ''} · ${new Date(started).toISOString().replace('T', ' ').slice(0, 19)} UTC${tty ? ' · Ctrl-C to stop' : ''}`,
          rows.length ? render.renderResultsTable(rows, { color, wide: out.wide ?? false, maxWidth }) : '(no rows)',
          summary.renderSummary(summary.summarize(results), { color, wide: out.wide ?? false }),
          watch.renderChanges(changes, { color }),
        ];
        // In place on a terminal: home the cursor and clear the screen, like watch(1).
        io.stdout.write(`${tty ? '\x1b[H\x1b[2J' : n > 1 ? '\n' : ''}${parts.join('\n\n')}\n`);
      }
      for (const s of skipped) if (n === 1) writeLine(io.stderr, `uid ${s.uid}: skipped, ${s.reason}`);
      if (count !== undefined && n >= count) break;
      const wait = Math.max(0, seconds * 1000 - (Date.now() - started));
      progress.phase(`next sweep in ${Math.round(wait / 100) / 10} s`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, wait);
        ac.signal.addEventListener('abort', () => {
          clearTimeout(t);
          resolve();
        }, { once: true });
      });
      progress.pause();
      if (ac.signal.aborted) break;
    }
  } finally {
    process.off('SIGINT', onSigint);
    progress.stop();
    await q?.close();
  }
  if (ac.signal.aborted) throw new CliExit(130);
  if (out.fail && last.some((r) => r.statusCode !== 200)) throw new CliExit(4);
}
