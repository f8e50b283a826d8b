/**
 * `dendrite wallet list|show|check`: btcli wallets as they are on disk.
 */
import type { Command } from 'commander';
import type { HotkeyOptions } from '../src/wallet/hotkey.js';
import { CliExit, useColor, writeLine, type CliIO } from './io.js';
import { addPasswordOption, unlockHooks } from './unlock.js';

/** --wallet-path, and unless only the root matters, --wallet and --hotkey. */
function addSelectionOptions(cmd: Command, names = true): Command {
  cmd.option('--wallet-path <dir>', 'wallet root (env BT_WALLET_PATH; default ~/.bittensor/wallets)');
  if (names) {
    cmd.option('--wallet <name>', 'wallet name (env BT_WALLET_NAME; default "default")').option('--hotkey <name>', 'hotkey name (env BT_WALLET_HOTKEY; default "default")');
  }
  return cmd;
}

function selection(opts: Record<string, unknown>) {
  return {
    walletPath: opts.walletPath as string | undefined,
    wallet: opts.wallet as string | undefined,
    hotkey: opts.hotkey as string | undefined,
  };
}

function json(io: CliIO, value: unknown): void {
  writeLine(io.stdout, JSON.stringify(value, null, 2));
}

export function register(program: Command, io: CliIO): void {
  const wallet = program
    .command('wallet')
    .description('inspect btcli wallets: list them, show one, check that a key unlocks and signs')
    .addHelpText(
      'after',
      `
Wallets are read where btcli keeps them: --wallet-path, else BT_WALLET_PATH, else wallet_path in
~/.bittensor/config.yml (or $BTCLI_CONFIG_PATH), else ~/.bittensor/wallets. The same order holds for
--wallet/BT_WALLET_NAME/wallet_name and --hotkey/BT_WALLET_HOTKEY/wallet_hotkey.

Examples:
  $ dendrite wallet list
  $ dendrite wallet show --wallet miner --hotkey default
  $ dendrite wallet check --wallet miner --hotkey default --password-env MINER_PW`,
    );

  addSelectionOptions(
    wallet
      .command('list')
      .description('every wallet with its coldkey address, and each hotkey with its address and whether it is encrypted (no password needed)')
      .addHelpText('after', `
Examples:
  $ dendrite wallet list
  $ dendrite wallet list --wallet-path /srv/wallets --json | jq -r '.wallets[].name'`),
    false,
  )
    .option('--json', 'print JSON')
    .action(async (opts: Record<string, unknown>, command: Command) => {
      const { resolveWalletSelection } = await import('../src/wallet/paths.js');
      const { listWallets } = await import('../src/wallet/list.js');
      const { renderWalletList, style } = await import('../src/render/wallet.js');
      const listing = await listWallets(resolveWalletSelection({ walletPath: opts.walletPath as string | undefined }, io.env).walletPath);
      if (opts.json) return json(io, listing);
      io.stdout.write(renderWalletList(listing, style(useColor(io.stdout, io.env, command.optsWithGlobals().color as boolean))));
    });

  addSelectionOptions(
    wallet
      .command('show')
      .description("the selected wallet's coldkey and hotkey: addresses, files, formats, permission warnings (no password needed)")
      .addHelpText('after', `
Examples:
  $ dendrite wallet show
  $ dendrite wallet show --wallet miner --hotkey hk2 --json`),
  )
    .option('--json', 'print JSON')
    .action(async (opts: Record<string, unknown>, command: Command) => {
      const { resolveWalletSelection } = await import('../src/wallet/paths.js');
      const { showWallet } = await import('../src/wallet/list.js');
      const { renderWalletShow, style } = await import('../src/render/wallet.js');
      const shown = await showWallet(resolveWalletSelection(selection(opts), io.env));
      if (opts.json) json(io, shown);
      else io.stdout.write(renderWalletShow(shown, style(useColor(io.stdout, io.env, command.optsWithGlobals().color as boolean))));
      const warn = useColor(io.stderr, io.env, command.optsWithGlobals().color as boolean) ? (s: string) => `\x1b[33m${s}\x1b[39m` : (s: string) => s;
      for (const w of shown.warnings) writeLine(io.stderr, warn(`dendrite: warning: ${w}`));
    });

  const check = addSelectionOptions(
    wallet
      .command('check')
      .description('unlock the hotkey (or --coldkey) as query and ping do, check it against its address, and sign and verify a probe')
      .addHelpText('after', `
Examples:
  $ dendrite wallet check --wallet miner --hotkey default
  $ MINER_PW=… dendrite wallet check --wallet miner --coldkey --password-env MINER_PW`),
  )
    .option('--coldkey', 'check the coldkey instead of the hotkey')
    .option('--json', 'print JSON');
  addPasswordOption(check);
  check.action(async (opts: Record<string, unknown>, command: Command) => {
    const { hotkeyPair, loadWalletKey } = await import('../src/wallet/hotkey.js');
    const { WalletError } = await import('../src/errors.js');
    const { bytesToHex, utf8 } = await import('../src/crypto/bytes.js');
    const { renderCheck, style } = await import('../src/render/wallet.js');
    const which = opts.coldkey ? 'coldkey' : 'hotkey';
    const key = await loadWalletKey(which, { ...selection(opts), ...unlockHooks(io, opts.passwordEnv as string | undefined) });
    // A hotkey must be able to sign requests, exactly as query and ping require.
    if (which === 'hotkey') hotkeyPair(key);
    let signs = false;
    if (key.type === 'sr25519') {
      const { verifySr25519 } = await import('../src/crypto/sr25519.js');
      const probe = utf8(`dendrite wallet check ${Date.now()}`);
      signs = await verifySr25519(probe, key.pair.sign(probe), key.publicKey);
      if (!signs) throw new WalletError('ERR_KEY_MISMATCH', `${which} file ${key.file}: a probe signature does not verify against its public key`);
    }
    const result = {
      key: which,
      file: key.file,
      format: key.format,
      type: key.type,
      ...(key.type !== 'public' ? { source: key.source } : {}),
      address: key.address,
      publicKey: bytesToHex(key.publicKey),
      signs,
    } as const;
    if (opts.json) return json(io, result);
    io.stdout.write(renderCheck(result, style(useColor(io.stdout, io.env, command.optsWithGlobals().color as boolean))));
  });
}
