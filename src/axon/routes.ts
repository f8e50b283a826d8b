/** Routes of our axon: a schema plus what to do with a verified request. */
import { DUMMY_SCHEMA, SYNAPSE_SCHEMA, type SynapseSchema } from '../synapse/schema.js';
import type { Synapse } from '../synapse/synapse.js';
import { echoStream } from './stream-routes.js';

/**
 * Raised by a handler to answer with a given status and `{"message": …}`,
 * like a Python `SynapseException` carrying `axon.status_code`.
 */
export class AxonError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export interface AxonRoute {
  schema: SynapseSchema;
  /**
   * The forward function: fill the synapse's output fields (mutate it, or
   * return a synapse). Setting `synapse.axon.status_code` answers with that
   * status and the full synapse body, as Python does.
   */
  forward?: (synapse: Synapse) => void | Synapse | Promise<void | Synapse>;
  /** Return a reason to refuse the request with 403 `Forbidden. Key is blacklisted: <reason>.` */
  blacklist?: (synapse: Synapse) => string | undefined;
  /**
   * For a streaming schema: send the reply as raw chunks (200 `text/event-stream`,
   * as Python's BTStreamingResponse). `send` resolves when the chunk is handed
   * to the socket; `signal` aborts when the client goes away.
   */
  stream?: (synapse: Synapse, send: (chunk: string | Uint8Array) => Promise<void>, signal: AbortSignal) => Promise<void>;
}

/** `Synapse` (ping): answers with the request itself. */
export const pingRoute: AxonRoute = { schema: SYNAPSE_SCHEMA };

/** The subnet template's Dummy: `dummy_output = dummy_input * 2`. */
export const dummyRoute: AxonRoute = {
  schema: DUMMY_SCHEMA,
  forward(s) {
    const input = s.fields.get('dummy_input');
    s.fields.set('dummy_output', typeof input === 'bigint' ? input * 2n : null);
  },
};

/**
 * A route for a user schema: echoes the request (handy for checking a schema
 * against the wire); a streaming schema streams its fields back, one per line.
 */
export function echoRoute(schema: SynapseSchema): AxonRoute {
  return schema.streaming ? { schema, stream: echoStream() } : { schema };
}
