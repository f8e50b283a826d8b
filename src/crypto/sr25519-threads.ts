/**
 * Signing a burst of messages on this thread and on worker threads at once.
 * A sweep of hundreds of axons needs one sr25519 signature per request
 * (~110 us each, more than the rest of a request's cost), so part of the
 * burst goes to a worker that holds its own copy of the key while this
 * thread signs the rest.
 *
 * Messages asked for in the same tick form one burst: a share goes to the
 * workers in one message each, and this thread signs the rest at once, so
 * its requests leave while the workers finish theirs. (Signing here in small
 * slices between sends was measured too: no faster, and it spread the
 * requests' departures over the whole burst, ~60 ms for 256 axons instead of
 * ~20 ms.) Until the workers are up (tens of ms), everything is signed here.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

export interface ParallelSigner {
  /** Resolves with the 64-byte signature of `message`. */
  sign(message: Uint8Array): Promise<Uint8Array>;
  /** Stops the workers. Pending signatures are still delivered (signed here). */
  close(): Promise<void>;
}

// The worker loads the same CommonJS build of schnorrkel that we sign with.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const sk = require(workerData.modulePath);
const { publicKey, secret } = workerData;
parentPort.on('message', ({ id, bytes, ends }) => {
  const SLICE = 16;
  const count = ends.length;
  for (let i = 0; i < count; i += SLICE) {
    const n = Math.min(SLICE, count - i);
    const out = new Uint8Array(64 * n);
    for (let j = 0; j < n; j++) {
      const k = i + j;
      out.set(sk.sr25519_sign(publicKey, secret, bytes.subarray(k === 0 ? 0 : ends[k - 1], ends[k])), 64 * j);
    }
    parentPort.postMessage({ id, from: i, sigs: out }, [out.buffer]);
  }
});
parentPort.postMessage('ready');
`;

interface Pending {
  message: Uint8Array;
  resolve: (sig: Uint8Array) => void;
  /** Set when a worker delivered it (a batch arrives in slices). */
  done?: boolean;
}

interface Lane {
  worker: Worker;
  ready: boolean;
  batches: Map<number, Pending[]>;
}

/**
 * `signHere` signs on this thread; `secret`/`publicKey` go to each worker.
 * `workerShare` is the part of a burst handed to the workers (default: an
 * equal share per thread, this one included).
 */
export function startSigningThreads(
  secret: Uint8Array,
  publicKey: Uint8Array,
  signHere: (message: Uint8Array) => Uint8Array,
  threads: number,
  workerShare = threads / (threads + 1),
): ParallelSigner {
  const modulePath = createRequire(import.meta.url).resolve('@polkadot-labs/schnorrkel-wasm');
  let nextId = 1;
  let closed = false;
  const lanes: Lane[] = [];
  for (let i = 0; i < threads; i++) {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { modulePath, publicKey, secret } });
    worker.unref();
    const lane: Lane = { worker, ready: false, batches: new Map() };
    worker.on('message', (m: 'ready' | { id: number; from: number; sigs: Uint8Array }) => {
      if (m === 'ready') {
        lane.ready = true;
        return;
      }
      const batch = lane.batches.get(m.id);
      if (!batch) return;
      for (let j = 0; j * 64 < m.sigs.length; j++) {
        const p = batch[m.from + j]!;
        p.done = true;
        p.resolve(m.sigs.slice(64 * j, 64 * j + 64));
      }
      if (m.from + m.sigs.length / 64 >= batch.length) lane.batches.delete(m.id);
    });
    // A worker that stops (close(), or a crash) hands its unsigned messages back to this thread.
    const orphan = (): void => {
      lane.ready = false;
      const left = [...lane.batches.values()].flat().filter((p) => !p.done);
      lane.batches.clear();
      for (const p of left) p.resolve(signHere(p.message));
    };
    worker.on('error', orphan);
    worker.on('exit', orphan);
    lanes.push(lane);
  }

  let burst: Pending[] = [];
  let flushing = false;

  const flush = (): void => {
    flushing = false;
    const all = burst;
    burst = [];
    const ready = closed ? [] : lanes.filter((l) => l.ready);
    const toWorkers = ready.length === 0 || all.length < 2 ? 0 : Math.floor(all.length * workerShare);
    // This thread takes the head of the burst, so the first requests leave at once.
    const mine = all.slice(0, all.length - toWorkers);
    const theirs = all.slice(all.length - toWorkers);
    if (theirs.length) {
      const per = Math.ceil(theirs.length / ready.length);
      ready.forEach((lane, k) => {
        const batch = theirs.slice(k * per, (k + 1) * per);
        if (!batch.length) return;
        const id = nextId++;
        lane.batches.set(id, batch);
        // One buffer for the whole batch, moved rather than copied (cloning hundreds of small arrays showed in the profile).
        const ends = new Uint32Array(batch.length);
        let total = 0;
        batch.forEach((p, i) => (ends[i] = total += p.message.length));
        const bytes = new Uint8Array(total);
        batch.forEach((p, i) => bytes.set(p.message, i === 0 ? 0 : ends[i - 1]));
        lane.worker.postMessage({ id, bytes, ends }, [bytes.buffer, ends.buffer]);
      });
    }
    for (const p of mine) p.resolve(signHere(p.message));
  };

  return {
    sign(message: Uint8Array): Promise<Uint8Array> {
      return new Promise((resolve) => {
        burst.push({ message, resolve });
        if (!flushing) {
          flushing = true;
          queueMicrotask(flush);
        }
      });
    },
    async close(): Promise<void> {
      closed = true;
      await Promise.all(lanes.map((l) => l.worker.terminate()));
    },
  };
}
