/**
 * One complete chain read: connect (bounded), read the subnet at one block,
 * disconnect. This is the only entry point the rest of dendrite uses
 * for the chain, and it is loaded with a dynamic import so that @polkadot/api
 * stays out of runs that do not need it.
 */
import { ChainError } from '../errors.js';
import { connectChain, DEFAULT_CHAIN_TIMEOUT_MS } from './connect.js';
import type { ResolvedNetwork } from './networks.js';
import { isTransportError, readSubnet } from './read.js';
import { withQuietPolkadot } from './quiet.js';
import type { Metagraph } from './types.js';

export interface FetchMetagraphOptions {
  network: ResolvedNetwork;
  netuid: number;
  /** Connect deadline and per-request timeout, ms. */
  timeoutMs?: number;
  /** Skip the runtime call (diagnostics). */
  forceStorage?: boolean;
  now?: () => Date;
  /** Progress notes (e.g. that the storage fallback was used); src never prints. */
  onNote?: (note: string) => void;
  /** @polkadot/api's own log lines, which are kept off the console. */
  onLibraryLog?: (line: string) => void;
}

export function fetchMetagraph(opts: FetchMetagraphOptions): Promise<Metagraph> {
  return withQuietPolkadot(() => fetchQuietly(opts), opts.onLibraryLog);
}

async function fetchQuietly(opts: FetchMetagraphOptions): Promise<Metagraph> {
  const { network, netuid } = opts;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_CHAIN_TIMEOUT_MS;
  const conn = await connectChain(network.url, { timeoutMs });
  try {
    const read = await readSubnet(conn.api, netuid, { forceStorage: opts.forceStorage ?? false });
    if (read.fallbackReason) opts.onNote?.(`read subnet ${netuid} from storage: ${read.fallbackReason}`);
    return {
      netuid,
      network: network.name,
      endpoint: network.url,
      block: read.block,
      blockHash: read.blockHash,
      fetchedAt: (opts.now?.() ?? new Date()).toISOString(),
      source: read.source,
      neurons: read.neurons,
    };
  } catch (e) {
    if (e instanceof ChainError) throw e;
    if (isTransportError(e)) {
      throw new ChainError('chain_timeout', `subtensor at ${network.url} stopped answering while reading subnet ${netuid}: ${(e as Error).message.split('\n')[0]}`, { cause: e });
    }
    throw new ChainError('chain_read_failed', `cannot read subnet ${netuid} from ${network.url}: ${(e as Error)?.message?.split('\n')[0] ?? String(e)}`, { cause: e });
  } finally {
    await conn.close();
  }
}
