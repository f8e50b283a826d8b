/**
 * A synapse value: base fields, the `dendrite`/`axon` TerminalInfos and the
 * subclass fields of its schema, with Python's serialisation rules:
 * `model_dump()` order for the body, `to_headers()` for the headers,
 * `body_hash`, `from_headers()`, and the reply merge of `process_server_response`.
 */
import { SchemaError } from '../errors.js';
import { bodyHashOf } from './hash.js';
import { dumpPyJson, parsePyJson } from './pyjson.js';
import { floatRepr } from './pyrepr.js';
import type { PyDict, PyValue } from './pyvalue.js';
import { isPyDict } from './pyvalue.js';
import type { SynapseSchema } from './schema.js';
import {
  emptyTerminal,
  pythonFloat,
  pythonInt,
  setTerminalField,
  TERMINAL_FIELDS,
  terminalFromPy,
  terminalToPy,
  type TerminalField,
  type TerminalInfo,
} from './terminal.js';
import { coerce, CoercionError, normalisePy, toPyValue } from './types.js';

export type SynapseValues = Record<string, unknown> | Map<string, unknown>;

export interface CreateOptions {
  /**
   * How to read JS numbers in the values: "js" (default for library callers)
   * treats integral numbers as ints; "py" means the values come from
   * `parsePyJson`, where ints are already bigints and numbers are floats.
   */
  numbers?: 'js' | 'py';
  /** Name used in error messages for a field, e.g. (f) => `--field ${f}`. */
  label?: (field: string) => string;
}

export class Synapse {
  readonly schema: SynapseSchema;
  /** Seconds (a Python float); sent as the `timeout` header, e.g. "12.0". */
  timeout = 12.0;
  total_size = 0;
  header_size = 0;
  dendrite: TerminalInfo = emptyTerminal();
  axon: TerminalInfo = emptyTerminal();
  /** Frozen in Python: always "" locally, whatever the server says. */
  readonly computed_body_hash: string = '';
  /** Subclass field values in declaration order. */
  readonly fields: Map<string, PyValue>;

  private constructor(schema: SynapseSchema, fields: Map<string, PyValue>) {
    this.schema = schema;
    this.fields = fields;
  }

  /** The class name; Python's validator forces it, whatever was given. */
  get name(): string {
    return this.schema.name;
  }

  /**
   * Builds a synapse from field values, validated and coerced as the axon's
   * pydantic will (SCHEMA.md "Values"). Missing optional fields take their
   * defaults; a missing required field, an unknown field or a value of the
   * wrong type is a SchemaError (exit 2).
   */
  static create(schema: SynapseSchema, values: SynapseValues = {}, opts: CreateOptions = {}): Synapse {
    const label = opts.label ?? ((f: string) => `field ${f}`);
    const given = values instanceof Map ? new Map(values) : new Map(Object.entries(values));
    const known = fieldNames(schema);
    for (const k of given.keys()) {
      if (!known.has(k)) {
        throw new SchemaError(
          'ERR_UNKNOWN_FIELD',
          `${schema.name} has no field "${k}"; its fields are: ${schema.fields.map((f) => f.name).join(', ') || '(none)'}`,
        );
      }
    }
    const fields = new Map<string, PyValue>();
    for (const f of schema.fields) {
      if (!given.has(f.name)) {
        if (f.required) {
          throw new SchemaError('ERR_MISSING_FIELD', `${schema.name} requires ${label(f.name)} (${f.typeText}); give it with --field ${f.name}=VALUE or --body`);
        }
        fields.set(f.name, structuredCloneValue(f.default));
        continue;
      }
      const raw = given.get(f.name);
      try {
        const v = opts.numbers === 'py' ? normalisePy(raw, f.name) : toPyValue(raw, f.name);
        fields.set(f.name, coerce(f.type, v, f.name));
      } catch (e) {
        if (e instanceof CoercionError) {
          throw new SchemaError('ERR_FIELD_VALUE', `${label(f.name)} of ${schema.name}: ${e.path === f.name ? '' : `at ${e.path}: `}expected ${e.expected}, got ${e.got}`);
        }
        throw e;
      }
    }
    return new Synapse(schema, fields);
  }

  /** A deep copy (Python's forward sends a copy to each axon). */
  clone(): Synapse {
    const s = new Synapse(this.schema, new Map([...this.fields].map(([k, v]) => [k, structuredCloneValue(v)])));
    s.timeout = this.timeout;
    s.total_size = this.total_size;
    s.header_size = this.header_size;
    s.dendrite = { ...this.dendrite };
    s.axon = { ...this.axon };
    return s;
  }

  /** `body_hash`: over `required_hash_fields` in their order. */
  bodyHash(): string {
    return bodyHashOf(this.schema.requiredHashFields.map((f) => this.fields.get(f) ?? null));
  }

  /** `model_dump()`: base fields first, then the subclass fields. */
  dump(): PyDict {
    const d: PyDict = new Map<string, PyValue>([
      ['name', this.name],
      ['timeout', this.timeout],
      ['total_size', BigInt(this.total_size)],
      ['header_size', BigInt(this.header_size)],
      ['dendrite', terminalToPy(this.dendrite)],
      ['axon', terminalToPy(this.axon)],
      ['computed_body_hash', this.computed_body_hash],
    ]);
    for (const [k, v] of this.fields) d.set(k, v);
    return d;
  }

