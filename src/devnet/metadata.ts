/**
 * Finding subtensor runtime metadata for the local dev node. The project's
 * test fixture (real spec-381 metadata) sits in `../shared/fixtures` beside a
 * clone of the repository; `DENDRITE_SUBTENSOR_METADATA` names any other file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const METADATA_FILE = 'subtensor-metadata-v16-spec381.scale';

/** The folder holding dendrite's package.json, found upward from this module (bundled or not). */
export function packageRoot(from = fileURLToPath(import.meta.url)): string | undefined {
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'dendrite') return dir;
      } catch {
        /* not ours */
      }
    }
    if (dirname(dir) === dir) return undefined;
  }
}

/** Raw metadata bytes, or undefined when none is to be found (the caller then does without a chain). */
export function findSubtensorMetadata(env: NodeJS.ProcessEnv = process.env): Uint8Array | undefined {
  const candidates: string[] = [];
  if (env.DENDRITE_SUBTENSOR_METADATA) candidates.push(env.DENDRITE_SUBTENSOR_METADATA);
  const root = packageRoot();
  if (root) candidates.push(join(root, '..', 'shared', 'fixtures', METADATA_FILE));
  for (const file of candidates) {
    try {
      const bytes = new Uint8Array(readFileSync(file));
      // "meta" magic: anything else is not runtime metadata.
      if (bytes.length > 5 && Buffer.from(bytes.subarray(0, 4)).toString('latin1') === 'meta') return bytes;
    } catch {
      /* try the next */
    }
  }
  return undefined;
}
