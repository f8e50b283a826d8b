/** fast-check generators for Python values, text with awkward characters, and headers. */
import fc from 'fast-check';
import type { PyDict, PyValue } from '../../src/synapse/pyvalue.js';

/**
 * Code points that stress repr(): controls, quotes and backslashes, Latin-1,
 * separators and format characters, CJK, private use, emoji, lone surrogates,
 * and a few unassigned points. Only points whose category is the same in
 * CPython 3.9–3.13 and Node's ICU (no characters added after Unicode 13).
 */
const codePoint = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0x20, max: 0x7e }) },
  { weight: 2, arbitrary: fc.constantFrom(0x27, 0x22, 0x5c, 0x0a, 0x0d, 0x09, 0x00, 0x1b, 0x7f) },
  { weight: 2, arbitrary: fc.integer({ min: 0x00, max: 0x1f }) },
  { weight: 2, arbitrary: fc.integer({ min: 0x80, max: 0xff }) },
  { weight: 1, arbitrary: fc.integer({ min: 0x370, max: 0x3ff }) }, // Greek (0x378, 0x379 unassigned)
  { weight: 1, arbitrary: fc.integer({ min: 0x2000, max: 0x206f }) }, // spaces, ZW*, LS/PS, bidi controls
  { weight: 1, arbitrary: fc.integer({ min: 0x4e00, max: 0x4e80 }) }, // CJK
  { weight: 1, arbitrary: fc.integer({ min: 0xe000, max: 0xe010 }) }, // private use
  { weight: 1, arbitrary: fc.integer({ min: 0xd800, max: 0xdfff }) }, // lone surrogates
  { weight: 1, arbitrary: fc.integer({ min: 0x1f600, max: 0x1f64f }) }, // emoji
  { weight: 1, arbitrary: fc.constantFrom(0xfeff, 0xfffe, 0xffff, 0x10ffff, 0xe0001, 0x1d173) },
);

export const pyText = fc.array(codePoint, { maxLength: 24 }).map((cps) => cps.map((c) => String.fromCodePoint(c)).join(''));

export const pyFloat = fc.oneof(
  fc.double(),
  fc.constantFrom(0, -0, 1, 1e16, 1e-5, 1e-4, 9.999999999999999e15, 0.1, 1 / 3, 5e-324, 1.7976931348623157e308, Infinity, -Infinity, NaN),
  fc.integer({ min: -1e6, max: 1e6 }).map((n) => n / 8),
);

export const pyInt = fc.oneof(fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }), fc.bigInt({ min: -5n, max: 5n }));

export const pyValue: fc.Arbitrary<PyValue> = fc.letrec<{ value: PyValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    pyInt,
    pyFloat,
    pyText,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.array(fc.tuple(pyText, tie('value')), { maxLength: 4 }).map((kv): PyDict => new Map(kv)),
  ),
})).value;

/** Header maps as a hostile axon might send them: real bt_header names with junk values, and junk names. */
const TERMINAL = ['status_code', 'status_message', 'process_time', 'ip', 'port', 'version', 'nonce', 'uuid', 'hotkey', 'signature', 'bogus'];
const headerName = fc.oneof(
  fc.constantFrom('name', 'timeout', 'header_size', 'total_size', 'computed_body_hash', 'content-type'),
  fc.constantFrom(...TERMINAL).chain((f) => fc.constantFrom(`bt_header_axon_${f}`, `bt_header_dendrite_${f}`, `BT_HEADER_AXON_${f.toUpperCase()}`)),
  fc.string({ maxLength: 10 }).map((s) => `bt_header_input_obj_${s}`),
  fc.string({ maxLength: 12 }),
);
const headerValue = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.constantFrom('200', '12.0', '1e400', 'nan', '-inf', '1_000', ' 7 ', '0x10', '', '464.0', '99999999999999999999999999', 'e30=', 'W10=', '!!!'),
  fc.base64String({ maxLength: 40 }),
);
export const headers = fc.dictionary(headerName, fc.oneof(headerValue, fc.array(headerValue, { maxLength: 3 })), { maxKeys: 12 });
