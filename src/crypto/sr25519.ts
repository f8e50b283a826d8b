/**
 * sr25519 ("substrate" signing context). Two wasm builds of schnorrkel:
 *  - signing and key derivation: @polkadot-labs/schnorrkel-wasm, a newer
 *    schnorrkel/curve25519-dalek build that signs in ~125-150 us here against
 *    ~210-250 us for @polkadot/wasm-crypto (`npm run bench`, scenario 3) and
 *    gives byte-identical keys and derivations (test/unit/crypto.test.ts).
 *    It only ever sees our own keys: on malformed input it panics (a wasm
 *    trap) instead of returning an error.
 *  - verification (our axon, `verifySr25519`): @polkadot/wasm-crypto, which
 *    returns false on any hostile signature or key instead of trapping.
 * Both load on first use so that `--help` never pays for them.
 */
import { createRequire } from 'node:module';
import { concatBytes, utf8 } from './bytes.js';
import { encodeAddress } from './ss58.js';
import type { ParallelSigner } from './sr25519-threads.js';

type WasmCrypto = typeof import('@polkadot/wasm-crypto');
type Schnorrkel = typeof import('@polkadot-labs/schnorrkel-wasm');
let wasmPromise: Promise<WasmCrypto> | undefined;
let signerPromise: Promise<Schnorrkel> | undefined;

/** Loads and initialises the verifying wasm (and blake2b) once per process. */
export function loadSr25519(): Promise<WasmCrypto> {
  wasmPromise ??= import('@polkadot/wasm-crypto').then(async (w) => {
    await w.waitReady();
    return w;
  });
  return wasmPromise;
}

/**
 * Loads the signing wasm once per process (it compiles synchronously on
 * load). Its CommonJS build reads the .wasm file; the ESM build carries it
 * as 180 KB of base64 to parse and decode, ~10 ms more per start-up.
 */
export function loadSchnorrkel(): Promise<Schnorrkel> {
  signerPromise ??= Promise.resolve().then(() => createRequire(import.meta.url)('@polkadot-labs/schnorrkel-wasm') as Schnorrkel);
  return signerPromise;
}

/** The public key of a 64-byte secret in ed25519 form, or undefined if the bytes are not a secret. */
export async function sr25519PublicOf(secretEd25519Form: Uint8Array): Promise<Uint8Array | undefined> {
  if (secretEd25519Form.length !== 64) return undefined;
  const sk = await loadSchnorrkel();
  try {
    return sk.sr25519_pubkey(secretEd25519Form);
  } catch {
    return undefined;
  }
}

/** Anything that can sign a dendrite request: a hotkey. */
export interface Signer {
  /** SS58 address (prefix 42). */
  readonly address: string;
  readonly publicKey: Uint8Array;
  /** Raw 64-byte sr25519 signature over `message` (signing context "substrate"). */
  sign(message: Uint8Array): Uint8Array;
  /** Optional: a signer that also signs on `threads` worker threads (used for large sweeps). */
  parallel?(threads: number): Promise<ParallelSigner>;
}

export type { ParallelSigner } from './sr25519-threads.js';

/** An sr25519 key pair held in memory. The secret is in ed25519 form and never leaves this object. */
export class Sr25519Pair implements Signer {
  readonly address: string;
  readonly publicKey: Uint8Array;
  readonly #secret: Uint8Array;
  readonly #wasm: Schnorrkel;

  private constructor(wasm: Schnorrkel, publicKey: Uint8Array, secretEd25519Form: Uint8Array) {
    this.#wasm = wasm;
    this.publicKey = publicKey;
    this.#secret = secretEd25519Form;
    this.address = encodeAddress(publicKey);
  }

  /** From a 32-byte mini-secret (the `secretSeed` of a keyfile, or a phrase's first 32 seed bytes). */
  static async fromMiniSecret(seed: Uint8Array): Promise<Sr25519Pair> {
    if (seed.length !== 32) throw new TypeError('a mini-secret has 32 bytes');
    const wasm = await loadSchnorrkel();
    const kp = wasm.sr25519_keypair_from_seed(seed);
    return new Sr25519Pair(wasm, kp.slice(64, 96), kp.slice(0, 64));
  }

  /**
   * From a 64-byte secret in ed25519 form together with the public key it
   * claims; returns undefined when the secret does not belong to that key
   * (its own public key, scalar x basepoint, is compared with the claim).
   */
  static async fromSecret(secretEd25519Form: Uint8Array, publicKey: Uint8Array): Promise<Sr25519Pair | undefined> {
    if (secretEd25519Form.length !== 64 || publicKey.length !== 32) return undefined;
    const own = await sr25519PublicOf(secretEd25519Form);
    if (!own || !own.every((b, i) => b === publicKey[i])) return undefined;
    return new Sr25519Pair(await loadSchnorrkel(), Uint8Array.from(publicKey), Uint8Array.from(secretEd25519Form));
  }

  /** Hard derivation (`//name`), as sp-core and polkadot-js do it. */
  deriveHard(chainCode: Uint8Array): Sr25519Pair {
    const kp = this.#wasm.sr25519_derive_keypair_hard(concatBytes(this.#secret, this.publicKey), chainCode);
    return new Sr25519Pair(this.#wasm, kp.slice(64, 96), kp.slice(0, 64));
  }

  /** Soft derivation (`/name`). */
  deriveSoft(chainCode: Uint8Array): Sr25519Pair {
    const kp = this.#wasm.sr25519_derive_keypair_soft(concatBytes(this.#secret, this.publicKey), chainCode);
    return new Sr25519Pair(this.#wasm, kp.slice(64, 96), kp.slice(0, 64));
  }

  sign(message: Uint8Array): Uint8Array {
    return this.#wasm.sr25519_sign(this.publicKey, this.#secret, message);
  }

  /** Signs on this thread and on `threads` workers, each with its own copy of the key (sr25519-threads.ts). */
  async parallel(threads: number): Promise<ParallelSigner> {
    const { startSigningThreads } = await import('./sr25519-threads.js');
    return startSigningThreads(this.#secret, this.publicKey, (m) => this.sign(m), threads);
  }

  /** Keeps the secret out of logs, JSON and util.inspect. */
  toJSON(): { address: string } {
    return { address: this.address };
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `Sr25519Pair(${this.address})`;
  }
}

/**
 * Verifies like bittensor-wallet's `Keypair.verify`: the raw message first,
 * then the polkadot-js extension form `<Bytes>message</Bytes>`. Never throws.
 */
export async function verifySr25519(message: Uint8Array, signature: Uint8Array, publicKey: Uint8Array): Promise<boolean> {
  const wasm = await loadSr25519();
  return verifyWith(wasm, message, signature, publicKey);
}

/** Synchronous variant for callers that already awaited `loadSr25519()`. */
export function verifyWith(wasm: WasmCrypto, message: Uint8Array, signature: Uint8Array, publicKey: Uint8Array): boolean {
  if (signature.length !== 64 || publicKey.length !== 32) return false;
  const attempt = (m: Uint8Array): boolean => {
    try {
      return wasm.sr25519Verify(signature, m, publicKey);
    } catch {
      return false;
    }
  };
  return attempt(message) || attempt(concatBytes(utf8('<Bytes>'), message, utf8('</Bytes>')));
}

