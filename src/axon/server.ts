/**
 * Our own axon: an HTTP server that runs the Python axon's pipeline
 * (PROTOCOL.md §7) exactly: route lookup, header parsing, preprocess,
 * blacklist, verify (nonce + signature), body integrity (hash), forward, and
 * the success or error reply with Python's headers and bodies. It is a tool
 * for subnet developers and the peer of our integration tests.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { bytesToHex, utf8 } from '../crypto/bytes.js';
import { loadSr25519, type Signer } from '../crypto/sr25519.js';
import { wallClockNs } from '../dendrite/nonce.js';
import { uuid1 } from '../dendrite/uuid.js';
import { DEFAULT_VERSION_AS_INT } from '../dendrite/version.js';
import { dumpPyJson, parsePyJson } from '../synapse/pyjson.js';
import { pyRepr } from '../synapse/pyrepr.js';
import type { PyValue } from '../synapse/pyvalue.js';
import { SYNAPSE_SCHEMA } from '../synapse/schema.js';
import { parseSynapseHeaders, Synapse } from '../synapse/synapse.js';
import type { AxonTarget } from '../targets/types.js';
import { AxonError, dummyRoute, pingRoute, type AxonRoute } from './routes.js';
import { streamRoutes } from './stream-routes.js';
import { verifyRequest, type Wasm } from './verify.js';

export interface AxonOptions {
  /** The axon's own hotkey: it signs error replies and is the 3rd part of every verified message. */
  signer: Signer;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (a free port). */
  port?: number;
  /** Routes besides the built-in `Synapse` ping. Default: Dummy and the Stream* routes. A route of the same name replaces the built-in. */
  routes?: AxonRoute[];
  /** Verify signatures and nonces. Default true. */
  verify?: boolean;
  /** Reject requests without a signature (project choice). Default true. */
  requireSignature?: boolean;
  /** Wait this long in every forward (a slow miner). Default 0. */
  delayMs?: number;
  /** `version_as_int` of the axon. Default 10002000. */
  version?: number;
  /** Keep-alive idle time, ms. Default 5000, uvicorn's. */
  keepAliveTimeout?: number;
}

export interface RunningAxon {
  host: string;
  port: number;
  hotkey: string;
  /** This axon as a dendrite target. */
  target: AxonTarget;
  /** Requests handled so far, by route name (for tests). */
  readonly counts: Map<string, number>;
  close(): Promise<void>;
}

interface Ctx {
  signer: Signer;
  wasm: Wasm;
  routes: Map<string, AxonRoute>;
  nonces: Map<string, bigint>;
  uuid: string;
  version: number;
  verify: boolean;
  requireSignature: boolean;
  delayMs: number;
  counts: Map<string, number>;
}

