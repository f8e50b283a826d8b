/**
 * Loads libsodium-wrappers-sumo at runtime through `createRequire`, so that
 * neither the CLI bundle nor `--help` ever contains or parses it: it is read
 * only when a keyfile really is `$NACL`-encrypted.
 */
import { createRequire } from 'node:module';

type Sodium = typeof import('libsodium-wrappers-sumo');

// Not named `require`: the CLI bundle defines its own, and esbuild treats `require()` calls specially.
const localRequire = createRequire(import.meta.url);

/** Path of the CommonJS entry, for the key derivation worker. */
export function sodiumModulePath(): string {
  return localRequire.resolve('libsodium-wrappers-sumo');
}

let sodiumPromise: Promise<Sodium> | undefined;
export function loadSodium(): Promise<Sodium> {
  sodiumPromise ??= (async () => {
    const s = localRequire('libsodium-wrappers-sumo') as Sodium;
    await s.ready;
    return s;
  })();
  return sodiumPromise;
}
