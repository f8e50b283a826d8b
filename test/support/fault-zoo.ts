/**
 * The fault zoo: loopback servers that misbehave the way strangers' axons do
 * on mainnet. Raw node:net sockets, so a fault can write anything, including
 * invalid HTTP. One listening socket per fault instance (a 1024-axon sweep is
 * 1024 ports in this one process); every server counts the requests it read
 * and the connections still open, so tests can prove "no retry" and "nothing
 * left open".
 */
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Ports below 1024 that refuse connections here. A closed ephemeral port
 * could be handed to another server moments later (we saw it happen in the
 * sweep); privileged ports are never given out by `listen(0)`, so once seen
 * refusing they stay refused.
 */
let refusing: Promise<number[]> | undefined;
let nextRefusing = 0;
function refusingPorts(): Promise<number[]> {
  refusing ??= Promise.all(
    Array.from({ length: 200 }, (_, i) => i + 1).map(
      (port) =>
        new Promise<number | null>((resolve) => {
          const s = connect({ host: '127.0.0.1', port });
          s.once('connect', () => (s.destroy(), resolve(null)));
          s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'ECONNREFUSED' ? port : null));
        }),
    ),
  ).then((ports) => {
    const ok = ports.filter((p): p is number => p !== null);
    if (ok.length === 0) throw new Error('no refusing port below 201 on 127.0.0.1');
    return ok;
  });
  return refusing;
}

export const FAULTS = [
  'ok', // a healthy echo axon (control group)
  'refuse', // nothing listens on the port
  'silent', // accepts, never answers
  'stall_headers', // headers, one body byte, then nothing
  'slowloris', // headers, then one body byte per second
  'close_before_reply', // reads the request, closes (FIN) without a byte
  'close_mid_body', // headers + part of a declared body, then FIN
  'reset', // reads the request, answers with a TCP RST
  'reset_mid_body', // headers + part of a declared body, then a TCP RST
  'non_json', // 200 text/html
  'bad_json', // 200 application/json that does not parse
  'wrong_shape', // 200 JSON that is not a synapse
  'null_body', // 200 `null`
  'huge', // declares a body larger than the cap
  'endless', // chunked body that never ends
  'bad_headers', // a header line without a colon
  'bad_status', // not an HTTP status line at all
  'huge_headers', // 64 KiB of headers
  'redirect', // 302 to a healthy axon, text/html body
  'redirect_json', // 307 with a JSON {"message"} body
  'error_500_text', // 500 text/plain
  'stream_to_plain', // text/event-stream to a plain request
  'stream_cut', // text/event-stream, one chunk, then FIN without the last chunk
  'double_reply', // two complete responses for one request
  'ansi', // 403 whose message carries terminal escapes
  'ansi_stream', // a stream whose chunks carry terminal escapes
  'hostile_json', // 200 with __proto__/constructor keys and shell text in the message
] as const;

export type Fault = (typeof FAULTS)[number];

export interface FaultServer {
  fault: Fault;
  port: number;
  /** Complete request heads read (a retry shows up as 2). */
  requests: number;
  /** Request heads as read, for nonce/signature checks. */
  heads: Array<Record<string, string>>;
  /** Connections accepted and not yet closed. */
  readonly open: number;
  /** Connections accepted in all. */
  readonly connections: number;
  close(): Promise<void>;
}

export interface ZooOptions {
  /** Where `redirect` points (a port that counts hits). */
  redirectPort?: number;
  /** The body size `huge` declares. */
  hugeBytes?: number;
  /** `keepalive_drop` only: answer the first request on a socket, then close the socket on the next one. */
  dropOnReuse?: boolean;
  /** `flaky` behaviour: the first N requests get this fault, later ones `ok`. */
  firstFault?: { fault: Fault; times: number };
  /** Keep heads for inspection (off in sweeps). */
  keepHeads?: boolean;
  /** Close a keep-alive socket after this much idle time, ms (uvicorn: 5000). */
  idleCloseMs?: number;
}

const ANSI_MESSAGE = '\x1b[2J\x1b[31mPWNED\x1b]0;title\x07\x1b[0m\u009b31m';
/** Text a careless client might hand to a shell or use as a path. */
/** A file the hostile message tries to create; it must never exist. */
export const CANARY = join(tmpdir(), 'dendrite-pwned');
const HOSTILE_MESSAGE = `$(touch ${CANARY}) \`touch ${CANARY}\`; rm -rf ~ ../../../..${CANARY}`;
export { ANSI_MESSAGE, HOSTILE_MESSAGE };

interface Req {
  head: Record<string, string>;
  body: Buffer;
}

