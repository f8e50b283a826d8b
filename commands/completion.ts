/**
 * Shell completions, the gh/kubectl way: `dendrite completion bash|zsh|fish`
 * prints a small script (the files in completions/), and that script asks
 * `dendrite __complete WORDS…` for candidates, so commands, flags, synapse
 * names, wallets, hotkeys and networks are always those of the installed CLI
 * and of the wallet path in use.
 *
 * `__complete` prints one candidate a line, `value<TAB>description` (the
 * description may be empty). It never fails: on any error it prints nothing.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command, Option } from 'commander';
import { writeLine, type CliIO } from './io.js';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
type Shell = (typeof SHELLS)[number];

const SCRIPT_FILES: Record<Shell, string> = { bash: 'dendrite.bash', zsh: '_dendrite', fish: 'dendrite.fish' };

export interface Candidate {
  value: string;
  description?: string;
}

/** Values of flags that take a fixed set of words. */
const FIXED_VALUES: Readonly<Record<string, readonly string[]>> = {
  '--split': ['raw', 'lines', 'sse'],
  '--sort': ['latency', 'uid', 'status'],
  '--only': ['failed', 'ok'],
};

function optionsOf(cmd: Command): readonly Option[] {
  return (cmd as unknown as { options: readonly Option[] }).options;
}

function visibleCommands(cmd: Command): Command[] {
  return cmd.commands.filter((c) => !(c as unknown as { _hidden?: boolean })._hidden);
}

function findOption(cmds: readonly Command[], word: string): Option | undefined {
  for (const c of cmds) {
    const o = optionsOf(c).find((opt) => opt.long === word || opt.short === word);
    if (o) return o;
  }
  return undefined;
}

/** The value given to `--name` earlier on the line (`--name v` or `--name=v`), last one wins. */
function flagValue(words: readonly string[], name: string): string | undefined {
  let v: string | undefined;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === name && i + 1 < words.length) v = words[i + 1];
    else if (w.startsWith(`${name}=`)) v = w.slice(name.length + 1);
  }
  return v;
}

function flagValues(words: readonly string[], name: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    if (words[i] === name && i + 1 < words.length) out.push(words[i + 1]!);
    else if (words[i]!.startsWith(`${name}=`)) out.push(words[i]!.slice(name.length + 1));
  }
  return out;
}

async function dirNames(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { withFileTypes: true })).filter((d) => d.isDirectory() && !d.name.startsWith('.')).map((d) => d.name).sort();
  } catch {
    return [];
  }
}

async function walletRoot(words: readonly string[], env: NodeJS.ProcessEnv): Promise<{ root: string; wallet: string }> {
  const { resolveWalletSelection } = await import('../src/wallet/paths.js');
  const r = resolveWalletSelection({ walletPath: flagValue(words, '--wallet-path'), wallet: flagValue(words, '--wallet') }, env);
  return { root: r.walletPath, wallet: r.wallet };
}

/** Candidates for the value of flag `flag`, given the words before it. */
async function valuesFor(flag: string, words: readonly string[], env: NodeJS.ProcessEnv): Promise<Candidate[] | 'files'> {
  const fixed = FIXED_VALUES[flag];
  if (fixed) return fixed.map((value) => ({ value }));
  switch (flag) {
    case '--wallet': {
      const { root } = await walletRoot(words, env);
      return (await dirNames(root)).map((value) => ({ value, description: 'wallet' }));
    }
    case '--hotkey': {
      const { root, wallet } = await walletRoot(words, env);
      const dir = join(root, wallet, 'hotkeys');
      let names: string[] = [];
      try {
        names = (await readdir(dir, { withFileTypes: true })).filter((d) => d.isFile() && !d.name.endsWith('pub.txt') && !d.name.startsWith('.')).map((d) => d.name).sort();
      } catch {
        /* no hotkeys */
      }
      return names.map((value) => ({ value, description: `hotkey of ${wallet}` }));
    }
    case '--synapse': {
      const { loadSchemaRegistry } = await import('../src/synapse/schema-files.js');
      let reg;
      try {
        reg = await loadSchemaRegistry(flagValues(words, '--schema'), env);
      } catch {
        reg = await loadSchemaRegistry([], { ...env, XDG_CONFIG_HOME: '/nonexistent' });
      }
      return reg.all().map((s) => ({ value: s.name, description: s.streaming ? 'streaming synapse' : 'synapse' }));
    }
    case '--network': {
      const { NETWORK_ENDPOINTS } = await import('../src/chain/networks.js');
      return Object.entries(NETWORK_ENDPOINTS).map(([value, url]) => ({ value, description: url }));
    }
    case '--schema':
    case '--metagraph':
    case '--save':
    case '--wallet-path':
      return 'files';
    default:
      return [];
  }
}

/**
 * Completion candidates for the command line `words` (the words after
 * `dendrite`; the last one is the word being completed, possibly empty).
 * Returns `'files'` when the shell should complete file names.
 */
