/**
 * Synapse schemas: what a subnet's `protocol.py` class declares, in the JSON
 * form of SCHEMA.md. Built-ins: `Synapse` (alias `Ping`) and `Dummy`.
 */
import { SchemaError } from '../errors.js';
import { parsePyJson } from './pyjson.js';
import type { PyValue } from './pyvalue.js';
import { isPyDict } from './pyvalue.js';
import { coerce, CoercionError, parseFieldType, allowsNone, type FieldType } from './types.js';

export interface FieldSpec {
  name: string;
  type: FieldType;
  /** The annotation as written in the schema file. */
  typeText: string;
  /** No default: pydantic requires it, and requests carry a `bt_header_input_obj_<name>` placeholder. */
  required: boolean;
  /** The default (coerced to the type where it fits; pydantic does not validate defaults, e.g. `b: int = None`). */
  default: PyValue;
  description?: string | undefined;
}

export interface SynapseSchema {
  /** The Python class name: the URL route and the `name` header. */
  name: string;
  /** Subclass fields in declaration order. */
  fields: FieldSpec[];
  /** The `required_hash_fields` class variable, in its own order. */
  requiredHashFields: string[];
  /** A StreamingSynapse. */
  streaming: boolean;
  /** The field holding the answer (preview and `deserialize`). */
  output?: string | undefined;
  description?: string | undefined;
  /** Where it came from: "built-in" or a file path. */
  source: string;
}

/** Base Synapse fields; a subclass may not redeclare them. */
export const BASE_FIELDS = ['name', 'timeout', 'total_size', 'header_size', 'dendrite', 'axon', 'computed_body_hash'] as const;

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const SYNAPSE_SCHEMA: SynapseSchema = {
  name: 'Synapse',
  fields: [],
  requiredHashFields: [],
  streaming: false,
  description: 'The base synapse: the ping route every axon serves.',
  source: 'built-in',
};

export const DUMMY_SCHEMA: SynapseSchema = {
  name: 'Dummy',
  fields: [
    { name: 'dummy_input', type: { kind: 'int' }, typeText: 'int', required: true, default: null, description: 'The input value.' },
    {
      name: 'dummy_output',
      type: { kind: 'optional', inner: { kind: 'int' } },
      typeText: 'Optional[int]',
      required: false,
      default: null,
      description: "The miner's answer (the template miner returns dummy_input * 2).",
    },
  ],
  requiredHashFields: [],
  streaming: false,
  output: 'dummy_output',
  description: 'The bittensor subnet template synapse.',
  source: 'built-in',
};

export const BUILTIN_SCHEMAS: readonly SynapseSchema[] = [SYNAPSE_SCHEMA, DUMMY_SCHEMA];

/** Aliases users may type for built-ins. */
export const SCHEMA_ALIASES: Readonly<Record<string, string>> = { Ping: 'Synapse' };

function get(m: Map<string, PyValue>, k: string): PyValue | undefined {
  return m.get(k);
}

/** Parses and validates one schema document (text of a JSON file). `source` names it in errors. */
export function parseSchema(text: string, source: string): SynapseSchema {
  let doc: PyValue;
  try {
    doc = parsePyJson(text);
  } catch (e) {
    throw new SchemaError('ERR_SCHEMA_INVALID', `schema ${source} is not valid JSON (${(e as Error).message}); fix the file`);
  }
  return schemaFromValue(doc, source);
}

