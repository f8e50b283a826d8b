/**
 * The subnets of a chain with their names, for the interactive subnet
 * prompt: every netuid in `SubtensorModule.NetworksAdded`, named from the
 * subnet identity (`SubnetIdentitiesV3`/`V2`/`SubnetIdentities`, field
 * `subnet_name`) where the chain has one.
 */
import type { ApiPromise } from '@polkadot/api';

export interface SubnetInfo {
  netuid: number;
  /** `subnet_name` of the subnet identity, when set. */
  name?: string | undefined;
}

/* eslint-disable @typescript-eslint/no-explicit-any */
type Codec = any;

function text(v: Codec): string | undefined {
  try {
    const u8: Uint8Array | undefined = v?.toU8a?.(true);
    const s = u8 ? Buffer.from(u8).toString('utf8') : String(v?.toHuman?.() ?? '');
    const clean = s.replace(/[\x00-\x1f\x7f]/g, '').trim();
    return clean === '' ? undefined : clean;
  } catch {
    return undefined;
  }
}

export async function listSubnets(api: ApiPromise): Promise<SubnetInfo[]> {
  const sm: Codec = (api.query as Codec).subtensorModule;
  const entries: Array<[Codec, Codec]> = await sm.networksAdded.entries();
  const netuids = entries
    .filter(([, added]) => added?.isTrue ?? Boolean(added?.toJSON?.()))
    .map(([key]) => Number(key.args[0].toString()))
    .sort((a, b) => a - b);
  const names = new Map<number, string>();
  for (const map of ['subnetIdentitiesV3', 'subnetIdentitiesV2', 'subnetIdentities']) {
    if (!sm[map]?.entries) continue;
    try {
      const ids: Array<[Codec, Codec]> = await sm[map].entries();
      for (const [key, opt] of ids) {
        const id = opt?.isSome ? opt.unwrap() : opt;
        const name = text(id?.subnetName ?? id?.subnet_name);
        if (name) names.set(Number(key.args[0].toString()), name);
      }
      break;
    } catch {
      /* try the older map */
    }
  }
  return netuids.map((netuid) => ({ netuid, name: names.get(netuid) }));
}
