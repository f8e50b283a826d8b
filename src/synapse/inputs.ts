/**
 * Field values from the command line: `--field NAME=VALUE` (a str field takes
 * the text as it is, every other type takes JSON) and `--body JSON`.
 */
import { SchemaError } from '../errors.js';
import { parsePyJson } from './pyjson.js';
import type { PyValue } from './pyvalue.js';
import { isPyDict } from './pyvalue.js';
import type { SynapseSchema } from './schema.js';
import { Synapse } from './synapse.js';
import { formatFieldType, type FieldType } from './types.js';

function isScalar(t: FieldType): boolean {
  const inner = t.kind === 'optional' ? t.inner : t;
  return inner.kind === 'int' || inner.kind === 'float' || inner.kind === 'bool';
}

function takesRawText(t: FieldType): boolean {
  return t.kind === 'str' || (t.kind === 'optional' && t.inner.kind === 'str');
}

export interface SynapseInputs {
  /** `NAME=VALUE` assignments, applied after `body`. */
  fields?: readonly string[];
  /** A JSON object of field values. */
  body?: string | undefined;
}

export function synapseFromInputs(schema: SynapseSchema, inputs: SynapseInputs): Synapse {
  const values = new Map<string, PyValue>();
  if (inputs.body !== undefined) {
    let doc: PyValue;
    try {
      doc = parsePyJson(inputs.body);
    } catch (e) {
      throw new SchemaError('ERR_BODY_JSON', `--body is not valid JSON (${(e as Error).message}); pass an object such as '{"dummy_input": 3}'`);
    }
    if (!isPyDict(doc)) throw new SchemaError('ERR_BODY_JSON', `--body must be a JSON object of field values, such as '{"dummy_input": 3}'`);
    for (const [k, v] of doc) values.set(k, v);
  }
  const byName = new Map(schema.fields.map((f) => [f.name, f]));
  for (const a of inputs.fields ?? []) {
    const eq = a.indexOf('=');
    if (eq <= 0) throw new SchemaError('ERR_FIELD_SYNTAX', `--field "${a}" must be NAME=VALUE, e.g. --field dummy_input=3`);
    const name = a.slice(0, eq);
    const text = a.slice(eq + 1);
    const spec = byName.get(name);
    if (!spec) {
      throw new SchemaError(
        'ERR_UNKNOWN_FIELD',
        `${schema.name} has no field "${name}"; its fields are: ${schema.fields.map((f) => f.name).join(', ') || '(none)'}`,
      );
    }
    if (takesRawText(spec.type)) {
      values.set(name, text);
      continue;
    }
    try {
      values.set(name, parsePyJson(text));
    } catch {
      // Scalars also take bare text, which pydantic coerces (`yes` for a bool); the type check reports misfits.
      if (isScalar(spec.type)) {
        values.set(name, text);
        continue;
      }
      throw new SchemaError(
        'ERR_FIELD_VALUE',
        `--field ${name}: "${text.length > 40 ? `${text.slice(0, 40)}…` : text}" is not valid JSON for ${formatFieldType(spec.type)} (values of non-str fields are JSON, e.g. 3, 1.5, true, ["a"])`,
      );
    }
  }
  return Synapse.create(schema, values, { numbers: 'py', label: (f) => `--field ${f}` });
}
