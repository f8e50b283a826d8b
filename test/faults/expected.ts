/**
 * What each fault must come back as: Python's status code and message
 * (PROTOCOL.md §8) and our `reason`. One table, used by the single-fault
 * tests and by the 1024-axon sweep alike.
 */
import type { Reason } from '../../src/dendrite/status.js';
import { floatRepr } from '../../src/synapse/pyrepr.js';
import { ANSI_MESSAGE, HOSTILE_MESSAGE, type Fault } from '../support/fault-zoo.js';

export interface Expected {
  /** One code, or the codes allowed where the network decides (an RST may overtake data). */
  statusCode: number | readonly number[];
  message: string | RegExp;
  /** One reason, or the reasons allowed where the network decides. */
  reason: Reason | readonly Reason[];
}

export interface ExpectContext {
  port: number;
  /** Request timeout, seconds. */
  timeout: number;
  /** The reply size cap, bytes. */
  cap: number;
}

const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function expectedFor(fault: Fault, c: ExpectContext): Expected {
  const url = `http://127.0.0.1:${c.port}/Synapse`;
  const mime = (status: number, m: string): RegExp =>
    new RegExp(`^Failed to parse response: ${status}, message='Attempt to decode JSON with unexpected mimetype: ${esc(m)}', url='${esc(url)}'$`);
  const timeout: Expected = { statusCode: 408, message: `Request timeout after ${floatRepr(c.timeout)} seconds`, reason: 'timeout' };
  const protocol: Expected = { statusCode: 400, message: new RegExp(`^Client response error: 400, message='[^']+', url='${esc(url)}'$`), reason: 'protocol_error' };
  const tooLarge: Expected = { statusCode: 422, message: `Failed to parse response: response body exceeds the ${c.cap}-byte limit`, reason: 'too_large' };
  switch (fault) {
    case 'ok':
    case 'double_reply': // the first reply counts; the second is dropped with its socket
      return { statusCode: 200, message: 'Success', reason: 'ok' };
    case 'refuse':
      return { statusCode: 503, message: `Service unavailable at 127.0.0.1:${c.port}/Synapse`, reason: 'refused' };
    case 'silent':
    case 'stall_headers':
    case 'slowloris':
      return timeout;
    case 'close_before_reply':
      return { statusCode: 503, message: 'Service disconnected: Server disconnected', reason: 'disconnected' };
    case 'close_mid_body':
      return {
        statusCode: 400,
        message: "Payload error: Response payload is not completed: <ContentLengthError: 400, message='Not enough data to satisfy content length header.'>",
        reason: 'disconnected',
      };
    case 'stream_cut':
      return {
        statusCode: 400,
        message: "Payload error: Response payload is not completed: <TransferEncodingError: 400, message='Not enough data to satisfy transfer length header.'>",
        reason: 'disconnected',
      };
    case 'reset':
      return { statusCode: 422, message: 'Failed to parse response: [Errno 104] Connection reset by peer', reason: 'reset' };
    case 'reset_mid_body':
      // Normally the headers are read first (400, aiohttp's ClientPayloadError); an RST
      // that overtakes them discards them (422, ClientOSError). Under load the kernel
      // sometimes reports the end as a plain close instead (seen in the sweep), which
      // aiohttp would report the same way: 400 without the reset suffix.
      return {
        statusCode: [400, 422],
        message:
          /^(Payload error: Response payload is not completed: <ContentLengthError: 400, message='Not enough data to satisfy content length header\.'>(\. ConnectionResetError\(104, 'Connection reset by peer'\))?|Failed to parse response: \[Errno 104\] Connection reset by peer)$/,
        reason: ['reset', 'disconnected'],
      };
    case 'non_json':
      return { statusCode: 422, message: mime(200, 'text/html'), reason: 'bad_response' };
    case 'bad_json':
      return { statusCode: 422, message: /^Failed to parse response: Expecting property name enclosed in double quotes/, reason: 'bad_response' };
    case 'wrong_shape':
      return { statusCode: 422, message: /^Failed to parse response: could not convert string to float: "soon"$/, reason: 'bad_response' };
    case 'null_body':
      return { statusCode: 422, message: /^Failed to parse response: /, reason: 'bad_response' };
    case 'huge':
    case 'endless':
      return tooLarge;
    case 'bad_headers':
    case 'bad_status':
    case 'huge_headers':
      return protocol;
    case 'redirect':
      return { statusCode: 422, message: mime(302, 'text/html'), reason: 'bad_response' };
    case 'redirect_json':
      return { statusCode: 307, message: 'moved', reason: 'http_error' };
    case 'error_500_text':
      return { statusCode: 422, message: mime(500, 'text/plain'), reason: 'bad_response' };
    case 'stream_to_plain':
    case 'ansi_stream':
      return { statusCode: 422, message: mime(200, 'text/event-stream'), reason: 'bad_response' };
    case 'ansi':
      return { statusCode: 403, message: ANSI_MESSAGE, reason: 'http_error' };
    case 'hostile_json':
      return { statusCode: 200, message: HOSTILE_MESSAGE, reason: 'ok' };
  }
}

/** Why a result does not match, or null when it does. */
export function mismatch(r: { statusCode: number | null; statusMessage: string | null; reason: string }, e: Expected): string | null {
  const msgOk = typeof e.message === 'string' ? r.statusMessage === e.message : e.message.test(r.statusMessage ?? '');
  const codeOk = typeof e.statusCode === 'number' ? r.statusCode === e.statusCode : e.statusCode.includes(r.statusCode ?? -1);
  const reasonOk = typeof e.reason === 'string' ? r.reason === e.reason : (e.reason as readonly string[]).includes(r.reason);
  if (codeOk && reasonOk && msgOk) return null;
  return `got ${r.statusCode} ${r.reason} ${JSON.stringify(r.statusMessage)}, want ${e.statusCode} ${e.reason} ${String(e.message)}`;
}
