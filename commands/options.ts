/**
 * Flags shared by commands, and their translation into typed options.
 * Target flags: `--axon` here; the chain flags (--netuid, --uid, --all, ...)
 * are added by the chain work in `addTargetOptions`/`targetSelectionFrom`.
 */
import { InvalidArgumentError, type Command } from 'commander';
import type { HotkeyOptions } from '../src/wallet/hotkey.js';
import type { AxonTarget } from '../src/targets/types.js';
import type { TargetSelection as ChainTargetSelection } from '../src/targets/resolve.js';
import { writeLine, type CliIO } from './io.js';
import { addPasswordOption, unlockHooks } from './unlock.js';

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function positiveNumber(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a positive number of seconds, e.g. 12`);
    return n;
  };
}

export function positiveInt(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a positive whole number`);
    return n;
  };
}

export function addWalletOptions(cmd: Command): Command {
  return addPasswordOption(
    cmd
      .option('--wallet-path <dir>', 'wallet root (env BT_WALLET_PATH; btcli config.yml; default ~/.bittensor/wallets)')
      .option('--wallet <name>', 'wallet name (env BT_WALLET_NAME; btcli config.yml; default "default")')
      .option('--hotkey <name>', 'hotkey name (env BT_WALLET_HOTKEY; btcli config.yml; default "default")')
      .option('--uri <suri>', 'sign with a development key instead of a wallet, e.g. //Alice'),
  );
}

/**
 * The hotkey options of a command, with the password prompt and KDF spinner
 * for encrypted keyfiles. `opts.noPrompt` (set by commands from `--no-input`,
 * `--json` and `CI`) leaves the prompt out: the password must come from
 * `--password-env` or `BT_PW_<PATH>`.
 */
export function walletFrom(opts: Record<string, unknown>, io: CliIO): HotkeyOptions {
  const hooks = unlockHooks(io, opts.passwordEnv as string | undefined);
  if (opts.noPrompt === true) delete hooks.prompt;
  return {
    walletPath: opts.walletPath as string | undefined,
    wallet: opts.wallet as string | undefined,
    hotkey: opts.hotkey as string | undefined,
    uri: opts.uri as string | undefined,
    onWarning: (message: string) => writeLine(io.stderr, `dendrite: warning: ${message}`),
    ...hooks,
  };
}

export interface TargetSelection extends ChainTargetSelection {
  /** Raw `--axon` specs. */
  axon: string[];
}

export interface TargetResolution {
  targets: AxonTarget[];
  /** Selected uids that cannot be queried (not serving, missing), reported per target. */
  skipped: Array<{ uid: number; reason: string }>;
}

export function nonNegativeNumber(name: string, integer = false) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < 0 || (integer && !Number.isInteger(n))) {
      throw new InvalidArgumentError(`${name} must be a ${integer ? 'whole number' : 'number'} >= 0`);
    }
    return n;
  };
}

/** `--netuid` plus where its metagraph comes from: the chain (network, timeouts, cache) or a snapshot file. */
export function addChainOptions(cmd: Command, between: (cmd: Command) => void = () => undefined): Command {
  cmd.option('--netuid <n>', 'subnet id (netuid)', nonNegativeNumber('--netuid', true));
  between(cmd);
  return cmd
    .option('--network <name|url>', 'finney (default), test, archive, local, latent-lite, or a ws:// / wss:// URL (btcli config.yml `network` also applies)')
    .option('--metagraph <file>', 'use a snapshot saved by `dendrite metagraph --save` instead of the chain')
    .option('--chain-timeout <seconds>', 'give up on a subtensor node that does not answer (default 10)', positiveNumber('--chain-timeout'))
    .option('--cache-ttl <seconds>', 'reuse a cached metagraph this young (default 300; 0 disables the cache)', nonNegativeNumber('--cache-ttl'))
    .option('--refresh', 'read the chain even if the cache is fresh');
}

export function addTargetOptions(cmd: Command): Command {
  cmd.option('--axon <[hotkey@]host:port>', 'an axon to talk to (repeatable); IPv6 as hotkey@[::1]:8091', collect, []);
  return addChainOptions(cmd, (c) =>
    c
      .option('--uid <list>', 'uids of --netuid: 42, 1,5,10-20 (repeatable)', collect, [])
      .option('--all', 'every serving axon of --netuid')
      .option('--validators', 'only axons with a validator permit (alone: all serving validators)'),
  );
}

/** The values of `addChainOptions`: which subnet, and where its metagraph comes from. */
export function chainSourceFrom(opts: Record<string, unknown>) {
  return {
    netuid: opts.netuid as number | undefined,
    metagraph: opts.metagraph as string | undefined,
    network: opts.network as string | undefined,
    chainTimeout: opts.chainTimeout as number | undefined,
    cacheTtl: opts.cacheTtl as number | undefined,
    refresh: opts.refresh as boolean | undefined,
  };
}

export function targetSelectionFrom(opts: Record<string, unknown>): TargetSelection {
  return {
    axon: (opts.axon as string[] | undefined) ?? [],
    uid: opts.uid as string[] | undefined,
    all: opts.all as boolean | undefined,
    validators: opts.validators as boolean | undefined,
    ...chainSourceFrom(opts),
  };
}

/** Turns the selection into targets; a usage error when nothing is selected. */
export async function resolveTargetsFor(sel: TargetSelection, io: CliIO): Promise<TargetResolution> {
  const { resolveTargets, wantsSubnet } = await import('../src/targets/resolve.js');
  const { UsageError } = await import('../src/errors.js');
  if (sel.axon.length === 0 && !wantsSubnet(sel) && sel.netuid === undefined && !sel.metagraph) {
    throw new UsageError('ERR_NO_TARGET', 'no axon selected; pass --axon HOTKEY@HOST:PORT or --netuid N with --uid LIST, --all or --validators');
  }
  const r = await resolveTargets(sel, { env: io.env, onNote: (note) => io.stderr.write(`dendrite: ${note}\n`) });
  return { targets: r.targets, skipped: r.skipped };
}