export async function complete(program: Command, words: readonly string[], env: NodeJS.ProcessEnv): Promise<Candidate[] | 'files'> {
  const current = words.length > 0 ? words[words.length - 1]! : '';
  const before = words.slice(0, -1);
  // Walk down the command tree, skipping flags and their values.
  const chain: Command[] = [program];
  let positional = 0;
  for (let i = 0; i < before.length; i++) {
    const w = before[i]!;
    const cmd = chain[chain.length - 1]!;
    if (w.startsWith('-')) {
      const o = findOption(chain, w.split('=')[0]!);
      if (o && (o.required || o.optional) && !w.includes('=')) i++;
      continue;
    }
    const sub = cmd.commands.find((c) => c.name() === w || c.aliases().includes(w));
    if (sub) chain.push(sub);
    else positional++;
  }
  const cmd = chain[chain.length - 1]!;
  const prev = before[before.length - 1];
  if (prev !== undefined && prev.startsWith('-') && !prev.includes('=')) {
    const o = findOption(chain, prev);
    if (o && (o.required || o.optional)) return valuesFor(o.long ?? prev, before.slice(0, -1), env);
  }
  if (current.startsWith('--') && current.includes('=')) {
    const [flag, partial] = [current.slice(0, current.indexOf('=')), current.slice(current.indexOf('=') + 1)];
    const vals = await valuesFor(flag, before, env);
    if (vals === 'files') return vals;
    return vals.filter((c) => c.value.startsWith(partial)).map((c) => ({ ...c, value: `${flag}=${c.value}` }));
  }
  if (current.startsWith('-')) {
    const out: Candidate[] = [];
    const seen = new Set<string>();
    for (const c of [...chain].reverse()) {
      for (const o of optionsOf(c)) {
        if (o.hidden) continue;
        for (const name of [o.long, o.short]) {
          if (name && name.startsWith(current) && !seen.has(name)) {
            seen.add(name);
            out.push({ value: name, description: o.description });
          }
        }
      }
    }
    for (const name of ['--help', '-h']) if (name.startsWith(current) && !seen.has(name)) out.push({ value: name, description: 'display help' });
    return out;
  }
  const subs = visibleCommands(cmd);
  if (subs.length > 0) {
    const out = subs.filter((c) => c.name().startsWith(current)).map((c) => ({ value: c.name(), description: c.description() }));
    if (cmd === program && 'help'.startsWith(current)) out.push({ value: 'help', description: 'display help for a command' });
    return out;
  }
  if (cmd.name() === 'completion' && positional === 0) return SHELLS.filter((s) => s.startsWith(current)).map((value) => ({ value }));
  return [];
}

/** The `__complete` entry: prints candidates, never an error. */
export async function runComplete(program: Command, words: readonly string[], io: CliIO): Promise<void> {
  try {
    const r = await complete(program, words, io.env);
    if (r === 'files') {
      writeLine(io.stdout, ':files');
      return;
    }
    const current = words[words.length - 1] ?? '';
    const lines = r.filter((c) => c.value.startsWith(current) || current.includes('=')).map((c) => `${c.value}\t${(c.description ?? '').replace(/[\t\n]/g, ' ')}`);
    if (lines.length) io.stdout.write(`${lines.join('\n')}\n`);
  } catch {
    /* completion never fails loudly */
  }
}

export async function completionScript(shell: Shell): Promise<string> {
  return readFile(join(packageRoot(), 'completions', SCRIPT_FILES[shell]), 'utf8');
}

/** The package root (holds completions/), from the bundle (dist/, dist/chunks/) or from source (commands/). */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    if (existsSync(join(dir, 'completions'))) return dir;
    dir = dirname(dir);
  }
  return dir;
}

export function register(program: Command, io: CliIO): void {
  program
    .command('completion')
    .description('print the shell completion script for bash, zsh or fish')
    .argument('<shell>', 'bash, zsh or fish')
    .addHelpText(
      'after',
      `
Install (see README "Shell completions"):
  bash  $ echo 'source <(dendrite completion bash)' >> ~/.bashrc
  zsh   $ dendrite completion zsh > "\${fpath[1]}/_dendrite"      # then: compinit
  fish  $ dendrite completion fish > ~/.config/fish/completions/dendrite.fish

Examples:
  $ dendrite completion bash > ~/.local/share/bash-completion/completions/dendrite
  $ dendrite completion zsh > ~/.zfunc/_dendrite
  $ dendrite completion fish | source`,
    )
    .action(async (shell: string) => {
      if (!(SHELLS as readonly string[]).includes(shell)) {
        const { UsageError } = await import('../src/errors.js');
        throw new UsageError('ERR_USAGE', `unknown shell "${shell}"; use bash, zsh or fish`);
      }
      io.stdout.write(await completionScript(shell as Shell));
    });
}