  /** The request body exactly as aiohttp sends `json=synapse.model_dump()`. */
  toRequestBody(): string {
    return dumpPyJson(this.dump(), 'python');
  }

  /**
   * `to_headers()`, in Python's order. `total_size` is informational (the axon
   * never checks it); we use the body's byte length, and set the field too so
   * the body carries the same number, as Python's evaluation order does.
   */
  toHeaders(totalSize = this.total_size, bodyHash = this.bodyHash()): Record<string, string> {
    const h: Record<string, string> = { name: this.name, timeout: floatRepr(this.timeout) };
    appendTerminalHeaders(h, 'axon', this.axon);
    appendTerminalHeaders(h, 'dendrite', this.dendrite);
    for (const f of this.schema.fields) {
      const v = this.fields.get(f.name);
      if (f.required && v !== null && v !== undefined) h[`bt_header_input_obj_${f.name}`] = inputObjPlaceholder(v);
    }
    h.header_size = String(cpythonDictSizeof(Object.keys(h).length));
    h.total_size = String(totalSize);
    h.computed_body_hash = bodyHash;
    return h;
  }

  /** The answer field (schema `output`), if the schema names one. */
  output(): PyValue | undefined {
    return this.schema.output ? this.fields.get(this.schema.output) : undefined;
  }

  /**
   * Builds a synapse of this schema from request headers, as the axon does
   * (`from_headers`). Throws TypeError where Python raises.
   */
  static fromHeaders(schema: SynapseSchema, headers: Readonly<Record<string, string | string[] | undefined>>): Synapse {
    const parsed = parseSynapseHeaders(headers);
    const values = new Map<string, PyValue>();
    for (const f of schema.fields) {
      if (parsed.inputs.has(f.name)) values.set(f.name, parsed.inputs.get(f.name)!);
    }
    let s: Synapse;
    try {
      s = Synapse.create(schema, values, { numbers: 'py' });
    } catch (e) {
      throw new TypeError((e as Error).message);
    }
    if (parsed.timeout !== undefined) s.timeout = pythonFloat(parsed.timeout);
    if (parsed.total_size !== undefined) s.total_size = Number(pythonInt(parsed.total_size));
    if (parsed.header_size !== undefined) s.header_size = Number(pythonInt(parsed.header_size));
    for (const [k, v] of Object.entries(parsed.axon)) setTerminalField(s.axon, k as TerminalField, v);
    for (const [k, v] of Object.entries(parsed.dendrite)) setTerminalField(s.dendrite, k as TerminalField, v);
    return s;
  }

  /**
   * Validates a JSON body (already parsed) into a synapse of this schema, as
   * `LocalClass(**json)` does. Throws TypeError on a validation failure.
   */
  static fromBody(schema: SynapseSchema, body: PyValue): Synapse {
    if (!isPyDict(body)) throw new TypeError(`${schema.name}: Input should be a valid dictionary`);
    const values = new Map<string, PyValue>();
    for (const f of schema.fields) if (body.has(f.name)) values.set(f.name, body.get(f.name)!);
    let s: Synapse;
    try {
      s = Synapse.create(schema, values, { numbers: 'py' });
    } catch (e) {
      throw new TypeError((e as Error).message);
    }
    const num = (k: string, conv: (x: unknown) => number): void => {
      const v = body.get(k);
      if (v === undefined) return;
      if (v === null) throw new TypeError(`${k}: Input should be a valid number`);
      (s as unknown as Record<string, number>)[k] = conv(v);
    };
    num('timeout', (x) => pythonFloat(x));
    num('total_size', (x) => Number(pythonInt(x)));
    num('header_size', (x) => Number(pythonInt(x)));
    s.dendrite = terminalFromPy(body.get('dendrite'), 'dendrite');
    s.axon = terminalFromPy(body.get('axon'), 'axon');
    return s;
  }

  /**
   * The dendrite's reply merge (`process_server_response`, PROTOCOL.md §7):
   * 200 -> every field from the server's body; otherwise only the axon status
   * and `message`. Then non-None header values win, and the dendrite status
   * mirrors the axon's. Throws TypeError where Python would (client 422).
   */
  mergeResponse(httpStatus: number, body: PyValue, headers: Readonly<Record<string, string | string[] | undefined>>): void {
    if (httpStatus === 200) {
      const server = Synapse.fromBody(this.schema, body);
      this.timeout = server.timeout;
      this.total_size = server.total_size;
      this.header_size = server.header_size;
      this.dendrite = server.dendrite;
      this.axon = server.axon;
      for (const [k, v] of server.fields) this.fields.set(k, v);
    } else {
      if (!isPyDict(body)) throw new TypeError(`'${body === null ? 'NoneType' : Array.isArray(body) ? 'list' : typeof body}' object has no attribute 'get'`);
      this.axon.status_code = httpStatus;
      const msg = body.get('message');
      this.axon.status_message = msg === undefined || msg === null ? null : typeof msg === 'string' ? msg : String(msg);
    }
    const hdr = parseSynapseHeaders(headers);
    const hdrDendrite = emptyTerminal();
    const hdrAxon = emptyTerminal();
    for (const [k, v] of Object.entries(hdr.dendrite)) setTerminalField(hdrDendrite, k as TerminalField, v);
    for (const [k, v] of Object.entries(hdr.axon)) setTerminalField(hdrAxon, k as TerminalField, v);
    for (const f of TERMINAL_FIELDS) {
      if (hdrDendrite[f] !== null) (this.dendrite as unknown as Record<string, unknown>)[f] = hdrDendrite[f];
      if (hdrAxon[f] !== null) (this.axon as unknown as Record<string, unknown>)[f] = hdrAxon[f];
    }
    this.dendrite.status_code = this.axon.status_code;
    this.dendrite.status_message = this.axon.status_message;
  }
}

