/** Parsing `--axon [HOTKEY@]HOST:PORT` (IPv6 as `HOTKEY@[::1]:8091`). */
import { isIP } from 'node:net';
import { UsageError } from '../errors.js';
import { isValidAddress } from '../crypto/ss58.js';
import type { AxonTarget } from './types.js';

const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

export function parseAxonSpec(spec: string): AxonTarget {
  const fail = (why: string): never => {
    throw new UsageError('ERR_INVALID_AXON', `--axon "${spec}": ${why}; expected [HOTKEY@]HOST:PORT, e.g. 5F...@127.0.0.1:8091 or 5F...@[::1]:8091`);
  };
  const s = spec.trim();
  const at = s.lastIndexOf('@');
  const hotkey = at >= 0 ? s.slice(0, at) : undefined;
  const hostPort = at >= 0 ? s.slice(at + 1) : s;
  if (hotkey !== undefined && !isValidAddress(hotkey)) fail(`"${hotkey}" is not a valid SS58 hotkey address`);
  let host: string;
  let portText: string;
  const v6 = /^\[([^\]]+)\]:(\d*)$/.exec(hostPort);
  if (v6) {
    host = v6[1]!;
    portText = v6[2]!;
    if (isIP(host) !== 6) fail(`"${host}" is not an IPv6 address`);
  } else {
    const colon = hostPort.lastIndexOf(':');
    if (colon < 0) return fail('the port is missing');
    host = hostPort.slice(0, colon);
    portText = hostPort.slice(colon + 1);
    if (host.includes(':')) fail('put an IPv6 address in brackets');
    if (!isIP(host) && !HOSTNAME.test(host)) fail(`"${host}" is not an IP address or host name`);
  }
  if (!/^\d+$/.test(portText)) fail('the port must be a number');
  const port = Number(portText);
  if (port < 1 || port > 65535) fail(`port ${portText} is out of range 1-65535`);
  return { ip: host, port, hotkey };
}
