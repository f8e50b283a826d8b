/**
 * Filling in missing choices interactively (@clack/prompts on stderr):
 * which wallet and hotkey (listed from disk), which subnet (from the chain,
 * with names where it has them) and which uids, which synapse (built-ins and
 * user schemas), and required field values from the schema.
 *
 * Nothing is ever asked when stdin or stderr is not a terminal, `CI` is set,
 * or `--json`/`--no-input` is given: a missing value then stays missing and
 * the command's own check reports it as a usage error naming the flag (exit 2).
 * Ctrl-C at a prompt ends the command with exit 130 and one line, no stack.
 */
import type { Command } from 'commander';
import { CliExit, isCI, writeLine, type CliIO } from './io.js';

export interface InteractiveOptions {
  json?: boolean | undefined;
  /** `--no-input` (commander: `input: false`). */
  input?: boolean | undefined;
}

export { isCI };

/** Whether this run may ask questions. */
export function canPrompt(io: CliIO, opts: InteractiveOptions): boolean {
  return io.interactive !== false && io.stdin.isTTY === true && io.stderr.isTTY === true && !isCI(io.env) && !opts.json && opts.input !== false;
}

type Clack = typeof import('@clack/prompts');

async function clack(): Promise<Clack> {
  return import('@clack/prompts');
}

/** Unwraps a prompt's answer; Ctrl-C/Escape ends the command (exit 130). */
async function answer<T>(io: CliIO, p: Promise<T>, what: string): Promise<Exclude<T, symbol>> {
  const { isCancel } = await clack();
  const v = await p;
  if (isCancel(v)) {
    writeLine(io.stderr, `dendrite: cancelled at the ${what} prompt`);
    throw new CliExit(130);
  }
  return v as Exclude<T, symbol>;
}

function streams(io: CliIO): { input: NodeJS.ReadStream; output: NodeJS.WriteStream } {
  return { input: io.stdin as NodeJS.ReadStream, output: io.stderr as NodeJS.WriteStream };
}

const given = (v: unknown): boolean => v !== undefined && v !== null && v !== '';

/** True when the user chose this option on the command line (not its default). */
function fromCli(cmd: Command, key: string): boolean {
  const src = cmd.getOptionValueSource(key);
  return src !== undefined && src !== 'default' && src !== 'implied';
}

/**
 * Asks for the wallet, then the hotkey, when neither a flag, `BT_WALLET_*`,
 * btcli's config.yml nor `--uri` chose them and there is a real choice on
 * disk (more than the btcli default `default`/`default`). Sets `opts.wallet`
 * / `opts.hotkey`.
 */
export async function promptWallet(opts: Record<string, unknown>, io: CliIO): Promise<void> {
  if (given(opts.uri)) return;
  const { readBtcliConfig } = await import('../src/wallet/config.js');
  const { resolveWalletSelection } = await import('../src/wallet/paths.js');
  const { listWallets } = await import('../src/wallet/list.js');
  let cfg: { walletName?: string | undefined; walletHotkey?: string | undefined } = {};
  try {
    cfg = readBtcliConfig(io.env);
  } catch {
    /* the command reports a bad config itself */
  }
  const walletChosen = given(opts.wallet) || given(io.env.BT_WALLET_NAME) || given(cfg.walletName);
  const hotkeyChosen = given(opts.hotkey) || given(io.env.BT_WALLET_HOTKEY) || given(cfg.walletHotkey);
  if (walletChosen && hotkeyChosen) return;
  let root: string;
  let listing;
  try {
    root = resolveWalletSelection({ walletPath: opts.walletPath as string | undefined }, io.env).walletPath;
    listing = await listWallets(root);
  } catch {
    return; // no wallet path: loading the hotkey reports it
  }
  const wallets = listing.wallets.filter((w) => w.hotkeys.length > 0);
  if (wallets.length === 0) return;
  const { select } = await clack();
  let walletName = walletChosen ? resolveWalletSelection({ walletPath: root, wallet: opts.wallet as string | undefined }, io.env).wallet : undefined;
  if (walletName === undefined) {
    if (wallets.length === 1 && wallets[0]!.name === 'default') walletName = 'default';
    else {
      walletName = await answer(
        io,
        select({
          message: `Which wallet? (${root})`,
          options: wallets.map((w) => ({
            value: w.name,
            label: w.name,
            hint: `${w.hotkeys.length} hotkey${w.hotkeys.length === 1 ? '' : 's'}${w.coldkeyAddress ? `, coldkey ${w.coldkeyAddress.slice(0, 8)}…` : ''}`,
          })),
          initialValue: wallets.some((w) => w.name === 'default') ? 'default' : wallets[0]!.name,
          ...streams(io),
        }),
        'wallet',
      );
      opts.wallet = walletName;
    }
  }
  if (hotkeyChosen) return;
  const w = listing.wallets.find((x) => x.name === walletName);
  if (!w || w.hotkeys.length === 0) return;
  if (w.hotkeys.length === 1 && w.hotkeys[0]!.name === 'default') return;
  opts.hotkey = await answer(
    io,
    select({
      message: `Which hotkey of ${walletName}?`,
      options: w.hotkeys.map((h) => ({
        value: h.name,
        label: h.name,
        hint: [h.address ? `${h.address.slice(0, 8)}…${h.address.slice(-4)}` : '', h.keyfile.encrypted ? 'encrypted' : ''].filter(Boolean).join(', '),
      })),
      initialValue: w.hotkeys.some((h) => h.name === 'default') ? 'default' : w.hotkeys[0]!.name,
      ...streams(io),
    }),
    'hotkey',
  );
}

