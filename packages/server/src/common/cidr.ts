/** Whether an address is in a list of CIDRs (a channel's allowed callers); parsing CIDRs. */
import { BlockList, isIP } from 'node:net';

export const LOOPBACK = ['127.0.0.0/8', '::1/128'];

export function parseCidr(text: string): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } | undefined {
  const [address, bits] = text.trim().split('/') as [string, string | undefined];
  const family = isIP(address);
  if (family === 0) return undefined;
  const max = family === 4 ? 32 : 128;
  const prefix = bits === undefined ? max : Number(bits);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) return undefined;
  return { address, prefix, family: family === 4 ? 'ipv4' : 'ipv6' };
}

export function allowList(cidrs: readonly string[]): (address: string) => boolean {
  const list = new BlockList();
  for (const c of cidrs) {
    const parsed = parseCidr(c);
    if (parsed) list.addSubnet(parsed.address, parsed.prefix, parsed.family);
  }
  const check = (address: string) => {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped) return list.check(mapped[1]!, 'ipv4');
    const family = isIP(address);
    return family !== 0 && list.check(address, family === 4 ? 'ipv4' : 'ipv6');
  };
  // The same few addresses call again and again; a BlockList check allocates each time.
  const seen = new Map<string, boolean>();
  return (address: string) => {
    let verdict = seen.get(address);
    if (verdict === undefined) {
      verdict = check(address);
      if (seen.size >= 10_000) seen.clear();
      seen.set(address, verdict);
    }
    return verdict;
  };
}
