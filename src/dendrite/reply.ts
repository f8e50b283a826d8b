/** Reading a reply body the way aiohttp's `response.json()` does. */
import { parsePyJson } from '../synapse/pyjson.js';
import type { PyValue } from '../synapse/pyvalue.js';
import { parseFailure, type Failure } from './status.js';

type Headers = Record<string, string | string[] | undefined>;

export function mimeType(headers: Headers): string {
  const ct = headers['content-type'];
  if (ct === 'application/json') return ct; // what axons send: skip the split/trim/lower-case
  return (Array.isArray(ct) ? ct[0] : ct ?? 'application/octet-stream').split(';')[0]!.trim().toLowerCase();
}

const JSON_MIME = /^application\/(?:[\w.+-]+?\+)?json$/;
// One decoder for every reply: decode() without {stream: true} keeps no state between calls.
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** aiohttp's `response.json()`: content type check, UTF-8, empty body is None. */
export function decodeJsonReply(raw: { status: number; headers: Headers; body: Buffer }, url: string): { json: PyValue } | { failure: Failure } {
  const mime = mimeType(raw.headers);
  if (!JSON_MIME.test(mime)) {
    return { failure: parseFailure(`${raw.status}, message='Attempt to decode JSON with unexpected mimetype: ${mime}', url='${url}'`, 'bad_response') };
  }
  let text: string;
  try {
    text = UTF8.decode(raw.body);
  } catch {
    return { failure: parseFailure("'utf-8' codec can't decode the response body", 'bad_response') };
  }
  if (text.trim() === '') return { json: null };
  try {
    return { json: parsePyJson(text) };
  } catch (e) {
    return { failure: parseFailure((e as Error).message, 'bad_response') };
  }
}
