/**
 * Bad local input through the real binary: each mistake gets one line on
 * stderr that names the input and the fix, the documented exit code (2 usage,
 * 3 wallet/config), nothing on stdout and no stack trace. Complements the
 * cases in test/e2e/core-cli.test.ts and test/e2e/wallet-cli.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/run-cli.js';

const BOB = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty';
/** Port 1 refuses here; no case below should get as far as connecting anyway. */
const AXON = `${BOB}@127.0.0.1:1`;
let dir: string;
let env: NodeJS.ProcessEnv;

const schemas: Record<string, string> = {
  'not-json.json': '{"name": "X", "fields": [',
  'bad-type.json': '{"name":"X","fields":[{"name":"a","type":"complex"}]}',
  'no-name.json': '{"fields":[]}',
  'dup-field.json': '{"name":"X","fields":[{"name":"a","type":"int"},{"name":"a","type":"int"}]}',
  'bad-hash-field.json': '{"name":"X","fields":[{"name":"a","type":"int"}],"required_hash_fields":["zz"]}',
  'typed.json': '{"name":"Typed","fields":[{"name":"a","type":"list[int]"},{"name":"b","type":"bool","default":false},{"name":"c","type":"dict[str, float]","default":{}}]}',
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dendrite-bad-input-'));
  for (const [name, text] of Object.entries(schemas)) await writeFile(join(dir, name), text);
  // A wallet whose hotkey "file" is a directory, and a config.yml that is not YAML.
  await mkdir(join(dir, 'wallets', 'w', 'hotkeys', 'default'), { recursive: true });
  await writeFile(join(dir, 'not-a-dir'), 'x');
  await writeFile(join(dir, 'bad.yml'), 'wallet:\n  path: [unclosed\n');
  // A clean HOME and config dir, so the developer's own files never leak in.
  env = { HOME: dir, XDG_CONFIG_HOME: join(dir, 'xdg'), BT_WALLET_PATH: undefined, BT_WALLET_NAME: undefined, BT_WALLET_HOTKEY: undefined, BTCLI_CONFIG_PATH: undefined };
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const q = (...extra: string[]): string[] => ['query', '--uri', '//Alice', '--axon', AXON, ...extra];
const typed = (...extra: string[]): string[] => q('--schema', join(dir ?? '', 'typed.json'), '--synapse', 'Typed', ...extra);

type Case = [label: string, args: () => string[], code: number, message: RegExp];

const cases: Case[] = [
  // --axon strings
  ['port 0', () => ['ping', '--uri', '//Alice', '--axon', `${BOB}@127.0.0.1:0`], 2, /--axon ".*:0": port 0 is out of range 1-65535; expected \[HOTKEY@\]HOST:PORT/],
  ['negative port', () => ['ping', '--uri', '//Alice', '--axon', `${BOB}@127.0.0.1:-1`], 2, /--axon ".*:-1": the port must be a number/],
  ['empty port', () => ['ping', '--uri', '//Alice', '--axon', `${BOB}@127.0.0.1:`], 2, /the port must be a number/],
  ['port with junk', () => ['ping', '--uri', '//Alice', '--axon', `${BOB}@127.0.0.1:8091x`], 2, /the port must be a number/],
  ['unbracketed IPv6', () => ['ping', '--uri', '//Alice', '--axon', `${BOB}@::1:8091`], 2, /put an IPv6 address in brackets/],
  ['not an IPv6 in brackets', () => ['ping', '--uri', '//Alice', '--axon', `${BOB}@[zz::1]:8091`], 2, /"zz::1" is not an IPv6 address/],
  ['bad host name', () => ['ping', '--uri', '//Alice', '--axon', `${BOB}@bad_host!:8091`], 2, /"bad_host!" is not an IP address or host name/],
  ['bad hotkey', () => ['ping', '--uri', '//Alice', '--axon', 'notahotkey@127.0.0.1:8091'], 2, /"notahotkey" is not a valid SS58 hotkey address/],
  ['empty --axon', () => ['ping', '--uri', '//Alice', '--axon', ''], 2, /--axon "": the port is missing/],
  // uids and netuids
  ['uid beyond u16', () => ['ping', '--uri', '//Alice', '--netuid', '1', '--uid', '70000'], 2, /--uid "70000": uids go up to 65535; use numbers, lists and ranges like 1,5,10-20/],
  ['backwards uid range', () => ['ping', '--uri', '//Alice', '--netuid', '1', '--uid', '5-2'], 2, /range "5-2" runs backwards/],
  ['uid not a number', () => ['ping', '--uri', '//Alice', '--netuid', '1', '--uid', 'abc'], 2, /"abc" is not a uid or a range/],
  ['negative netuid', () => ['ping', '--uri', '//Alice', '--netuid', '-1', '--all'], 2, /--netuid must be a whole number >= 0/],
  // numbers
  ['--retries negative', () => ['ping', '--uri', '//Alice', '--axon', AXON, '--retries', '-1'], 2, /--retries must be a whole number >= 0/],
  ['--retries not a number', () => ['ping', '--uri', '//Alice', '--axon', AXON, '--retries', 'x'], 2, /--retries must be a whole number >= 0/],
  ['--concurrency 0', () => ['ping', '--uri', '//Alice', '--axon', AXON, '--concurrency', '0'], 2, /--concurrency must be a positive whole number/],
  ['--timeout text', () => ['ping', '--uri', '//Alice', '--axon', AXON, '--timeout', 'abc'], 2, /--timeout must be a positive number of seconds/],
  ['--max-response-bytes negative', () => ['ping', '--uri', '//Alice', '--axon', AXON, '--max-response-bytes', '-5'], 2, /--max-response-bytes must be a positive whole number/],
  // synapses and schema files
  ['synapse name in the wrong case', () => q('--synapse', 'dummy'), 2, /unknown synapse "dummy" \(did you mean "Dummy"\?/],
  ['schema not JSON', () => q('--schema', join(dir, 'not-json.json'), '--synapse', 'X'), 2, /schema .*not-json\.json is not valid JSON \(.*\); fix the file/],
  ['schema with an unknown type', () => q('--schema', join(dir, 'bad-type.json'), '--synapse', 'X'), 2, /schema .*bad-type\.json: field "a": unsupported field type "complex": use str, int/],
  ['schema without a name', () => q('--schema', join(dir, 'no-name.json'), '--synapse', 'X'), 2, /schema .*no-name\.json: "name" must be the Python class name/],
  ['schema with a field twice', () => q('--schema', join(dir, 'dup-field.json'), '--synapse', 'X'), 2, /field "a" is declared twice/],
  ['schema hashing an unknown field', () => q('--schema', join(dir, 'bad-hash-field.json'), '--synapse', 'X'), 2, /required_hash_fields names "zz", which is not a field/],
  ['schema file missing', () => q('--schema', join(dir, 'missing.json'), '--synapse', 'X'), 2, /cannot read schema file .*missing\.json \(ENOENT\); check the path/],
  ['schema path is a directory', () => q('--schema', dir, '--synapse', 'X'), 2, /cannot read schema file .* \(EISDIR\); check the path/],
  // --field and --body values
  ['list[int] field given text', () => typed('--field', 'a=abc'), 2, /--field a: "abc" is not valid JSON for list\[int\]/],
  ['list[int] field given a str item', () => typed('--field', 'a=[1,"x"]'), 2, /--field a of Typed: at a\[1\]: expected int, got str "x"/],
  ['bool field given a word', () => typed('--field', 'a=[1]', '--field', 'b=maybe'), 2, /--field b of Typed: expected bool, got str "maybe"/],
  ['dict[str, float] given a str value', () => typed('--field', 'a=[1]', '--field', 'c={"k":"v"}'), 2, /--field c of Typed: at c\.k: expected float, got str "v"/],
  ['unknown field', () => typed('--field', 'zz=1'), 2, /Typed has no field "zz"; its fields are: a, b, c/],
  ['--field without =', () => typed('--field', 'noequals'), 2, /--field "noequals" must be NAME=VALUE/],
  ['--body an array', () => q('--synapse', 'Dummy', '--body', '[1,2]'), 2, /--body must be a JSON object of field values/],
  ['--body empty', () => q('--synapse', 'Dummy', '--body', ''), 2, /--body is not valid JSON/],
  ['required field missing', () => q('--synapse', 'Dummy'), 2, /Dummy requires --field dummy_input \(int\); give it with --field dummy_input=VALUE or --body/],
  // wallets and config
  ['wallet path is a file', () => ['ping', '--axon', AXON, '--wallet-path', join(dir, 'not-a-dir')], 3, /hotkey file .*not-a-dir\/default\/hotkeys\/default not found; choose a wallet with --wallet\/--hotkey/],
  ['hotkey file is a directory', () => ['ping', '--axon', AXON, '--wallet-path', join(dir, 'wallets'), '--wallet', 'w'], 3, /hotkey file .*hotkeys\/default is a directory, not a keyfile/],
  ['bad --uri', () => ['ping', '--axon', AXON, '--uri', 'not a uri'], 3, /--uri is not a valid secret URI; use a form like \/\/Alice/],
];

describe.concurrent('bad local input: one line, the documented exit code, no stack', () => {
  it.each(cases)('%s', async (_label, args, code, message) => {
    const r = await runCli(args(), { env });
    expect(r.code).toBe(code);
    expect(r.stdout).toBe('');
    // Exactly one line, starting with our prefix, naming the problem.
    expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(r.stderr).toMatch(/^dendrite: /);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at |Error:|node:internal/);
  });

  it('a btcli config.yml that is not YAML: exit 3, naming the file and the fix', async () => {
    const cfg = join(dir, 'bad.yml');
    const r = await runCli(['ping', '--axon', AXON], { env: { ...env, BTCLI_CONFIG_PATH: cfg } });
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`dendrite: btcli config ${cfg} is not valid YAML; fix it or set BTCLI_CONFIG_PATH to another file\n`);
  });
});
