/**
 * The chain side of dendrite as a library. Safe to import eagerly: nothing
 * here loads @polkadot/api until `fetchMetagraph`/`connectChain` is called.
 */
export { fetchMetagraph, type FetchMetagraphOptions } from './fetch.js';
export { connectChain, DEFAULT_CHAIN_TIMEOUT_MS, type ChainConnection, type ConnectOptions } from './connect.js';
export { readSubnet, type SubnetRead } from './read.js';
export { DEFAULT_NETWORK, NETWORKS, NETWORK_ENDPOINTS, networkNameOfUrl, resolveNetwork, selectNetwork, type ResolvedNetwork } from './networks.js';
export { ipToString, ipv4ToString, ipv6ToString, isServingIp } from './ip.js';
export { decodeNeuronsLite, unwrapRuntimeBytes } from './neuron-lite-bytes.js';
export type { AxonInfo, Metagraph, MetagraphSource, Neuron } from './types.js';
export { resolveTargets, type TargetResolution, type TargetSelection } from '../targets/resolve.js';
export { loadMetagraph, type LoadedMetagraph, type MetagraphRequest } from '../targets/metagraph-source.js';
export { parseUidList } from '../targets/uids.js';
export { parseMetagraph, readSnapshotFile, serializeMetagraph, writeSnapshotFile } from '../targets/snapshot.js';
