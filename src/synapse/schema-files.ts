/** Where user schemas come from (SCHEMA.md): `--schema FILE` and `$XDG_CONFIG_HOME/dendrite/synapses/*.json`. */
import { readdir, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { SchemaError } from '../errors.js';
import { BUILTIN_SCHEMAS, parseSchema, SchemaRegistry, type SynapseSchema } from './schema.js';
import { STREAM_SCHEMAS } from './stream-schemas.js';

export function userSchemaDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME !== '' ? env.XDG_CONFIG_HOME : join(homedir(), '.config');
  return join(base, 'dendrite', 'synapses');
}

export async function loadSchemaFile(file: string): Promise<SynapseSchema> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new SchemaError('ERR_SCHEMA_UNREADABLE', `cannot read schema file ${file} (${(e as NodeJS.ErrnoException).code ?? 'error'}); check the path`);
  }
  return parseSchema(text, file);
}

/** Built-ins (Synapse, Dummy, the Stream* test routes), then the user's schema folder (sorted by file name), then `--schema` files: later ones win. */
export async function loadSchemaRegistry(files: readonly string[] = [], env: NodeJS.ProcessEnv = process.env): Promise<SchemaRegistry> {
  const reg = new SchemaRegistry([...BUILTIN_SCHEMAS, ...STREAM_SCHEMAS]);
  const dir = userSchemaDir(env);
  let names: string[] = [];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.json')).sort();
  } catch {
    /* no folder: no user schemas */
  }
  for (const n of names) reg.add(await loadSchemaFile(join(dir, n)));
  for (const f of files) reg.add(await loadSchemaFile(f));
  return reg;
}
