import { describe, expect, it } from 'vitest';
import { floatRepr, pyRepr, pyStr, strRepr } from '../../src/synapse/pyrepr.js';
import { dumpPyJson, parsePyJson, toUserJson } from '../../src/synapse/pyjson.js';
import { bodyHashOf, EMPTY_BODY_HASH, sha3Hex } from '../../src/synapse/hash.js';
import { DUMMY_SCHEMA, parseSchema, SYNAPSE_SCHEMA, SchemaRegistry } from '../../src/synapse/schema.js';
import { inputObjPlaceholder, parseSynapseHeaders, Synapse } from '../../src/synapse/synapse.js';
import { synapseFromInputs } from '../../src/synapse/inputs.js';
import type { PyValue } from '../../src/synapse/pyvalue.js';

const schema = (json: object) => parseSchema(JSON.stringify(json), 'test');

describe('Python str() and repr() (PROTOCOL.md §3)', () => {
  it.each([
    [1, '1.0'],
    [1e-5, '1e-05'],
    [1e16, '1e+16'],
    [1.5, '1.5'],
    [0.1, '0.1'],
    [0.0001, '0.0001'],
    [123456789, '123456789.0'],
    [9999999999999998, '9999999999999998.0'],
    [-0, '-0.0'],
    [0, '0.0'],
    [-2.5e-7, '-2.5e-07'],
    [5e-324, '5e-324'],
    [1.7976931348623157e308, '1.7976931348623157e+308'],
    [12, '12.0'],
    [1 / 3, '0.3333333333333333'],
    [Infinity, 'inf'],
    [NaN, 'nan'],
  ])('float %s -> %s', (x, s) => {
    expect(floatRepr(x)).toBe(s);
  });

  it.each([
    ["it's", `"it's"`],
    ['a"b', `'a"b'`],
    [`it's "x"`, `'it\\'s "x"'`],
    ['x\ny', "'x\\ny'"],
    ['tab\there\r', "'tab\\there\\r'"],
    ['back\\slash', "'back\\\\slash'"],
    ['\x00\x1f\x7f', "'\\x00\\x1f\\x7f'"],
    ['wörld é ñ 中文 😀', "'wörld é ñ 中文 😀'"],
    ['\u00a0', "'\\xa0'"],
    ['\u200b', "'\\u200b'"],
    ['\u2028', "'\\u2028'"],
    ['\u{e0001}', "'\\U000e0001'"],
    ['\x85', "'\\x85'"],
  ])('repr(%j) -> %s', (s, r) => {
    expect(strRepr(s)).toBe(r);
  });

  it('renders each type like CPython', () => {
    expect(pyStr('hello wörld')).toBe('hello wörld');
    expect(pyStr(null)).toBe('None');
    expect(pyStr(true)).toBe('True');
    expect(pyStr(false)).toBe('False');
    expect(pyStr(2n ** 70n)).toBe('1180591620717411303424');
    expect(pyRepr([])).toBe('[]');
    expect(pyRepr(new Map())).toBe('{}');
    expect(pyRepr(new Map<string, PyValue>([['1', 1n], ['a', [1n, 2.0]]]))).toBe("{'1': 1, 'a': [1, 2.0]}");
  });
});

