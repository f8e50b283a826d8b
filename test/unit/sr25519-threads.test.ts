import { describe, expect, it } from 'vitest';
import * as schnorrkel from '@polkadot-labs/schnorrkel-wasm';
import { loadSr25519 } from '../../src/crypto/sr25519.js';
import { startSigningThreads } from '../../src/crypto/sr25519-threads.js';

/** A signer with one worker thread over a test key; `counter.here` counts what this thread signs. */
function startCounting(seedByte: number, workerShare?: number) {
  const kp = schnorrkel.sr25519_keypair_from_seed(new Uint8Array(32).fill(seedByte));
  const secret = kp.slice(0, 64);
  const publicKey = kp.slice(64);
  const counter = { here: 0 };
  const signer = startSigningThreads(secret, publicKey, (m) => (counter.here++, schnorrkel.sr25519_sign(publicKey, secret, m)), 1, workerShare);
  return { signer, publicKey, counter };
}

describe('signing on worker threads (sr25519-threads.ts)', () => {
  it('every signature of a burst verifies, and the workers take a share once they are up', async () => {
    const wasm = await loadSr25519();
    const { signer, publicKey, counter } = startCounting(42);
    try {
      let bursts = 0;
      let sharedBurst = false;
      // Bursts until one is shared (the worker needs a moment to start); bounded, no timing asserted.
      while (!sharedBurst && bursts < 200) {
        bursts++;
        counter.here = 0;
        const messages = Array.from({ length: 40 }, (_, i) => new TextEncoder().encode(`burst ${bursts} message ${i}`));
        const sigs = await Promise.all(messages.map((m) => signer.sign(m)));
        sigs.forEach((sig, i) => {
          expect(sig.length).toBe(64);
          expect(wasm.sr25519Verify(sig, messages[i]!, publicKey)).toBe(true);
        });
        sharedBurst = counter.here < messages.length;
        if (!sharedBurst) await new Promise((r) => setTimeout(r, 20));
      }
      expect(sharedBurst).toBe(true);
      expect(counter.here).toBeGreaterThan(0); // this thread signs its share too
    } finally {
      await signer.close();
    }
  });

  it('a lone message is signed at once on this thread', async () => {
    const { signer, publicKey, counter } = startCounting(7);
    try {
      const wasm = await loadSr25519();
      const m = new TextEncoder().encode('one');
      expect(wasm.sr25519Verify(await signer.sign(m), m, publicKey)).toBe(true);
      expect(counter.here).toBe(1);
    } finally {
      await signer.close();
    }
  });

  it('close() with a burst still on the worker: every signature is delivered, signed here', async () => {
    const wasm = await loadSr25519();
    // The worker takes 95 % of a burst, so most of it is still unsigned there when close() stops it.
    const { signer, publicKey, counter } = startCounting(9, 0.95);
    // Wait (bounded) until the worker takes a share.
    for (let i = 0; i < 200; i++) {
      counter.here = 0;
      await Promise.all(Array.from({ length: 10 }, (_, j) => signer.sign(new Uint8Array([i, j]))));
      if (counter.here < 10) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(counter.here).toBeLessThan(10);
    const messages = Array.from({ length: 400 }, (_, i) => new TextEncoder().encode(`late ${i}`));
    const pending = messages.map((m) => signer.sign(m));
    await Promise.resolve(); // the burst is handed out (a microtask) before the workers stop
    counter.here = 0;
    const closing = signer.close();
    const sigs = await Promise.all(pending);
    await closing;
    sigs.forEach((sig, i) => expect(wasm.sr25519Verify(sig, messages[i]!, publicKey)).toBe(true));
    // This thread signed its own share in the hand-out; what it signs now was left on the stopped worker.
    expect(counter.here).toBeGreaterThan(0);
  });
});
