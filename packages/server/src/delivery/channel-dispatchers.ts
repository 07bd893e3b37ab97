/**
 * One HTTP connection pool per channel, each refusing private addresses except on the hosts
 * the operator wrote for that channel (its callbackBase and allowServerAddr entries). Per
 * channel, because what is trusted for one channel must not be for another.
 */
import { Agent } from 'undici';
import type { ChannelRow } from '../db/schema.js';
import { guardedLookup } from './address-guard.js';

interface Pool {
  fingerprint: string;
  agent: Agent;
  trusted: (hostname: string) => boolean;
}

export function trustedHosts(channel: Pick<ChannelRow, 'callback_base' | 'allow_server_addr'>): Set<string> {
  const hosts = new Set<string>();
  for (const url of [channel.callback_base, ...(JSON.parse(channel.allow_server_addr) as string[])]) {
    if (!url) continue;
    try {
      const host = new URL(url).hostname;
      if (host) hosts.add(host.toLowerCase());
    } catch {
      // Not a URL with a host: trusts nothing (and admits no serverAddr either).
    }
  }
  return hosts;
}

export class ChannelDispatchers {
  private readonly pools = new Map<string, Pool>();

  constructor(private readonly connectTimeoutMs: number) {}

  for(channel: ChannelRow): Pool {
    const fingerprint = `${channel.callback_base ?? ''}|${channel.allow_server_addr}`;
    const existing = this.pools.get(channel.id);
    if (existing && existing.fingerprint === fingerprint) return existing;
    if (existing) void existing.agent.close();
    const hosts = trustedHosts(channel);
    const trusted = (hostname: string) => hosts.has(hostname.toLowerCase().replace(/^\[|\]$/g, '')) || hosts.has(hostname.toLowerCase());
    const agent = new Agent({
      connect: { timeout: this.connectTimeoutMs, lookup: guardedLookup(trusted) },
      keepAliveTimeout: 10_000,
      connections: 16,
    });
    const pool = { fingerprint, agent, trusted };
    this.pools.set(channel.id, pool);
    return pool;
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.pools.values()].map((p) => p.agent.close()));
    this.pools.clear();
  }
}