/** Asks for the synapse when `--synapse` was not given, listing built-ins and user schemas. */
export async function promptSynapse(cmd: Command, opts: Record<string, unknown>, io: CliIO, streamingOnly = false): Promise<void> {
  if (fromCli(cmd, 'synapse')) return;
  const { loadSchemaRegistry } = await import('../src/synapse/schema-files.js');
  const reg = await loadSchemaRegistry((opts.schema as string[] | undefined) ?? [], io.env);
  const all = reg.all().filter((s) => !streamingOnly || s.streaming);
  if (all.length <= 1) return;
  const { select } = await clack();
  opts.synapse = await answer(
    io,
    select({
      message: 'Which synapse?',
      options: all.map((s) => ({
        value: s.name,
        label: s.name,
        hint: [s.source === 'built-in' ? 'built-in' : s.source, s.fields.length ? s.fields.map((f) => f.name).join(', ') : ''].filter(Boolean).join(' · '),
      })),
      initialValue: typeof opts.synapse === 'string' && all.some((s) => s.name === opts.synapse) ? (opts.synapse as string) : all[0]!.name,
      maxItems: 10,
      ...streams(io),
    }),
    'synapse',
  );
}

/** Asks for each required field of the chosen synapse that `--field`/`--body` leave out; appends `--field` values. */
export async function promptFields(opts: Record<string, unknown>, io: CliIO): Promise<void> {
  const { loadSchemaRegistry } = await import('../src/synapse/schema-files.js');
  const { formatFieldType } = await import('../src/synapse/types.js');
  const { parsePyJson } = await import('../src/synapse/pyjson.js');
  const reg = await loadSchemaRegistry((opts.schema as string[] | undefined) ?? [], io.env);
  let schema;
  try {
    schema = reg.get(opts.synapse as string);
  } catch {
    return; // the command reports the unknown name
  }
  const fields = ((opts.field as string[] | undefined) ?? []).slice();
  const have = new Set(fields.map((f) => f.slice(0, Math.max(0, f.indexOf('=')))));
  if (typeof opts.body === 'string') {
    try {
      const doc = parsePyJson(opts.body);
      if (doc instanceof Map) for (const k of doc.keys()) have.add(k);
    } catch {
      return; // the command reports a bad --body
    }
  }
  const { text } = await clack();
  for (const f of schema.fields) {
    if (!f.required || have.has(f.name)) continue;
    const type = formatFieldType(f.type);
    const isStr = f.type.kind === 'str' || (f.type.kind === 'optional' && f.type.inner.kind === 'str');
    const value = await answer(
      io,
      text({
        message: `${schema.name}.${f.name} (${type})${f.description ? ` — ${f.description}` : ''}`,
        placeholder: isStr ? 'text' : 'JSON, e.g. 3, 1.5, true, ["a"]',
        validate: (v) => {
          if (isStr) return undefined;
          if (v === undefined || v.trim() === '') return `type a ${type} value`;
          try {
            parsePyJson(v);
            return undefined;
          } catch {
            return /^(int|float|bool)/.test(type) ? undefined : `not valid JSON for ${type}`;
          }
        },
        ...streams(io),
      }),
      `${f.name} field`,
    );
    fields.push(`${f.name}=${value ?? ''}`);
  }
  opts.field = fields;
}