function response(status: string, headers: Record<string, string | number>, body: string | Buffer = ''): Buffer {
  const b = typeof body === 'string' ? Buffer.from(body) : body;
  const lines = [`HTTP/1.1 ${status}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  if (!('content-length' in headers) && !('transfer-encoding' in headers)) lines.push(`content-length: ${b.length}`);
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`), b]);
}

function json(status: string, body: string, extra: Record<string, string> = {}): Buffer {
  return response(status, { 'content-type': 'application/json', ...extra }, body);
}

/** An echo of the request synapse with the axon's success status, as a Python axon answers. */
function okReply(req: Req): Buffer {
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(req.body.toString('utf8')) as Record<string, unknown>;
  } catch {
    body = {};
  }
  // The request's nonce is beyond 2^53; JSON.parse rounds it, which is fine for an echo.
  const axon = { ...(body.axon as object), status_code: 200, status_message: 'Success', process_time: 0.001 };
  return json('200 OK', JSON.stringify({ ...body, axon }), { bt_header_axon_status_code: '200', bt_header_axon_status_message: 'Success' });
}

/** Writes `chunk` forever, respecting backpressure, until the socket closes. */
function writeForever(sock: Socket, chunk: Buffer): void {
  const pump = (): void => {
    while (!sock.destroyed && sock.writable) {
      if (!sock.write(chunk)) {
        sock.once('drain', pump);
        return;
      }
    }
  };
  pump();
}

