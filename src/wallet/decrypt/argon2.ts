/**
 * The `$NACL` key derivation (WALLET.md §3.1): libsodium `crypto_pwhash`,
 * Argon2i v1.3, opslimit 8, memlimit 512 MiB, one lane, a fixed salt, 32 bytes.
 *
 * It runs in a worker thread: the wasm call blocks for seconds, and on the
 * main thread it would freeze the spinner and Ctrl-C. The worker's 512 MiB
 * wasm heap is released when it exits, instead of staying for the process.
 */
import { Worker } from 'node:worker_threads';
import { serializeKdf } from './serial.js';
import { sodiumModulePath } from './sodium.js';

/** `b"\x13q\x83\xdf\xf1Z\t\xbc\x9c\x90\xb5Q\x879\xe9\xb1"`, the same in every bittensor tool. */
export const NACL_SALT = Uint8Array.from([0x13, 0x71, 0x83, 0xdf, 0xf1, 0x5a, 0x09, 0xbc, 0x9c, 0x90, 0xb5, 0x51, 0x87, 0x39, 0xe9, 0xb1]);
export const NACL_OPSLIMIT = 8;
export const NACL_MEMLIMIT = 536_870_912;

// CommonJS source evaluated in the worker; libsodium's path comes from the parent.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const sodium = require(workerData.sodiumPath);
parentPort.once('message', async (password) => {
  try {
    await sodium.ready;
    const key = sodium.crypto_pwhash(32, password, Uint8Array.from(workerData.salt), workerData.ops, workerData.mem, sodium.crypto_pwhash_ALG_ARGON2I13);
    password.fill(0);
    parentPort.postMessage({ key }, [key.buffer]);
  } catch (e) {
    parentPort.postMessage({ error: String(e && e.message || e) });
  }
});
`;

function deriveInWorker(password: Uint8Array): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { sodiumPath: sodiumModulePath(), salt: Array.from(NACL_SALT), ops: NACL_OPSLIMIT, mem: NACL_MEMLIMIT },
    });
    let settled = false;
    worker.once('message', (m: { key?: Uint8Array; error?: string }) => {
      settled = true;
      void worker.terminate();
      if (m.key) resolve(new Uint8Array(m.key));
      else reject(new Error(`Argon2i key derivation failed: ${m.error ?? 'unknown error'}`));
    });
    worker.once('error', (e) => {
      if (!settled) reject(e);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`Argon2i key derivation worker exited with code ${code}`));
    });
    // A copy goes to the worker, which zeroes it; the caller zeroes its own.
    worker.postMessage(Uint8Array.from(password));
  });
}

/** Derives the secretbox key for a password; never two at once in a process. */
export function deriveNaclKey(password: Uint8Array): Promise<Uint8Array> {
  return serializeKdf(() => deriveInWorker(password));
}
