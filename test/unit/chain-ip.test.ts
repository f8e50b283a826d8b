import { describe, expect, it } from 'vitest';
import { ipToString, ipv4ToString, ipv6ToString, isServingIp } from '../../src/chain/ip.js';

describe('chain ip: u128 to text', () => {
  it('matches the netaddr vectors of PROTOCOL.md §13 when ip_type is unknown (size decides)', () => {
    expect(ipToString(0n, 0)).toBe('0.0.0.0');
    expect(ipToString(1n, 0)).toBe('0.0.0.1');
    expect(ipToString(200n, 0)).toBe('0.0.0.200');
    expect(ipToString(4294967295n, 0)).toBe('255.255.255.255');
    expect(ipToString(4294967296n, 0)).toBe('::1:0:0');
    expect(ipToString(4294967296n + 7n, 0)).toBe('::1:0:7');
    expect(ipToString((1n << 128n) - 1n, 0)).toBe('ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff');
    expect(ipToString(0xffff01020304n, 0)).toBe('::ffff:1.2.3.4');
    expect(ipToString(0x20010db8000000000000000000000001n, 0)).toBe('2001:db8::1');
    expect(ipToString(1n << 48n, 0)).toBe('::1:0:0:0');
  });

  it('rejects values outside u128', () => {
    expect(() => ipToString(1n << 128n, 0)).toThrow(RangeError);
    expect(() => ipToString(-1n, 0)).toThrow(RangeError);
  });

  it('uses ip_type 4 and 6 when the chain gives them', () => {
    expect(ipToString(0xc0a80101n, 4)).toBe('192.168.1.1');
    expect(ipToString(3405803786n, 4)).toBe('203.0.113.10');
    // ip_type 6 keeps a small value in IPv6 form; Python would print 0.0.0.1
    expect(ipToString(0x10000n, 6)).toBe('::0.1.0.0');
    expect(ipToString(0x20010db8000000000000000000000007n, 6)).toBe('2001:db8::7');
    // an impossible ip_type 4 value above 2^32 falls back to the size rule instead of truncating
    expect(ipToString(4294967296n, 4)).toBe('::1:0:0');
  });

  it('compresses IPv6 as glibc inet_ntop (RFC 5952) does', () => {
    // expected strings computed with Python's socket.inet_ntop
    expect(ipv6ToString(0n)).toBe('::');
    expect(ipv6ToString(1n)).toBe('::1');
    expect(ipv6ToString(0x01020304n)).toBe('::1.2.3.4');
    expect(ipv6ToString(0x20010db8000000010000000000000001n)).toBe('2001:db8:0:1::1');
    // longest zero run wins
    expect(ipv6ToString(0x20010db8000000000001000000000001n)).toBe('2001:db8::1:0:0:1');
    // first run wins a tie; a single zero group is never compressed
    expect(ipv6ToString(0x20010000000000010000000000010001n)).toBe('2001::1:0:0:1:1');
    expect(ipv6ToString(0x20010000000000010000000000000001n)).toBe('2001:0:0:1::1');
    expect(ipv6ToString(0x20010db8000100010001000100010001n)).toBe('2001:db8:1:1:1:1:1:1');
    expect(ipv6ToString(0x20010db8000000010001000100010001n)).toBe('2001:db8:0:1:1:1:1:1');
    expect(ipv6ToString(0xfe800000000000000000000000000000n)).toBe('fe80::');
    expect(ipv6ToString(0x2001_0DB8_85A3_0000_0000_8A2E_0370_7334n)).toBe('2001:db8:85a3::8a2e:370:7334');
  });

  it('prints IPv4 dotted', () => {
    expect(ipv4ToString(0x7f000001n)).toBe('127.0.0.1');
    expect(() => ipv4ToString(1n << 32n)).toThrow(RangeError);
  });

  it('treats 0 as not serving', () => {
    expect(isServingIp(0n)).toBe(false);
    expect(isServingIp(1n)).toBe(true);
  });
});
