/** `-v`: one request's headers and phase timings, as a few lines for stderr. Pure. */
import type { RequestTiming } from '../dendrite/timing.js';
import { sanitize } from './text.js';

const ms = (n: number | undefined): string => (n === undefined ? '-' : `${n.toFixed(1)} ms`);

/** Header names never printed, whatever a caller put in them. */
const SECRET_HEADER = /authorization|cookie|password|secret|token|private|seed|mnemonic/i;

export function renderTiming(t: RequestTiming): string {
  const lines = [
    `> POST ${sanitize(t.url)}${t.attempt > 1 ? ` (attempt ${t.attempt})` : ''}`,
    ...Object.entries(t.headers)
      .filter(([k]) => !SECRET_HEADER.test(k))
      .map(([k, v]) => `> ${sanitize(k)}: ${sanitize(v)}`),
    `< ${t.statusCode ?? '-'} ${t.reason}  queue ${ms(t.queueMs)}  connect ${ms(t.connectMs)}  first byte ${ms(t.firstByteMs)}  total ${ms(t.totalMs)}`,
  ];
  return lines.join('\n');
}
