/** `version_as_int` (PROTOCOL.md §12): major*1_000_000 + minor*1_000 + patch. */
export function versionAsInt(version: string): number {
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (!m) throw new TypeError(`not a version: ${version}`);
  const [maj, min, pat] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (maj >= 1000 || min >= 1000 || pat >= 1000) throw new RangeError(`version part too large: ${version}`);
  return maj * 1_000_000 + min * 1_000 + pat;
}

/** The Python release whose wire behaviour we reproduce: 10.2.0. */
export const PYTHON_SDK_VERSION = '10.2.0';
export const DEFAULT_VERSION_AS_INT = versionAsInt(PYTHON_SDK_VERSION);
