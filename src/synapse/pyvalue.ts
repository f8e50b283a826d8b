/**
 * Python values as the axon's pydantic sees them. The JS type *is* the Python
 * type, which is what makes `str()` and hashing exact:
 *   None -> null, bool -> boolean, int -> bigint (unbounded), float -> number,
 *   str -> string, list -> array, dict -> Map (keeps insertion order, even for
 *   keys like "1" that a JS object would reorder).
 */
export type PyValue = null | boolean | bigint | number | string | PyValue[] | PyDict;
export type PyDict = Map<string, PyValue>;

export function isPyDict(v: unknown): v is PyDict {
  return v instanceof Map;
}