describe('body hash vectors (PROTOCOL.md §3, §14 cases 7-9)', () => {
  it.each([
    ['', 'a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a'],
    ['1', '67b176705b46206614219f47a05aee7ae6a3edbe850bbbe214c536b989aea4d2'],
    ['2', 'b1b1bd1ed240b1496c81ccf19ceccf2af6fd24fac10ae42023628abbe2687310'],
    ["['foobar']", '182e45de5f003a5f02ce181fd7f2a2a45790550feaf90cf8ffdad76f5c450fc1'],
  ])('sha3_256(%j)', (s, h) => {
    expect(sha3Hex(s)).toBe(h);
  });

  const hashSchema = schema({
    name: 'HashTest',
    fields: [
      { name: 'a', type: 'int' },
      { name: 'b', type: 'int' },
      { name: 'c', type: 'Optional[int]', default: null },
      { name: 'd', type: 'Optional[list[str]]', default: null },
    ],
    required_hash_fields: ['a', 'b', 'd'],
  });

  it('test_synapse_body_hash: a=1, b=2, d=["foobar"]', () => {
    const s = Synapse.create(hashSchema, { a: 1, b: 2, d: ['foobar'] });
    expect(s.bodyHash()).toBe('ae06397d08f30f75c91395c59f05c62ac3b62b88250eb78b109213258e6ced0c');
    expect(Synapse.create(hashSchema, { a: 1, b: 2, c: 3, d: ['foobar'] }).bodyHash()).toBe(s.bodyHash());
  });

  it('the same with d=None', () => {
    expect(Synapse.create(hashSchema, { a: 1, b: 2 }).bodyHash()).toBe('74206c06daa8ed9ff696af797404a312e5bedd91964b7d281535790495fac371');
  });

  it('the mixed-type vector, with 1 in a float field hashed as 1.0', () => {
    const mixed = schema({
      name: 'Mixed',
      fields: [
        { name: 'text', type: 'str' },
        { name: 'f', type: 'float' },
        { name: 'flag', type: 'bool' },
        { name: 'li', type: 'list' },
        { name: 'di', type: 'dict' },
        { name: 'inner', type: 'Optional[dict[str, Any]]', default: null },
      ],
      required_hash_fields: ['text', 'f', 'flag', 'li', 'di', 'inner'],
    });
    const values = parsePyJson(
      '{"text": "hello w\\u00f6rld", "f": 1, "flag": true, "li": ["it\'s", "a\\"b", "x\\ny", 1.5, null, 1e-5, 1e16, true], "di": {"k": [1, 2], "z": "v"}, "inner": {"k": 3, "s": "q"}}',
    ) as Map<string, PyValue>;
    const s = Synapse.create(mixed, values, { numbers: 'py' });
    expect(pyStr(s.fields.get('f')!)).toBe('1.0');
    expect(pyStr(s.fields.get('li')!)).toBe(`["it's", 'a"b', 'x\\ny', 1.5, None, 1e-05, 1e+16, True]`);
    expect(pyStr(s.fields.get('di')!)).toBe("{'k': [1, 2], 'z': 'v'}");
    expect(s.bodyHash()).toBe('bda412657193269611f2bbfb70100f615c15592217d02bdd1a0a613566e8e76f');
  });

  it('no hash fields gives the empty hash', () => {
    expect(bodyHashOf([])).toBe(EMPTY_BODY_HASH);
    expect(Synapse.create(DUMMY_SCHEMA, { dummy_input: 5 }).bodyHash()).toBe(EMPTY_BODY_HASH);
  });
});

describe('headers (PROTOCOL.md §2, §14 cases 3-5)', () => {
  it('Synapse().to_headers()', () => {
    const h = Synapse.create(SYNAPSE_SCHEMA).toHeaders();
    expect(h.name).toBe('Synapse');
    expect(h.timeout).toBe('12.0');
    expect(Object.keys(h)).toEqual(['name', 'timeout', 'header_size', 'total_size', 'computed_body_hash']);
    expect(h.computed_body_hash).toBe(EMPTY_BODY_HASH);
  });

  it('input_obj placeholders are empty instances of the value type', () => {
    expect(['x', 5n, 1.5, true, [1n], new Map()].map((v) => inputObjPlaceholder(v as PyValue))).toEqual([
      'IiI=',
      'MA==',
      'MC4w',
      'ZmFsc2U=',
      'W10=',
      'e30=',
    ]);
  });

  it('test_custom_synapse: placeholders for required fields only; from_headers builds defaults', () => {
    const custom = schema({
      name: 'Custom',
      fields: [
        { name: 'a', type: 'int' },
        { name: 'b', type: 'int', default: null },
        { name: 'c', type: 'Optional[int]' },
        { name: 'd', type: 'Optional[list[int]]' },
        { name: 'e', type: 'list[int]' },
        { name: 'f', type: 'Optional[int]', default: null },
        { name: 'g', type: 'Optional[int]', default: null },
      ],
    });
    const h = Synapse.create(custom, { a: 1, c: 2, d: [1], e: [2] }).toHeaders();
    expect(h.bt_header_input_obj_a).toBe('MA==');
    expect(h).not.toHaveProperty('bt_header_input_obj_b');
    expect([h.bt_header_input_obj_c, h.bt_header_input_obj_d, h.bt_header_input_obj_e]).toEqual(['MA==', 'W10=', 'W10=']);
    const back = Synapse.fromHeaders(custom, h);
    expect(Object.fromEntries(back.fields)).toEqual({ a: 0n, b: null, c: 0n, d: [], e: [], f: null, g: null });
  });

  it('test_parse_headers_to_inputs', () => {
    const headers = {
      bt_header_axon_nonce: '111',
      bt_header_dendrite_ip: '12.1.1.2',
      bt_header_input_obj_key1: Buffer.from('[1, 2, 3, 4]').toString('base64'),
      timeout: '12',
      name: 'Test',
      header_size: '111',
      total_size: '111',
      computed_body_hash: '0xabcdef',
    };
    const p = parseSynapseHeaders(headers);
    expect(p.axon).toEqual({ nonce: '111' });
    expect(p.dendrite).toEqual({ ip: '12.1.1.2' });
    expect(p.inputs.get('key1')).toEqual([1n, 2n, 3n, 4n]);
    expect([p.timeout, p.name, p.header_size, p.total_size, p.computed_body_hash]).toEqual(['12', 'Test', '111', '111', '0xabcdef']);
    const s = Synapse.fromHeaders(schema({ name: 'Test', fields: [{ name: 'key1', type: 'list[int]' }] }), headers);
    expect([s.axon.nonce, s.timeout, s.header_size, s.total_size]).toEqual([111n, 12, 111, 111]);
    expect(s.dendrite.ip).toBe('12.1.1.2');
  });

  it('rejects what Python int() rejects', () => {
    expect(() => Synapse.fromHeaders(SYNAPSE_SCHEMA, { bt_header_dendrite_version: '464.0' })).toThrow(/int/);
    expect(() => Synapse.fromHeaders(DUMMY_SCHEMA, {})).toThrow(/requires/);
  });
});