function appendTerminalHeaders(h: Record<string, string>, side: 'axon' | 'dendrite', t: TerminalInfo): void {
  for (const f of TERMINAL_FIELDS) {
    const v = t[f];
    if (v === null) continue;
    h[`bt_header_${side}_${f}`] = f === 'process_time' ? floatRepr(v as number) : String(v);
  }
}

/** base64(json.dumps(type(value)())): an empty instance of the value's Python type (PROTOCOL.md §2.5). */
export function inputObjPlaceholder(v: PyValue): string {
  if (typeof v === 'string') return 'IiI=';
  if (typeof v === 'bigint') return 'MA==';
  if (typeof v === 'number') return 'MC4w';
  if (typeof v === 'boolean') return 'ZmFsc2U=';
  if (Array.isArray(v)) return 'W10=';
  return 'e30=';
}

/**
 * CPython 3.11 `sys.getsizeof` of a dict with n keys (what Python sends as
 * `header_size`). Informational only: the axon parses it as an int and never
 * checks it. Exact up to 21 keys (PROTOCOL.md §2.6), approximate beyond.
 */
export function cpythonDictSizeof(n: number): number {
  if (n <= 5) return 184;
  if (n <= 10) return 272;
  if (n <= 21) return 464;
  if (n <= 42) return 912;
  return 1808;
}

export interface ParsedHeaders {
  name?: string;
  timeout?: string;
  header_size?: string;
  total_size?: string;
  computed_body_hash?: string;
  axon: Partial<Record<TerminalField, string>>;
  dendrite: Partial<Record<TerminalField, string>>;
  /** Decoded `bt_header_input_obj_*` values (undecodable ones are skipped, as Python logs and skips them). */
  inputs: Map<string, PyValue>;
}

// Built once, not per reply.
const TERMINAL_FIELD_SET: ReadonlySet<string> = new Set<string>(TERMINAL_FIELDS);

/** `parse_headers_to_inputs`: header names are matched case-insensitively, as Starlette lower-cases them. */
export function parseSynapseHeaders(headers: Readonly<Record<string, string | string[] | undefined>>): ParsedHeaders {
  const out: ParsedHeaders = { axon: {}, dendrite: {}, inputs: new Map() };
  const terminal = TERMINAL_FIELD_SET;
  for (const rawKey of Object.keys(headers)) {
    const rawVal = headers[rawKey];
    if (rawVal === undefined) continue;
    const key = rawKey.toLowerCase();
    const val = Array.isArray(rawVal) ? rawVal.join(', ') : rawVal;
    if (key.startsWith('bt_header_axon_')) {
      const f = key.slice('bt_header_axon_'.length);
      if (terminal.has(f)) out.axon[f as TerminalField] = val;
    } else if (key.startsWith('bt_header_dendrite_')) {
      const f = key.slice('bt_header_dendrite_'.length);
      if (terminal.has(f)) out.dendrite[f as TerminalField] = val;
    } else if (key.startsWith('bt_header_input_obj_')) {
      const f = key.slice('bt_header_input_obj_'.length);
      if (out.inputs.has(f)) continue;
      try {
        out.inputs.set(f, parsePyJson(Buffer.from(val, 'base64').toString('utf8')));
      } catch {
        /* Python logs and skips an undecodable input_obj header */
      }
    } else if (key === 'name' || key === 'timeout' || key === 'header_size' || key === 'total_size' || key === 'computed_body_hash') {
      out[key] = val;
    }
  }
  return out;
}

// Every reply is validated against its schema: its field names are a set made once per schema.
const FIELD_NAMES = new WeakMap<SynapseSchema, ReadonlySet<string>>();
function fieldNames(schema: SynapseSchema): ReadonlySet<string> {
  let names = FIELD_NAMES.get(schema);
  if (!names) FIELD_NAMES.set(schema, (names = new Set(schema.fields.map((f) => f.name))));
  return names;
}

function structuredCloneValue(v: PyValue): PyValue {
  if (Array.isArray(v)) return v.map(structuredCloneValue);
  if (isPyDict(v)) return new Map([...v].map(([k, x]) => [k, structuredCloneValue(x)]));
  return v;
}
