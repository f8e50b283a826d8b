/**
 * Dendrite-side failures as the Python dendrite reports them
 * (`process_error_message`, PROTOCOL.md §8), plus a transport-level `reason`
 * so a user can tell apart what Python lumps together (e.g. every 422).
 */
import { floatRepr, strRepr } from '../synapse/pyrepr.js';

export type Reason =
  /** The axon answered 200. */
  | 'ok'
  /** The axon answered a non-200 status with a JSON body. */
  | 'http_error'
  /** The request's timeout passed (Python 408). */
  | 'timeout'
  /** Connection refused (Python 503). */
  | 'refused'
  /** No route to the host, network unreachable (Python 503). */
  | 'unreachable'
  /** The host name did not resolve (Python 422). */
  | 'dns'
  /** The connection was reset (Python 422). */
  | 'reset'
  /** The server closed the connection before answering (Python 503). */
  | 'disconnected'
  /** A reply that is not JSON, or JSON of the wrong shape (Python 422). */
  | 'bad_response'
  /** The reply exceeded the size cap (project choice 4; 422). */
  | 'too_large'
  /** Not valid HTTP (Python 400 "Client response error"). */
  | 'protocol_error'
  /** A stream went silent for longer than its idle timeout (408). */
  | 'idle_timeout'
  /** The user stopped it (Ctrl-C, or the consumer stopped reading). */
  | 'cancelled'
  /** Anything else (Python's catch-all 422). */
  | 'error';

export interface Failure {
  statusCode: number;
  statusMessage: string;
  reason: Reason;
}

export interface FailureContext {
  ip: string;
  port: number;
  name: string;
  timeout: number;
  url: string;
}

const UNREACHABLE = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'EACCES', 'EPERM', 'EHOSTDOWN', 'ENETDOWN']);

function errorCode(err: unknown): string | undefined {
  const e = err as { code?: unknown; cause?: { code?: unknown } } | null;
  const code = e?.code ?? e?.cause?.code;
  return typeof code === 'string' ? code : undefined;
}

export function timeoutFailure(ctx: FailureContext): Failure {
  return { statusCode: 408, statusMessage: `Request timeout after ${floatRepr(ctx.timeout)} seconds`, reason: 'timeout' };
}

export function idleFailure(idleSeconds: number): Failure {
  return { statusCode: 408, statusMessage: `Stream idle for more than ${floatRepr(idleSeconds)} seconds`, reason: 'idle_timeout' };
}

export function cancelledFailure(): Failure {
  return { statusCode: 499, statusMessage: 'Cancelled by the client', reason: 'cancelled' };
}

export function parseFailure(detail: string, reason: Reason): Failure {
  return { statusCode: 422, statusMessage: `Failed to parse response: ${detail}`, reason };
}

/** Maps an exception from connecting, sending or reading to Python's status and message. */
export function transportFailure(err: unknown, ctx: FailureContext): Failure {
  const code = errorCode(err);
  if (code === 'ECONNREFUSED' || (code !== undefined && UNREACHABLE.has(code))) {
    return {
      statusCode: 503,
      statusMessage: `Service unavailable at ${ctx.ip}:${ctx.port}/${ctx.name}`,
      reason: code === 'ECONNREFUSED' ? 'refused' : 'unreachable',
    };
  }
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'ETIMEDOUT') {
    return timeoutFailure(ctx);
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_FAIL') {
    return parseFailure(`Cannot connect to host ${ctx.ip}:${ctx.port} ssl:default [Name or service not known]`, 'dns');
  }
  if (code === 'ECONNRESET' || code === 'EPIPE') {
    return parseFailure('[Errno 104] Connection reset by peer', 'reset');
  }
  if (code === 'UND_ERR_SOCKET' || code === 'UND_ERR_CLOSED') {
    return { statusCode: 503, statusMessage: 'Service disconnected: Server disconnected', reason: 'disconnected' };
  }
  // undici's llhttp errors carry no code, only their class name.
  const parserError = (err as Error | null)?.name === 'HTTPParserError';
  if (parserError || code?.startsWith('HPE_') || code === 'UND_ERR_HEADERS_OVERFLOW' || code === 'UND_ERR_INFO' || code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH') {
    const msg = (err as Error).message?.split('\n')[0] ?? 'Invalid HTTP response';
    // aiohttp's ClientResponseError str(): `{status}, message={message!r}, url={url!r}` (Python repr quoting).
    return { statusCode: 400, statusMessage: `Client response error: 400, message=${strRepr(msg)}, url=${strRepr(ctx.url)}`, reason: 'protocol_error' };
  }
  return parseFailure((err as Error)?.message?.split('\n')[0] ?? String(err), 'error');
}

/**
 * The connection ended (FIN or RST) after the headers, before the body was
 * complete. aiohttp raises ClientPayloadError there (its parser's feed_eof
 * fails), which §8 maps to 400 `Payload error: …`, whatever the status line said.
 */
export function payloadFailure(err: unknown, chunked: boolean): Failure {
  const inner = chunked
    ? "<TransferEncodingError: 400, message='Not enough data to satisfy transfer length header.'>"
    : "<ContentLengthError: 400, message='Not enough data to satisfy content length header.'>";
  const code = errorCode(err);
  const reset = code === 'ECONNRESET' || code === 'EPIPE';
  return {
    statusCode: 400,
    statusMessage: `Payload error: Response payload is not completed: ${inner}${reset ? ". ConnectionResetError(104, 'Connection reset by peer')" : ''}`,
    reason: reset ? 'reset' : 'disconnected',
  };
}

/** True for errors that mean the peer closed or reset the connection. */
export function isConnectionLoss(err: unknown): boolean {
  const code = errorCode(err);
  return code === 'UND_ERR_SOCKET' || code === 'UND_ERR_CLOSED' || code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH';
}