describe('JSON in Python form', () => {
  it('keeps ints beyond 2^53 and tells ints from floats', () => {
    const v = parsePyJson('{"n": 1742400000123456789, "f": 1.0, "e": 1e5, "z": -0, "s": "\\u00e9\\ud83d\\ude00"}') as Map<string, PyValue>;
    expect(v.get('n')).toBe(1742400000123456789n);
    expect(v.get('f')).toBe(1);
    expect(typeof v.get('f')).toBe('number');
    expect(v.get('e')).toBe(100000);
    expect(v.get('z')).toBe(0n);
    expect(v.get('s')).toBe('é😀');
    expect(dumpPyJson(v)).toBe('{"n": 1742400000123456789, "f": 1.0, "e": 100000.0, "z": 0, "s": "\\u00e9\\ud83d\\ude00"}');
    expect(dumpPyJson(v, 'compact')).toBe('{"n":1742400000123456789,"f":1.0,"e":100000.0,"z":0,"s":"é😀"}');
  });

  it('keeps dict order even for numeric keys', () => {
    expect(dumpPyJson(parsePyJson('{"b": 1, "2": 2, "1": 3}'))).toBe('{"b": 1, "2": 2, "1": 3}');
  });

  it('escapes like json.dumps', () => {
    expect(dumpPyJson('a"b\\c\n\t\x01\x7f')).toBe('"a\\"b\\\\c\\n\\t\\u0001\\u007f"');
    expect(dumpPyJson('\x7f', 'compact')).toBe('"\x7f"');
  });

  it('rejects invalid JSON with a position', () => {
    expect(() => parsePyJson('{"a": }')).toThrow(/Expecting value at char 6/);
    expect(() => parsePyJson('[1, 2')).toThrow();
    expect(() => parsePyJson('1 2')).toThrow(/Extra data/);
  });

  it('user JSON turns NaN into null and can indent', () => {
    expect(toUserJson(new Map<string, PyValue>([['x', NaN], ['y', [1n]]]), 2)).toBe('{\n  "x": null,\n  "y": [\n    1\n  ]\n}');
  });
});