/**
 * Asks for the subnet (listed from the chain, with names) and the uids when
 * no target was given (`--axon`, `--netuid`, `--metagraph`). Sets
 * `opts.netuid` and `opts.uid`/`opts.all`/`opts.validators`.
 */
export async function promptTargets(opts: Record<string, unknown>, io: CliIO): Promise<void> {
  const axons = (opts.axon as string[] | undefined) ?? [];
  if (axons.length > 0 || opts.netuid !== undefined || given(opts.metagraph)) return;
  const c = await clack();
  let subnets: Array<{ netuid: number; name?: string | undefined }> = [];
  const spin = c.spinner({ ...streams(io) });
  let network = '';
  try {
    const { selectNetwork } = await import('../src/chain/networks.js');
    const net = selectNetwork(opts.network as string | undefined, io.env);
    network = net.name === 'unknown' ? net.url : net.name;
    spin.start(`Listing subnets on ${network}`);
    const { connectChain } = await import('../src/chain/connect.js');
    const { listSubnets } = await import('../src/chain/subnets.js');
    const timeoutMs = ((opts.chainTimeout as number | undefined) ?? 10) * 1000;
    const conn = await connectChain(net.url, { timeoutMs });
    try {
      subnets = await listSubnets(conn.api);
    } finally {
      await conn.close();
    }
    spin.stop(`${subnets.length} subnets on ${network}`);
  } catch (e) {
    spin.stop(`Could not list subnets${network ? ` on ${network}` : ''}: ${(e as Error).message.split('\n')[0]}`);
  }
  let netuid: number;
  if (subnets.length > 0) {
    netuid = await answer(
      io,
      c.select({
        message: 'Which subnet?',
        options: subnets.map((s) => ({ value: s.netuid, label: `${s.netuid}${s.name ? `  ${s.name}` : ''}` })),
        maxItems: 12,
        ...streams(io),
      }),
      'subnet',
    );
  } else {
    const t = await answer(
      io,
      c.text({
        message: 'Which subnet (netuid)? (or pass --axon HOTKEY@HOST:PORT)',
        validate: (v) => (v !== undefined && /^\d+$/.test(v.trim()) ? undefined : 'a whole number, e.g. 1'),
        ...streams(io),
      }),
      'subnet',
    );
    netuid = Number(t.trim());
  }
  opts.netuid = netuid;
  const uids = await answer(
    io,
    c.text({
      message: `Which uids of subnet ${netuid}? (all, validators, or a list like 0,5,10-20)`,
      defaultValue: 'all',
      placeholder: 'all',
      validate: (v) => {
        const s = (v ?? '').trim();
        if (s === '' || s === 'all' || s === 'validators' || /^\d+(-\d+)?(,\s*\d+(-\d+)?)*$/.test(s)) return undefined;
        return 'all, validators, or uids like 0,5,10-20';
      },
      ...streams(io),
    }),
    'uids',
  );
  const u = (uids ?? '').trim();
  if (u === '' || u === 'all') opts.all = true;
  else if (u === 'validators') opts.validators = true;
  else opts.uid = [u.replace(/\s+/g, '')];
}

/** Everything a query/ping/stream run may ask, in order: targets, wallet, synapse, fields. */
export async function fillMissing(
  cmd: Command,
  opts: Record<string, unknown>,
  io: CliIO,
  what: { synapse: boolean; streamingOnly?: boolean },
): Promise<void> {
  const g = cmd.optsWithGlobals();
  if (!canPrompt(io, { json: !!opts.json, input: g.input as boolean | undefined })) return;
  await promptTargets(opts, io);
  await promptWallet(opts, io);
  if (what.synapse) {
    await promptSynapse(cmd, opts, io, what.streamingOnly);
    await promptFields(opts, io);
  }
}
