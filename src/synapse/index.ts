export * from './pyvalue.js';
export { floatRepr, pyRepr, pyStr, strRepr } from './pyrepr.js';
export { dumpPyJson, parsePyJson, PyJsonError, toUserJson } from './pyjson.js';
export { parseFieldType, formatFieldType, coerce, toPyValue, fromPyValue, CoercionError, type FieldType } from './types.js';
export * from './schema.js';
export * from './terminal.js';
export { bodyHashOf, sha3Hex, EMPTY_BODY_HASH } from './hash.js';
export { Synapse, inputObjPlaceholder, parseSynapseHeaders, cpythonDictSizeof, type SynapseValues, type CreateOptions } from './synapse.js';
