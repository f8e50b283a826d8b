/**
 * Chain IP integers to text (CHAIN.md A4, PROTOCOL.md §13).
 *
 * The chain stores an axon's address as a u128 plus `ip_type`. We trust
 * `ip_type` (4 or 6) and only fall back to the value's size, as Python's
 * netaddr always does, when `ip_type` is something else. IPv6 is printed in
 * the RFC 5952 compressed form Python prints (`2001:db8::1`,
 * `::ffff:1.2.3.4`), so addresses compare equal across the two SDKs.
 */

const U32_MAX = 0xffff_ffffn;
const U128_MAX = (1n << 128n) - 1n;

/** An ip value of 0 means "never served" (Python: `ip != "0.0.0.0"`). */
export function isServingIp(ip: bigint): boolean {
  return ip !== 0n;
}

export function ipv4ToString(ip: bigint): string {
  if (ip < 0n || ip > U32_MAX) throw new RangeError(`IPv4 value out of range: ${ip}`);
  const n = Number(ip);
  return [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** RFC 5952 text: lowercase, no leading zeros, the longest run of >= 2 zero groups (first one on a tie) becomes `::`. */
export function ipv6ToString(ip: bigint): string {
  if (ip < 0n || ip > U128_MAX) throw new RangeError(`IPv6 value out of range: ${ip}`);
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((ip >> BigInt(i * 16)) & 0xffffn));

  // IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible (::a.b.c.d) addresses
  // keep a dotted tail, exactly where glibc's inet_ntop (Python) uses one.
  if (groups.slice(0, 5).every((g) => g === 0)) {
    if (groups[5] === 0xffff) return `::ffff:${ipv4ToString(ip & U32_MAX)}`;
    if (groups[5] === 0 && groups[6] !== 0) return `::${ipv4ToString(ip & U32_MAX)}`;
  }

  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestLen < 2) return hex.join(':');
  const head = hex.slice(0, bestStart).join(':');
  const tail = hex.slice(bestStart + bestLen).join(':');
  return `${head}::${tail}`;
}

/**
 * The text of an axon's address. `ipType` 4/6 decides the family; any other
 * value falls back to netaddr's rule (<= 2^32-1 is IPv4).
 */
export function ipToString(ip: bigint, ipType: number): string {
  if (ipType === 4 && ip <= U32_MAX) return ipv4ToString(ip);
  if (ipType === 6) return ipv6ToString(ip);
  return ip <= U32_MAX ? ipv4ToString(ip) : ipv6ToString(ip);
}
