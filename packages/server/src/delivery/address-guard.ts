/**
 * Where a callback may connect. Private, loopback, link-local, multicast, reserved and
 * unspecified addresses are refused, IPv4 and IPv6 alike, including IPv4 inside IPv6
 * (mapped, compatible, NAT64, 6to4) — unless the host is one the operator wrote for the
 * channel. The check runs on the address actually connected (a lookup hook), so a name that
 * resolves to a public address when checked and a private one when used gets nowhere.
 * Decimal, hex and octal IPv4 spellings need nothing special: the URL parser normalises them.
 */
import dns from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this network", unspecified
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) blocked.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128],
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
  ['100::', 64], // discard
  ['64:ff9b:1::', 48], // local-use NAT64 (RFC 8215): not globally reachable
  ['2001:db8::', 32], // documentation
] as const) blocked.addSubnet(net, prefix, 'ipv6');

/** The IPv4 address an IPv6 address carries, for the forms that carry one. */
function embeddedIpv4(v6: string): string | undefined {
  const bytes = ipv6Bytes(v6);
  if (!bytes) return undefined;
  const zero = (from: number, to: number) => bytes.slice(from, to).every((b) => b === 0);
  const v4 = (at: number) => bytes.slice(at, at + 4).join('.');
  if (zero(0, 10) && bytes[10] === 0xff && bytes[11] === 0xff) return v4(12); // ::ffff:a.b.c.d
  if (zero(0, 12)) return v4(12); // ::a.b.c.d (compatible)
  if (bytes[0] === 0x00 && bytes[1] === 0x64 && bytes[2] === 0xff && bytes[3] === 0x9b && zero(4, 12)) return v4(12); // 64:ff9b::/96
  if (bytes[0] === 0x20 && bytes[1] === 0x02) return v4(2); // 2002::/16 (6to4)
  return undefined;
}

function ipv6Bytes(text: string): number[] | undefined {
  let address = text.replace(/^\[|\]$/g, '').split('%')[0]!;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (dotted) {
    const parts = dotted[1]!.split('.').map(Number);
    address = address.slice(0, dotted.index) + `${((parts[0]! << 8) | parts[1]!).toString(16)}:${((parts[2]! << 8) | parts[3]!).toString(16)}`;
  }
  const [head, tail] = address.split('::') as [string, string | undefined];
  const groups = (s: string | undefined) => (s ? s.split(':') : []);
  const h = groups(head);
  const t = groups(tail);
  const fill = tail === undefined ? [] : Array<string>(8 - h.length - t.length).fill('0');
  const all = [...h, ...fill, ...t];
  if (all.length !== 8) return undefined;
  return all.flatMap((g) => {
    const n = parseInt(g, 16);
    return [(n >> 8) & 0xff, n & 0xff];
  });
}

/** Why this IP address may not be connected to, or undefined when it may. */
export function blockedAddressReason(address: string): string | undefined {
  const plain = address.replace(/^\[|\]$/g, '');
  const family = isIP(plain);
  if (family === 4) return blocked.check(plain, 'ipv4') ? `${plain} is a private or reserved address` : undefined;
  if (family === 6) {
    const v4 = embeddedIpv4(plain);
    if (v4 !== undefined && blocked.check(v4, 'ipv4')) return `${plain} carries the private or reserved address ${v4}`;
    return blocked.check(plain, 'ipv6') ? `${plain} is a private or reserved address` : undefined;
  }
  return `${address} is not an IP address`;
}

export class BlockedAddressError extends Error {
  readonly code = 'EBLOCKEDADDRESS';
}

/**
 * A `lookup` for sockets that refuses blocked addresses, unless `trusted(hostname)`.
 * Node calls it with `all` true or false; both shapes are answered.
 */
export function guardedLookup(trusted: (hostname: string) => boolean): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return (callback as (e: Error) => void)(error);
      const list = addresses as dns.LookupAddress[];
      if (!trusted(hostname)) {
        const bad = list.map((a) => blockedAddressReason(a.address)).find((r) => r !== undefined);
        if (bad) return (callback as (e: Error) => void)(new BlockedAddressError(`callback host ${hostname} resolves to a refused address: ${bad}`));
      }
      if ((options as { all?: boolean }).all) return (callback as (e: null, a: dns.LookupAddress[]) => void)(null, list);
      const first = list[0];
      if (!first) return (callback as (e: Error) => void)(new Error(`no address for ${hostname}`));
      (callback as (e: null, a: string, f: number) => void)(null, first.address, first.family);
    });
  };
}

/** The check for a URL whose host is an IP literal, which no lookup sees. */
export function literalTargetProblem(url: URL, trusted: (hostname: string) => boolean): string | undefined {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) === 0 || trusted(url.hostname)) return undefined;
  return blockedAddressReason(host);
}
