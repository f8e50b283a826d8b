/** `dendrite __complete`: the candidates the shell scripts show, computed from the real program. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { buildProgram } from '../../commands/index.js';
import { complete } from '../../commands/completion.js';
import type { CliIO } from '../../commands/io.js';

let dir: string;
let env: NodeJS.ProcessEnv;
const io = (): CliIO => ({ stdin: new PassThrough(), stdout: new PassThrough(), stderr: new PassThrough(), env });

async function values(words: string[]): Promise<string[] | 'files'> {
  const r = await complete(buildProgram(io()), words, env);
  return r === 'files' ? r : r.map((c) => c.value);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dendrite-complete-'));
  for (const [w, hks] of [['main', ['default', 'hk1']], ['other', ['x']]] as const) {
    await mkdir(join(dir, 'wallets', w, 'hotkeys'), { recursive: true });
    for (const h of hks) {
      await writeFile(join(dir, 'wallets', w, 'hotkeys', h), '{}');
      await writeFile(join(dir, 'wallets', w, 'hotkeys', `${h}pub.txt`), '{}');
    }
  }
  await mkdir(join(dir, 'elsewhere', 'solo', 'hotkeys'), { recursive: true });
  await writeFile(join(dir, 'schema.json'), JSON.stringify({ name: 'TextPrompt', fields: [{ name: 'text', type: 'str' }] }));
  env = { HOME: dir, BT_WALLET_PATH: join(dir, 'wallets'), XDG_CONFIG_HOME: join(dir, 'cfg') };
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('complete()', () => {
  it('commands at the top, and subcommands of wallet', async () => {
    expect(await values([''])).toEqual(expect.arrayContaining(['query', 'ping', 'stream', 'wallet', 'completion', 'metagraph']));
    expect(await values(['wallet', ''])).toEqual(['list', 'show', 'check']);
    expect(await values(['p'])).toEqual(['ping']);
  });

  it('flags of the command, global ones included, never hidden commands', async () => {
    const f = await values(['ping', '--w']);
    expect(f).toEqual(expect.arrayContaining(['--wallet-path', '--wallet', '--wide', '--watch']));
    expect(await values(['--no-'])).toEqual(expect.arrayContaining(['--no-color', '--no-input']));
    expect(await values(['__'])).toEqual([]);
  });

  it('wallets and hotkeys from the wallet path, --wallet-path on the line winning', async () => {
    expect(await values(['ping', '--wallet', ''])).toEqual(['main', 'other']);
    expect(await values(['ping', '--wallet', 'main', '--hotkey', ''])).toEqual(['default', 'hk1']);
    expect(await values(['ping', '--wallet-path', join(dir, 'elsewhere'), '--wallet', ''])).toEqual(['solo']);
  });

  it('synapse names include --schema files on the line', async () => {
    expect(await values(['query', '--synapse', ''])).toEqual(expect.arrayContaining(['Synapse', 'Dummy', 'StreamCount']));
    expect(await values(['query', '--schema', join(dir, 'schema.json'), '--synapse', ''])).toContain('TextPrompt');
  });

  it('networks, fixed values, --flag=value, files, and completion shells', async () => {
    expect(await values(['ping', '--network', ''])).toEqual(expect.arrayContaining(['finney', 'test', 'local']));
    expect(await values(['ping', '--sort', ''])).toEqual(['latency', 'uid', 'status']);
    expect(await values(['stream', '--split', ''])).toEqual(['raw', 'lines', 'sse']);
    expect(await values(['ping', '--network=te'])).toEqual(['--network=test']);
    expect(await values(['query', '--schema', ''])).toBe('files');
    expect(await values(['completion', ''])).toEqual(['bash', 'zsh', 'fish']);
  });

  it('a flag value is not taken for a command name', async () => {
    // `--wallet ping` is a wallet called "ping", not the ping command: flags of query still complete.
    expect(await values(['query', '--wallet', 'ping', '--syn'])).toEqual(['--synapse']);
  });
});
