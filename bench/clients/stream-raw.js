// Scenario 7 baseline: a raw undici reader that copies each chunk of a
// streaming reply to stdout as it arrives (no signing, no parsing).
//   node bench/clients/stream-raw.js '{"port":N}'
import { request } from 'undici';

const { port } = JSON.parse(process.argv[2]);
const res = await request(`http://127.0.0.1:${port}/StreamCount`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', name: 'StreamCount', timeout: '12.0' },
  body: '{"name": "StreamCount"}',
});
for await (const chunk of res.body) process.stdout.write(chunk);
