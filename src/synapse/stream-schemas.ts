/**
 * Built-in streaming synapses served by our axon (`dendrite axon`): for
 * tests, and for subnet developers checking how a client handles streams.
 */
import { parseSchema, type SynapseSchema } from './schema.js';

function streamSchema(name: string, description: string, extra: object[] = []): SynapseSchema {
  return parseSchema(
    JSON.stringify({
      name,
      description,
      fields: [...extra, { name: 'completion', type: 'str', default: '', description: 'The streamed text, filled in by the client.' }],
      streaming: true,
      output: 'completion',
    }),
    'built-in',
  );
}

export const STREAM_COUNT_SCHEMA = streamSchema('StreamCount', 'Sends n chunks "data<i>\\n", delay_ms apart.', [
  { name: 'n', type: 'int', default: 10 },
  { name: 'delay_ms', type: 'int', default: 100 },
]);
export const STREAM_UTF8_SCHEMA = streamSchema('StreamUtf8', 'Sends multi-byte UTF-8 text split in the middle of characters.', [
  { name: 'delay_ms', type: 'int', default: 20 },
]);
export const STREAM_STALL_SCHEMA = streamSchema('StreamStall', 'Sends one chunk, then stalls for stall_ms (default: an hour).', [
  { name: 'stall_ms', type: 'int', default: 3_600_000 },
]);
export const STREAM_FOREVER_SCHEMA = streamSchema('StreamForever', 'Sends "tick <i>\\n" every delay_ms and never ends.', [
  { name: 'delay_ms', type: 'int', default: 50 },
]);
export const STREAM_FAIL_SCHEMA = streamSchema('StreamFail', 'Fails before streaming: a 403 JSON error, as a blacklist does.');

export const STREAM_SCHEMAS: readonly SynapseSchema[] = [
  STREAM_COUNT_SCHEMA,
  STREAM_UTF8_SCHEMA,
  STREAM_STALL_SCHEMA,
  STREAM_FOREVER_SCHEMA,
  STREAM_FAIL_SCHEMA,
];
