// The bench's loopback axons, run in their own process so that their cost is
// not counted in the client's CPU. They answer like a Python axon (status 200,
// the synapse's fields in the body, bt_header_axon_* headers) but do not
// verify, hash or sign: the reply is precomputed once.
//
// Started by bench/lib.js as: node bench/axon-server.js '<json config>'
// Config: { count, replyBytes, delayMs, stream: { chunks, intervalMs }, verifying }
// It prints one line {"ports":[...], "verifying": {port, hotkey}?} on stdout when
// listening, and exits when its stdin closes (the bench went away) or on SIGTERM.
import { createServer } from 'node:http';
import { distUrl } from './lib.js';

const cfg = JSON.parse(process.argv[2] ?? '{}');
const count = cfg.count ?? 1;
const replyBytes = cfg.replyBytes ?? 0;
const delayMs = cfg.delayMs ?? 0;
const stream = cfg.stream ?? { chunks: 20, intervalMs: 20 };

const AXON_HOTKEY = '5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty';

function replyFor(port) {
  const pad = replyBytes > 0 ? `,"padding":"${'x'.repeat(Math.max(0, replyBytes - 750))}"` : '';
  const body = Buffer.from(
    `{"name":"Synapse","timeout":12.0,"total_size":755,"header_size":0,"dendrite":{"status_code":null,"status_message":null,"process_time":null,"ip":"127.0.0.1","port":null,"version":10002000,"nonce":1,"uuid":"00000000-0000-1000-8000-000000000001","hotkey":"5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY","signature":null},"axon":{"status_code":200,"status_message":"Success","process_time":0.0001,"ip":"127.0.0.1","port":${port},"version":null,"nonce":null,"uuid":null,"hotkey":"${AXON_HOTKEY}","signature":null},"computed_body_hash":""${pad}}`,
  );
  const headers = {
    name: 'Synapse',
    timeout: '12.0',
    bt_header_axon_status_code: '200',
    bt_header_axon_status_message: 'Success',
    bt_header_axon_process_time: '0.0001',
    bt_header_axon_ip: '127.0.0.1',
    bt_header_axon_port: String(port),
    bt_header_axon_hotkey: AXON_HOTKEY,
    'content-type': 'application/json',
    'content-length': String(body.length),
  };
  return { body, headers };
}

const mono = () => process.hrtime.bigint(); // CLOCK_MONOTONIC: the same clock in every process

function streamReply(res) {
  // Each chunk carries the monotonic time at which it is written, in ns.
  res.writeHead(200, { 'content-type': 'text/event-stream', name: 'StreamCount', bt_header_axon_status_code: '200', bt_header_axon_status_message: 'Success' });
  let i = 0;
  const tick = () => {
    if (res.destroyed) return;
    res.write(`t${mono()}\n`);
    if (++i >= stream.chunks) return void res.end();
    setTimeout(tick, stream.intervalMs);
  };
  setTimeout(tick, stream.intervalMs);
}

const servers = [];
async function listen(handler) {
  const server = createServer(handler);
  server.keepAliveTimeout = 5000;
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  servers.push(server);
  return server.address().port;
}

let served = 0;
const ports = [];
for (let i = 0; i < count; i++) {
  let reply;
  const port = await listen((req, res) => {
    req.resume();
    req.on('end', () => {
      served++;
      if (req.url === '/StreamCount') return streamReply(res);
      const send = () => {
        res.writeHead(200, reply.headers);
        res.end(reply.body);
      };
      if (delayMs > 0) setTimeout(send, delayMs);
      else send();
    });
  });
  reply = replyFor(port);
  ports.push(port);
}

let verifying;
if (cfg.verifying) {
  // Our own axon (full verification), from the built library.
  const lib = await import(distUrl('src/index.js'));
  const ax = await lib.startAxon({ signer: await lib.pairFromUri('//Bob') });
  verifying = { port: ax.port, hotkey: ax.hotkey };
}

process.stdout.write(JSON.stringify({ ports, verifying, hotkey: AXON_HOTKEY }) + '\n');
process.stdin.on('data', (d) => {
  if (String(d).includes('served')) process.stdout.write(JSON.stringify({ served }) + '\n');
});
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
process.on('SIGTERM', () => process.exit(0));