export function schemaFromValue(doc: PyValue, source: string): SynapseSchema {
  const bad = (what: string): never => {
    throw new SchemaError('ERR_SCHEMA_INVALID', `schema ${source}: ${what}`);
  };
  if (!isPyDict(doc)) return bad('must be a JSON object with "name" and "fields"');
  const name = get(doc, 'name');
  if (typeof name !== 'string' || !IDENT.test(name)) return bad('"name" must be the Python class name, e.g. "TextPrompt"');
  const rawFields = get(doc, 'fields') ?? [];
  if (!Array.isArray(rawFields)) return bad('"fields" must be a list of {"name", "type"[, "default"]} objects');
  const fields: FieldSpec[] = [];
  const seen = new Set<string>();
  rawFields.forEach((f, idx) => {
    if (!isPyDict(f)) return bad(`fields[${idx}] must be an object`);
    const fname = get(f, 'name');
    if (typeof fname !== 'string' || !IDENT.test(fname)) return bad(`fields[${idx}].name must be a Python identifier`);
    if ((BASE_FIELDS as readonly string[]).includes(fname)) return bad(`field "${fname}" is a base Synapse field and cannot be redeclared`);
    if (seen.has(fname)) return bad(`field "${fname}" is declared twice`);
    seen.add(fname);
    const typeText = get(f, 'type');
    if (typeof typeText !== 'string') return bad(`field "${fname}" needs a "type", e.g. "int" or "list[str]"`);
    let type: FieldType;
    try {
      type = parseFieldType(typeText);
    } catch (e) {
      return bad(`field "${fname}": ${(e as Error).message}`);
    }
    const required = !f.has('default');
    let def: PyValue = null;
    if (!required) {
      const raw = get(f, 'default')!;
      if (raw === null && !allowsNone(type)) def = null; // `x: int = None` is legal Python: defaults are not validated
      else {
        try {
          def = coerce(type, raw, fname);
        } catch (e) {
          return bad(`default of field "${fname}" does not fit its type (${(e as CoercionError).message})`);
        }
      }
    }
    const description = get(f, 'description');
    fields.push({ name: fname, type, typeText, required, default: def, description: typeof description === 'string' ? description : undefined });
  });
  const rhf = get(doc, 'required_hash_fields') ?? [];
  if (!Array.isArray(rhf) || rhf.some((x) => typeof x !== 'string')) return bad('"required_hash_fields" must be a list of field names');
  for (const h of rhf as string[]) if (!seen.has(h)) bad(`required_hash_fields names "${h}", which is not a field`);
  const streaming = get(doc, 'streaming') ?? false;
  if (typeof streaming !== 'boolean') return bad('"streaming" must be true or false');
  const output = get(doc, 'output');
  if (output !== undefined && output !== null && (typeof output !== 'string' || !seen.has(output))) return bad('"output" must name one of the fields');
  const description = get(doc, 'description');
  return {
    name,
    fields,
    requiredHashFields: rhf as string[],
    streaming,
    output: typeof output === 'string' ? output : undefined,
    description: typeof description === 'string' ? description : undefined,
    source,
  };
}

/** Schemas by class name; later additions override earlier ones (SCHEMA.md "Where schemas come from"). */
export class SchemaRegistry {
  readonly #byName = new Map<string, SynapseSchema>();

  constructor(schemas: Iterable<SynapseSchema> = BUILTIN_SCHEMAS) {
    for (const s of schemas) this.add(s);
  }

  add(schema: SynapseSchema): this {
    this.#byName.set(schema.name, schema);
    return this;
  }

  has(name: string): boolean {
    return this.#byName.has(SCHEMA_ALIASES[name] ?? name) || this.#byName.has(name);
  }

  /** Looks up a class name (case-sensitive) or alias; throws a UsageError listing what is known. */
  get(name: string): SynapseSchema {
    const s = this.#byName.get(name) ?? this.#byName.get(SCHEMA_ALIASES[name] ?? '');
    if (s) return s;
    const near = this.names().find((n) => n.toLowerCase() === name.toLowerCase());
    throw new SchemaError(
      'ERR_UNKNOWN_SYNAPSE',
      `unknown synapse "${name}"${near ? ` (did you mean "${near}"? names are case-sensitive)` : ''}; known: ${this.names().join(', ')}. Describe it in a schema file and pass --schema FILE`,
    );
  }

  names(): string[] {
    return [...this.#byName.keys()];
  }

  all(): SynapseSchema[] {
    return [...this.#byName.values()];
  }
}