describe('values coerced as pydantic does (SCHEMA.md)', () => {
  const s = schema({
    name: 'Types',
    fields: [
      { name: 'i', type: 'int', default: 0 },
      { name: 'f', type: 'float', default: 0.7 },
      { name: 'b', type: 'bool', default: false },
      { name: 's', type: 'str', default: '' },
      { name: 'l', type: 'list[float]', default: [] },
      { name: 'o', type: 'Optional[int]', default: null },
      { name: 'd', type: 'dict[str, int]', default: {} },
      { name: 'u', type: 'int | None', default: null },
    ],
  });
  const f = (...fields: string[]) => synapseFromInputs(s, { fields });

  it('parses --field values by declared type', () => {
    const syn = f('i=12345678901234567890', 'f=1', 'b=true', 's=hello world', 'l=[1, 2.5]', 'o=null', 'd={"x": 1}', 'u=7');
    expect(Object.fromEntries(syn.fields)).toEqual({
      i: 12345678901234567890n,
      f: 1,
      b: true,
      s: 'hello world',
      l: [1, 2.5],
      o: null,
      d: new Map([['x', 1n]]),
      u: 7n,
    });
    expect(pyStr(syn.fields.get('l')!)).toBe('[1.0, 2.5]');
    expect(f('s=[1]').fields.get('s')).toBe('[1]');
    expect(f('b="yes"').fields.get('b')).toBe(true);
    expect(f('i=2.0').fields.get('i')).toBe(2n);
  });

  it.each([
    [['i=1.5'], /--field i of Types: expected int, got float 1.5 with a fractional part/],
    [['i=abc'], /--field i of Types: expected int, got str "abc"/],
    [['l=[1,'], /--field l: "\[1," is not valid JSON for list\[float\]/],
    [['i=null'], /expected int, got None/],
    [['b=maybe'], /expected bool/],
    [['l=["a"]'], /at l\[0\]: expected float/],
    [['nope=1'], /Types has no field "nope"; its fields are: i, f, b, s, l, o, d, u/],
    [['noequals'], /must be NAME=VALUE/],
  ])('rejects %j', (fields, msg) => {
    expect(() => f(...(fields as string[]))).toThrow(msg);
  });

  it('--body gives all fields; --field overrides it', () => {
    const syn = synapseFromInputs(s, { body: '{"i": 3, "f": 2}', fields: ['i=4'] });
    expect([syn.fields.get('i'), syn.fields.get('f')]).toEqual([4n, 2]);
    expect(() => synapseFromInputs(s, { body: '{oops' })).toThrow(/--body is not valid JSON/);
    expect(() => synapseFromInputs(s, { body: '[1]' })).toThrow(/--body must be a JSON object/);
  });

  it('a missing required field names the flag', () => {
    expect(() => synapseFromInputs(DUMMY_SCHEMA, {})).toThrow(/Dummy requires --field dummy_input \(int\)/);
  });
});

describe('schema files (SCHEMA.md)', () => {
  it('parses the documented example', () => {
    const s = schema({
      name: 'TextPrompt',
      fields: [
        { name: 'roles', type: 'list[str]' },
        { name: 'messages', type: 'list[str]' },
        { name: 'temperature', type: 'float', default: 0.7 },
        { name: 'seed', type: 'Optional[int]', default: null },
        { name: 'completion', type: 'str', default: '' },
      ],
      required_hash_fields: ['roles', 'messages'],
      streaming: true,
      output: 'completion',
    });
    expect(s.fields.map((f) => [f.name, f.required])).toEqual([
      ['roles', true],
      ['messages', true],
      ['temperature', false],
      ['seed', false],
      ['completion', false],
    ]);
    expect([s.streaming, s.output, s.requiredHashFields]).toEqual([true, 'completion', ['roles', 'messages']]);
  });

  it.each([
    ['{"fields": []}', /"name" must be the Python class name/],
    ['{"name": "X", "fields": [{"name": "a", "type": "tuple[int]"}]}', /unsupported field type "tuple\[int\]"/],
    ['{"name": "X", "fields": [{"name": "timeout", "type": "int"}]}', /base Synapse field/],
    ['{"name": "X", "fields": [{"name": "a", "type": "int", "default": "x"}]}', /default of field "a" does not fit/],
    ['{"name": "X", "fields": [], "required_hash_fields": ["zz"]}', /not a field/],
    ['{"name": "X", "fields": [{"name": "a", "type": "int"}, {"name": "a", "type": "int"}]}', /declared twice/],
    ['not json', /is not valid JSON/],
  ])('rejects %s', (text, msg) => {
    expect(() => parseSchema(text, 'bad.json')).toThrow(msg);
  });

  it('knows Ping as an alias and suggests case fixes', () => {
    const reg = new SchemaRegistry();
    expect(reg.get('Ping').name).toBe('Synapse');
    expect(() => reg.get('dummy')).toThrow(/unknown synapse "dummy" \(did you mean "Dummy"\?/);
  });
});