export async function startAxon(opts: AxonOptions): Promise<RunningAxon> {
  const wasm = await loadSr25519();
  const routes = new Map<string, AxonRoute>([['Synapse', pingRoute]]);
  for (const r of opts.routes ?? [dummyRoute, ...streamRoutes]) routes.set(r.schema.name, r);
  const ctx: Ctx = {
    signer: opts.signer,
    wasm,
    routes,
    nonces: new Map(),
    uuid: uuid1(),
    version: opts.version ?? DEFAULT_VERSION_AS_INT,
    verify: opts.verify ?? true,
    requireSignature: opts.requireSignature ?? true,
    delayMs: opts.delayMs ?? 0,
    counts: new Map(),
  };
  const server: Server = createServer((req, res) => {
    handle(ctx, req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  server.keepAliveTimeout = opts.keepAliveTimeout ?? 5000;
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    host,
    port,
    hotkey: opts.signer.address,
    target: { ip: host, port, hotkey: opts.signer.address },
    counts: ctx.counts,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: string): void {
  res.statusCode = status;
  for (const [k, v] of Object.entries(headers)) {
    try {
      res.setHeader(k, v);
    } catch {
      /* Starlette would fail on a non-latin-1 value too; we drop the header instead */
    }
  }
  res.setHeader('content-type', 'application/json');
  res.setHeader('content-length', Buffer.byteLength(body));
  res.end(body);
}

async function handle(ctx: Ctx, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const started = performance.now();
  const elapsed = (): number => (performance.now() - started) / 1000;
  const path = new URL(req.url ?? '/', 'http://axon').pathname;
  const name = path.split('/')[1] ?? '';
  const bodyPromise = readBody(req);

  const errorReply = (syn: Synapse, status: number, message: string): void => {
    syn.axon.status_code = status;
    syn.axon.status_message = message;
    syn.axon.process_time = elapsed();
    send(res, status, syn.toHeaders(), dumpPyJson(new Map([['message', message]]), 'compact'));
  };
  const internalError = (syn: Synapse): void => errorReply(syn, 500, `Internal Server Error #${randomUUID()}`);

  const route = ctx.routes.get(name);
  ctx.counts.set(name, (ctx.counts.get(name) ?? 0) + 1);
  if (!route) {
    await bodyPromise;
    const names = [...ctx.routes.keys()];
    errorReply(Synapse.create(SYNAPSE_SCHEMA), 404, `Synapse name '${name}' not found. Available synapses ${pyRepr(names)}`);
    return;
  }

  // preprocess: build the synapse from headers alone.
  let syn: Synapse;
  try {
    syn = Synapse.fromHeaders(route.schema, req.headers);
  } catch {
    await bodyPromise;
    internalError(Synapse.create(SYNAPSE_SCHEMA));
    return;
  }
  const bodyHashHeader = parseSynapseHeaders(req.headers).computed_body_hash;
  syn.axon.version = ctx.version;
  syn.axon.uuid = ctx.uuid;
  syn.axon.nonce = wallClockNs();
  syn.axon.status_code = 100;
  syn.dendrite.port = req.socket.remotePort ?? null;
  syn.dendrite.ip = req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? null;
  const axonMessage = `${syn.axon.nonce}.${syn.dendrite.hotkey ?? 'None'}.${syn.axon.hotkey ?? 'None'}.${syn.axon.uuid}`;
  syn.axon.signature = bytesToHex(ctx.signer.sign(utf8(axonMessage)));

  // blacklist sees the header-built synapse.
  const blacklisted = route.blacklist?.(syn);
  if (blacklisted !== undefined) {
    await bodyPromise;
    errorReply(syn, 403, `Forbidden. Key is blacklisted: ${blacklisted}.`);
    return;
  }
  if (ctx.verify) {
    const failure = verifyRequest({
      synapse: syn,
      bodyHashHeader,
      ownHotkey: ctx.signer.address,
      nonces: ctx.nonces,
      now: wallClockNs(),
      wasm: ctx.wasm,
      requireSignature: ctx.requireSignature,
    });
    if (failure !== undefined) {
      await bodyPromise;
      errorReply(syn, 401, `Not Verified with error: ${failure}`);
      return;
    }
  }

  // The route: body integrity first (FastAPI dependency), then forward.
  const raw = await bodyPromise;
  const mime = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (!/^application\/(?:[\w.+-]+\+)?json$/.test(mime) || raw.length === 0) {
    internalError(syn);
    return;
  }
  let json: PyValue;
  try {
    json = parsePyJson(raw.toString('utf8'));
  } catch (e) {
    // FastAPI's own 422: no `message`, no bt headers.
    const position = BigInt((e as { position?: number }).position ?? 0);
    const error = new Map<string, PyValue>([
      ['type', 'json_invalid'],
      ['loc', ['body', position]],
      ['msg', 'JSON decode error'],
    ]);
    const detail = dumpPyJson(new Map<string, PyValue>([['detail', [error]]]), 'compact');
    res.writeHead(422, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(detail) });
    res.end(detail);
    return;
  }
  let bodySyn: Synapse;
  try {
    bodySyn = Synapse.fromBody(route.schema, json);
    if (bodySyn.bodyHash() !== bodyHashHeader) throw new Error('Hash mismatch between header body hash and parsed body hash');
  } catch {
    internalError(syn);
    return;
  }
  try {
    if (ctx.delayMs > 0) await sleep(ctx.delayMs);
    const returned = await route.forward?.(bodySyn);
    if (returned) bodySyn = returned;
  } catch (e) {
    if (e instanceof AxonError) errorReply(syn, e.status, e.message);
    else internalError(syn);
    return;
  }
  if (route.stream && route.schema.streaming) {
    await streamReply(res, bodySyn, route.stream, elapsed);
    return;
  }
  // synapse_to_response
  if (bodySyn.axon.status_code === null) bodySyn.axon.status_code = 200;
  if (bodySyn.axon.status_code === 200 && !bodySyn.axon.status_message) bodySyn.axon.status_message = 'Success';
  bodySyn.axon.process_time = elapsed();
  if (res.destroyed) return;
  send(res, bodySyn.axon.status_code, bodySyn.toHeaders(), dumpPyJson(bodySyn.dump(), 'compact'));
}

/**
 * BTStreamingResponse: status 200 whatever the synapse says, content-type
 * `text/event-stream` first, then the synapse's headers; chunked raw bytes.
 */
async function streamReply(
  res: ServerResponse,
  syn: Synapse,
  stream: NonNullable<AxonRoute['stream']>,
  elapsed: () => number,
): Promise<void> {
  syn.axon.status_code = 200;
  syn.axon.status_message = 'Success';
  syn.axon.process_time = elapsed();
  const headers: Record<string, string> = { 'content-type': 'text/event-stream', ...syn.toHeaders() };
  res.writeHead(200, headers);
  res.flushHeaders();
  const ac = new AbortController();
  res.on('close', () => ac.abort());
  const send = (chunk: string | Uint8Array): Promise<void> =>
    new Promise((resolve, reject) => {
      if (ac.signal.aborted || res.destroyed) return reject(new Error('client gone'));
      res.write(chunk, (err) => (err ? reject(err) : resolve()));
    });
  try {
    await stream(syn, send, ac.signal);
    res.end();
  } catch {
    // Headers are out; the only way to signal a failure now is to cut the connection.
    res.destroy();
  }
}
