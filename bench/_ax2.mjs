import { startServers } from './lib.js';
const s = await startServers({ count: 1, verifying: true });
console.log(`${s.verifying.hotkey}@127.0.0.1:${s.verifying.port}`);
setTimeout(() => s.close().then(() => process.exit(0)), 300000);