/** What a fault does once a full request was read (or at once, for `silent`). */
function behave(fault: Fault, sock: Socket, req: Req, opts: ZooOptions, timers: Set<NodeJS.Timeout>): void {
  const later = (ms: number, f: () => void): void => {
    const t = setTimeout(() => {
      timers.delete(t);
      if (!sock.destroyed) f();
    }, ms);
    timers.add(t);
  };
  switch (fault) {
    case 'ok':
    case 'refuse':
      sock.write(okReply(req));
      return;
    case 'silent':
      return;
    case 'stall_headers':
      sock.write(response('200 OK', { 'content-type': 'application/json', 'content-length': 1000 }, '{'));
      return;
    case 'slowloris': {
      sock.write(response('200 OK', { 'content-type': 'application/json', 'content-length': 100 }));
      const drip = (): void => {
        sock.write(' ');
        later(1000, drip);
      };
      later(1000, drip);
      return;
    }
    case 'close_before_reply':
      sock.end();
      return;
    case 'close_mid_body':
      sock.end(response('200 OK', { 'content-type': 'application/json', 'content-length': 1000 }, '{"name": "Syn'));
      return;
    case 'reset':
      sock.resetAndDestroy();
      return;
    case 'reset_mid_body':
      sock.write(response('200 OK', { 'content-type': 'application/json', 'content-length': 1000 }, '{"name": "Syn'));
      // Give the client a moment to read the headers: an RST discards unread data.
      later(100, () => sock.resetAndDestroy());
      return;
    case 'non_json':
      sock.write(response('200 OK', { 'content-type': 'text/html' }, '<html><body>nginx says hi</body></html>'));
      return;
    case 'bad_json':
      sock.write(json('200 OK', '{"name": "Synapse", oops'));
      return;
    case 'wrong_shape':
      sock.write(json('200 OK', '{"timeout": "soon", "axon": 7, "dendrite": [1, 2]}'));
      return;
    case 'null_body':
      sock.write(json('200 OK', 'null'));
      return;
    case 'huge': {
      const n = opts.hugeBytes ?? 16 * 1024 * 1024;
      sock.write(response('200 OK', { 'content-type': 'application/json', 'content-length': n }));
      writeForever(sock, Buffer.alloc(16 * 1024, 0x20));
      return;
    }
    case 'endless': {
      sock.write(response('200 OK', { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }));
      const piece = Buffer.alloc(16 * 1024, 0x20);
      writeForever(sock, Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n')]));
      return;
    }
    case 'bad_headers':
      sock.write('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nthis line is not a header\r\ncontent-length: 2\r\n\r\n{}');
      return;
    case 'bad_status':
      sock.write('SSH-2.0-OpenSSH_9.6\r\n\r\n');
      return;
    case 'huge_headers':
      sock.write(response('200 OK', { 'content-type': 'application/json', 'x-filler': 'a'.repeat(64 * 1024) }, '{}'));
      return;
    case 'redirect':
      sock.write(response('302 Found', { location: `http://127.0.0.1:${opts.redirectPort ?? 1}/Synapse`, 'content-type': 'text/html' }, '<a>moved</a>'));
      return;
    case 'redirect_json':
      sock.write(json('307 Temporary Redirect', '{"message":"moved"}', { location: `http://127.0.0.1:${opts.redirectPort ?? 1}/Synapse` }));
      return;
    case 'error_500_text':
      sock.write(response('500 Internal Server Error', { 'content-type': 'text/plain' }, 'Internal Server Error'));
      return;
    case 'stream_to_plain':
      sock.write(response('200 OK', { 'content-type': 'text/event-stream', 'transfer-encoding': 'chunked' }));
      sock.write('6\r\ndata0\n\r\n6\r\ndata1\n\r\n0\r\n\r\n');
      return;
    case 'stream_cut':
      sock.end(Buffer.concat([response('200 OK', { 'content-type': 'text/event-stream', 'transfer-encoding': 'chunked' }), Buffer.from('6\r\ndata0\n\r\n')]));
      return;
    case 'double_reply':
      sock.write(Buffer.concat([okReply(req), json('200 OK', '{"message":"second"}')]));
      return;
    case 'ansi':
      sock.write(json('403 Forbidden', JSON.stringify({ message: ANSI_MESSAGE })));
      return;
    case 'ansi_stream': {
      const chunk = Buffer.from(`line one ${ANSI_MESSAGE}\nline two\x1b[1A\x1b[2K\n`);
      sock.write(response('200 OK', { 'content-type': 'text/event-stream', 'transfer-encoding': 'chunked' }));
      sock.write(Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n0\r\n\r\n')]));
      return;
    }
    case 'hostile_json': {
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(req.body.toString('utf8')) as Record<string, unknown>;
      } catch {
        /* echo what we can */
      }
      const axon = { ...(body.axon as object), status_code: 200, status_message: HOSTILE_MESSAGE };
      // Raw text: JSON.stringify would not write a "__proto__" key of an object literal.
      const text = JSON.stringify({ ...body, axon }).replace(/^\{/, '{"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}, ');
      sock.write(json('200 OK', text));
      return;
    }
  }
}

/** Parses pipelined request heads + content-length bodies off a socket. */
function onRequests(sock: Socket, each: (req: Req) => void): void {
  let buf = Buffer.alloc(0);
  sock.on('data', (d: Buffer) => {
    buf = Buffer.concat([buf, d]);
    for (;;) {
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const lines = buf.subarray(0, end).toString('latin1').split('\r\n');
      const head: Record<string, string> = { ':request': lines[0] ?? '' };
      for (const l of lines.slice(1)) {
        const i = l.indexOf(':');
        if (i > 0) head[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
      }
      const len = Number(head['content-length'] ?? 0);
      if (buf.length < end + 4 + len) return;
      const body = buf.subarray(end + 4, end + 4 + len);
      buf = buf.subarray(end + 4 + len);
      each({ head, body });
    }
  });
}

export async function startFault(fault: Fault, opts: ZooOptions = {}): Promise<FaultServer> {
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const heads: Array<Record<string, string>> = [];
  let requests = 0;
  let connections = 0;
  const server: Server = createServer((sock) => {
    connections++;
    sockets.add(sock);
    sock.on('error', () => {}); // resets from the client are expected here
    sock.on('close', () => sockets.delete(sock));
    let onSocket = 0;
    let idle: NodeJS.Timeout | undefined;
    const armIdle = (): void => {
      if (opts.idleCloseMs === undefined) return;
      clearTimeout(idle);
      idle = setTimeout(() => sock.end(), opts.idleCloseMs);
    };
    sock.on('close', () => clearTimeout(idle));
    armIdle();
    onRequests(sock, (req) => {
      requests++;
      onSocket++;
      armIdle();
      if (opts.keepHeads) heads.push(req.head);
      if (opts.dropOnReuse && onSocket > 1) {
        sock.end(); // the uvicorn case: the idle socket is closed just as it is reused
        return;
      }
      const f = opts.firstFault && requests <= opts.firstFault.times ? opts.firstFault.fault : fault;
      behave(f, sock, req, opts, timers);
    });
  });
  let port: number;
  if (fault === 'refuse') {
    const ports = await refusingPorts();
    port = ports[nextRefusing++ % ports.length]!;
  } else {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    port = (server.address() as { port: number }).port;
  }
  return {
    fault,
    port,
    heads,
    get requests() {
      return requests;
    },
    get open() {
      return sockets.size;
    },
    get connections() {
      return connections;
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const s of sockets) s.destroy();
      if (fault !== 'refuse') await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** Open file descriptors of this process (Linux), or -1 elsewhere. */
export async function openFds(): Promise<number> {
  try {
    const { readdir } = await import('node:fs/promises');
    return (await readdir('/proc/self/fd')).length;
  } catch {
    return -1;
  }
}

/** TCP handles the event loop still holds. */
export function tcpHandles(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap' || r === 'TCPWrap' || r === 'TCPServerWrap').length;
}

/** Polls `cond` every 20 ms until true or `ms` passes. */
export async function until(cond: () => boolean | Promise<boolean>, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  for (;;) {
    if (await cond()) return true;
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/* ------------------------------------------------------------------------ *
 * The zoo in its own process. A sweep of 1024 axons puts the servers' work
 * on another core, as on mainnet, so the dendrite's timing is its own and
 * the file descriptors counted in the test process are the client's alone.
 * The child is this very file, turned into JavaScript by esbuild.
 * ------------------------------------------------------------------------ */

export interface RemoteZoo {
  /** Starts one server per fault; their ports, in order. */
  start(faults: readonly Fault[], opts?: ZooOptions): Promise<number[]>;
  /** Requests read and connections open, per server, in start order. */
  stats(): Promise<Array<{ fault: Fault; requests: number; open: number }>>;
  /** Closes every server and ends the child. */
  close(): Promise<void>;
}

type ZooCommand = { id: number; op: 'start'; faults: Fault[]; opts: ZooOptions } | { id: number; op: 'stats' } | { id: number; op: 'close' };

export async function startZooProcess(): Promise<RemoteZoo> {
  const { spawn } = await import('node:child_process');
  const { transform } = await import('esbuild');
  const { readFile, writeFile, mkdtemp, rm } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { fileURLToPath } = await import('node:url');
  const source = await readFile(fileURLToPath(import.meta.url), 'utf8');
  const { code } = await transform(source, { loader: 'ts', format: 'esm', target: 'node20' });
  const dir = await mkdtemp(join(tmpdir(), 'fault-zoo-'));
  const file = join(dir, 'zoo.mjs');
  await writeFile(file, code);
  const child = spawn(process.execPath, [file], { env: { ...process.env, FAULT_ZOO_CHILD: '1' }, stdio: ['pipe', 'pipe', 'inherit'] });
  const waiting = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();
  let buf = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    buf += d;
    for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
      const msg = JSON.parse(buf.slice(0, nl)) as { id: number };
      buf = buf.slice(nl + 1);
      waiting.get(msg.id)?.resolve(msg);
      waiting.delete(msg.id);
    }
  });
  const exited = new Promise<void>((r) =>
    child.on('exit', (code) => {
      // A crashed zoo fails the test at once instead of hanging it.
      for (const w of waiting.values()) w.reject(new Error(`fault zoo exited (${code})`));
      waiting.clear();
      void rm(dir, { recursive: true, force: true });
      r();
    }),
  );
  let next = 0;
  const ask = <T>(cmd: Omit<ZooCommand, 'id'>): Promise<T> =>
    new Promise((resolve, reject) => {
      const id = next++;
      waiting.set(id, { resolve, reject });
      child.stdin.write(`${JSON.stringify({ ...cmd, id })}\n`);
    });
  return {
    start: async (faults, opts = {}) => (await ask<{ ports: number[] }>({ op: 'start', faults: [...faults], opts } as never)).ports,
    stats: async () => (await ask<{ servers: Array<{ fault: Fault; requests: number; open: number }> }>({ op: 'stats' } as never)).servers,
    close: async () => {
      await ask({ op: 'close' } as never);
      child.stdin.end();
      await exited;
    },
  };
}

/** The child's side: commands on stdin, answers on stdout, one JSON line each. */
async function runZooChild(): Promise<void> {
  const servers: FaultServer[] = [];
  const reply = (o: object): void => void process.stdout.write(`${JSON.stringify(o)}\n`);
  let buf = '';
  process.stdin.setEncoding('utf8').on('data', async (d: string) => {
    buf += d;
    for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
      const cmd = JSON.parse(buf.slice(0, nl)) as ZooCommand;
      buf = buf.slice(nl + 1);
      if (cmd.op === 'start') {
        const started: FaultServer[] = [];
        for (let i = 0; i < cmd.faults.length; i += 64) {
          started.push(...(await Promise.all(cmd.faults.slice(i, i + 64).map((f) => startFault(f, cmd.opts)))));
        }
        servers.push(...started);
        reply({ id: cmd.id, ports: started.map((s) => s.port) });
      } else if (cmd.op === 'stats') {
        reply({ id: cmd.id, servers: servers.map((s) => ({ fault: s.fault, requests: s.requests, open: s.open })) });
      } else {
        await Promise.all(servers.map((s) => s.close()));
        reply({ id: cmd.id });
        process.stdin.pause();
      }
    }
  });
}

if (process.env.FAULT_ZOO_CHILD === '1') void runZooChild();
