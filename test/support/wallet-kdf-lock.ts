/**
 * Argon2i for `$NACL` takes seconds and ~0.6 GB. Test files run in parallel
 * workers, so the few tests that really run it (in-process or in a spawned
 * CLI) take this cross-process lock: never two KDFs at once in the suite.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const LOCK = join(tmpdir(), 'dendrite-test-kdf.lock');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function withKdfLock<T>(fn: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      await mkdir(LOCK);
      break;
    } catch {
      // A lock left by a crashed run is taken over.
      const owner = Number(await readFile(join(LOCK, 'pid'), 'utf8').catch(() => 'NaN'));
      if (Number.isInteger(owner) && !alive(owner)) await rm(LOCK, { recursive: true, force: true });
      await sleep(200);
    }
  }
  await writeFile(join(LOCK, 'pid'), String(process.pid));
  try {
    return await fn();
  } finally {
    await rm(LOCK, { recursive: true, force: true });
  }
}
