/** Text helpers shared by renderers. */
import kleur from 'kleur';

/**
 * Makes text from an axon safe for a terminal: control characters (ANSI
 * escapes included) become visible `\xNN` escapes, so a reply cannot move the
 * cursor, recolour or rewrite the screen.
 */
export function sanitize(text: string): string {
  return text.replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** One line, at most `max` characters (an ellipsis marks the cut). */
export function clip(text: string, max: number): string {
  const one = sanitize(text.replace(/\r?\n/g, ' ⏎ '));
  return one.length > max ? `${one.slice(0, Math.max(0, max - 1))}…` : one;
}

/** `5GrwvaEF…utQY` unless wide. */
export function shortHotkey(hotkey: string | undefined | null, wide = false): string {
  if (!hotkey) return '-';
  return wide || hotkey.length <= 14 ? hotkey : `${hotkey.slice(0, 8)}…${hotkey.slice(-4)}`;
}

export function hostPort(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/**
 * Runs a renderer with kleur's colours on or off, restoring the setting: the
 * caller decides colour per output stream, so renderers stay pure.
 */
export function withColor<T>(on: boolean, f: () => T): T {
  const before = kleur.enabled;
  kleur.enabled = on;
  try {
    return f();
  } finally {
    kleur.enabled = before;
  }
}
