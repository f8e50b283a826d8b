/**
 * Building one signed request (PROTOCOL.md §1, §2, §4): the URL, the headers
 * in Python's order and the body as aiohttp sends it.
 */
import { bytesToHex, utf8 } from '../crypto/bytes.js';
import type { Signer } from '../crypto/sr25519.js';
import type { Synapse } from '../synapse/synapse.js';
import type { AxonTarget } from '../targets/types.js';

export interface RequestIdentity {
  signer: Signer;
  /** The dendrite's uuid (one per Dendrite). */
  uuid: string;
  /** `dendrite.ip` as sent; the axon overwrites it with the TCP peer. */
  ip: string;
  /** `version_as_int` sent as `bt_header_dendrite_version`. */
  version: number;
  /** The user's own public IP, if configured: targets at that IP are reached on 127.0.0.1. */
  externalIp?: string | undefined;
}

export interface PreparedRequest {
  url: string;
  origin: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  nonce: bigint;
}

/** `http://host:port/Name`, with IPv6 hosts bracketed (project choice 1). */
export function endpointUrl(target: AxonTarget, name: string, externalIp?: string): { origin: string; path: string } {
  const host = externalIp !== undefined && target.ip === externalIp ? '127.0.0.1' : target.ip;
  const h = host.includes(':') ? `[${host}]` : host;
  return { origin: `http://${h}:${target.port}`, path: `/${name}` };
}

/**
 * Fills `synapse` in place as `preprocess_synapse_for_request` does, signs it
 * and returns the wire request. Call it immediately before sending: it takes
 * the nonce now. `overrides` pin the nonce and total_size for byte-level tests.
 */
export function prepareRequest(
  synapse: Synapse,
  target: AxonTarget,
  id: RequestIdentity,
  nonce: bigint,
  timeout: number,
  overrides: { totalSize?: number; sign?: (message: string) => string } = {},
): PreparedRequest {
  fillRequestState(synapse, target, id, nonce, timeout);
  const bodyHash = synapse.bodyHash();
  const message = signingMessage(id, target.hotkey, nonce, bodyHash);
  synapse.dendrite.signature = overrides.sign ? overrides.sign(message) : bytesToHex(id.signer.sign(utf8(message)));
  // total_size is informational; Python's is a CPython memory size. We send the
  // body's byte length, spliced into the one serialisation (the first
  // `"total_size": 0,` is the top-level key: only name and timeout precede it).
  let body: string;
  if (overrides.totalSize !== undefined) {
    synapse.total_size = overrides.totalSize;
    body = synapse.toRequestBody();
  } else {
    synapse.total_size = 0;
    const draft = synapse.toRequestBody();
    synapse.total_size = Buffer.byteLength(draft);
    body = draft.replace('"total_size": 0,', `"total_size": ${synapse.total_size},`);
  }
  const headers = synapse.toHeaders(synapse.total_size, bodyHash);
  headers['content-type'] = 'application/json';
  const { origin, path } = endpointUrl(target, synapse.name, id.externalIp);
  return { url: origin + path, origin, path, headers, body, nonce };
}

/**
 * What `preprocess_synapse_for_request` sets on the synapse before signing:
 * the timeout and both TerminalInfos (the signature is filled in afterwards).
 */
export function fillRequestState(synapse: Synapse, target: AxonTarget, id: RequestIdentity, nonce: bigint, timeout: number): void {
  synapse.timeout = timeout;
  synapse.dendrite = {
    status_code: null,
    status_message: null,
    process_time: null,
    ip: id.ip,
    port: null,
    version: id.version,
    nonce,
    uuid: id.uuid,
    hotkey: id.signer.address,
    signature: null,
  };
  synapse.axon = {
    status_code: null,
    status_message: null,
    process_time: null,
    ip: target.ip,
    port: target.port,
    version: null,
    nonce: null,
    uuid: null,
    hotkey: target.hotkey ?? null,
    signature: null,
  };
}

/** The text the dendrite signs (PROTOCOL.md §4). Python formats a missing axon hotkey as "None"; the axon then rejects the signature. */
export function signingMessage(id: RequestIdentity, axonHotkey: string | null | undefined, nonce: bigint, bodyHash: string): string {
  return `${nonce}.${id.signer.address}.${axonHotkey ?? 'None'}.${id.uuid}.${bodyHash}`;
}
