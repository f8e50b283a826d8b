// Build-time stand-in for `undici` in the CLI bundle: the dendrite needs only
// the Agent with its request API (and the error classes). The package index
// also loads fetch, cookies, WebSocket, the cache and mock layers, and touches
// Node's own bundled undici: ~600 KB of code and ~70 ms of every ping's start-up.
import Dispatcher from 'undici/lib/dispatcher/dispatcher.js';
import api from 'undici/lib/api/index.js';
import Agent from 'undici/lib/dispatcher/agent.js';
import errors from 'undici/lib/core/errors.js';
import util from 'undici/lib/core/util.js';

// What undici's index does: request/stream/pipeline/connect/upgrade on every dispatcher.
Object.assign(Dispatcher.prototype, api);

export { Agent, errors };
export const { parseHeaders, headerNameToString } = util;
