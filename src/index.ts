/**
 * dendrite as a library: talk to Bittensor axons from TypeScript.
 * Nothing here prints or exits; failures of axons are results, bad input throws
 * typed errors with stable `code`s.
 */
export { Dendrite, DEFAULT_CONCURRENCY, DEFAULT_TIMEOUT, type CallResult, type CallOptions, type DendriteOptions, type ForwardOptions } from './dendrite/dendrite.js';
export type { Reason } from './dendrite/status.js';
export { prepareRequest, endpointUrl, type PreparedRequest, type RequestIdentity } from './dendrite/request.js';
export { nextNonce } from './dendrite/nonce.js';
export { uuid1 } from './dendrite/uuid.js';
export { versionAsInt, DEFAULT_VERSION_AS_INT } from './dendrite/version.js';
export * from './synapse/index.js';
export { loadSchemaRegistry, loadSchemaFile, userSchemaDir } from './synapse/schema-files.js';
export { synapseFromInputs, type SynapseInputs } from './synapse/inputs.js';
export { startAxon, type AxonOptions, type RunningAxon } from './axon/server.js';
export { AxonError, dummyRoute, echoRoute, pingRoute, type AxonRoute } from './axon/routes.js';
export { Sr25519Pair, verifySr25519, type Signer } from './crypto/sr25519.js';
export { pairFromUri, pairFromPhrase, DEV_PHRASE } from './crypto/derive.js';
export { encodeAddress, decodeAddress, SS58_FORMAT } from './crypto/ss58.js';
export { loadHotkey, type HotkeyOptions } from './wallet/hotkey.js';
export { parseAxonSpec } from './targets/axon-spec.js';
export type { AxonTarget } from './targets/types.js';
export * from './errors.js';
// The chain: resolving a subnet's axons (loads @polkadot/api only when a read happens).
export * from './chain/index.js';
