/**
 * Flags shared by commands, and their translation into typed options.
 * Target flags: `--axon` here; the chain flags (--netuid, --uid, --all, ...)
 * are added by the chain work in `addTargetOptions`/`targetSelectionFrom`.
 */
import { InvalidArgumentError, type Command } from 'commander';
import type { HotkeyOptions } from '../src/wallet/hotkey.js';
import type { AxonTarget } from '../src/targets/types.js';
import type { CliIO } from './io.js';

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
  return cmd
    .option('--wallet-path <dir>', 'wallet root (env BT_WALLET_PATH; default ~/.bittensor/wallets)')
    .option('--wallet <name>', 'wallet name (env BT_WALLET_NAME; default "default")')
    .option('--hotkey <name>', 'hotkey name (env BT_WALLET_HOTKEY; default "default")')
    .option('--uri <suri>', 'sign with a development key instead of a wallet, e.g. //Alice');
}

export function walletFrom(opts: Record<string, unknown>, io: CliIO): HotkeyOptions {
  return {
    walletPath: opts.walletPath as string | undefined,
    wallet: opts.wallet as string | undefined,
    hotkey: opts.hotkey as string | undefined,
    uri: opts.uri as string | undefined,
    env: io.env,
  };
}

export interface TargetSelection {
  /** Raw `--axon` specs. */
  axon: string[];
}

export interface TargetResolution {
  targets: AxonTarget[];
  /** Selected uids that cannot be queried (not serving, missing), reported per target. */
  skipped: Array<{ uid: number; reason: string }>;
}

export function addTargetOptions(cmd: Command): Command {
  return cmd.option('--axon <[hotkey@]host:port>', 'an axon to talk to (repeatable); IPv6 as hotkey@[::1]:8091', collect, []);
}

export function targetSelectionFrom(opts: Record<string, unknown>): TargetSelection {
  return { axon: (opts.axon as string[] | undefined) ?? [] };
}

/** Turns the selection into targets; a usage error when nothing is selected. */
export async function resolveTargetsFor(sel: TargetSelection, _io: CliIO): Promise<TargetResolution> {
  const { parseAxonSpec } = await import('../src/targets/axon-spec.js');
  const { UsageError } = await import('../src/errors.js');
  if (sel.axon.length === 0) {
    throw new UsageError('ERR_NO_TARGET', 'no axon selected; pass --axon HOTKEY@HOST:PORT');
  }
  return { targets: sel.axon.map(parseAxonSpec), skipped: [] };
}
