import type { ChannelRow } from '../../db/schema.js';
import { DomainError } from '../../common/domain-error.js';

/**
 * Where callbacks about a new request go: its serverAddr when the channel allows that prefix,
 * else the channel's configured base. A request with neither could never hear back, so it is
 * refused rather than left to wait in silence.
 */
export function callbackBaseFor(channel: ChannelRow, serverAddr: string | undefined): string {
  if (serverAddr !== undefined) {
    let url: URL;
    try {
      url = new URL(serverAddr);
    } catch {
      throw new DomainError('INVALID_INPUT', `serverAddr "${serverAddr}" is not an absolute URL`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new DomainError('INVALID_INPUT', `serverAddr must be an http or https URL`);
    }
    // A bare '?' or '#' parses as an empty query or fragment, and would still cut the callback path.
    if (url.username || url.password || url.search || url.hash || /[?#]/.test(serverAddr)) {
      throw new DomainError('INVALID_INPUT', `serverAddr must not carry credentials, a query or a fragment`);
    }
    const allowed = JSON.parse(channel.allow_server_addr) as string[];
    if (!allowed.some((prefix) => underPrefix(url, prefix))) {
      // The operator may prefer the channel's own base to a refusal.
      if (channel.server_addr_policy === 'use-channel-base' && channel.callback_base) return channel.callback_base;
      throw new DomainError('INVALID_INPUT',
        `serverAddr "${serverAddr}" is not allowed for channel ${channel.id}: it must start with one of the channel's allowServerAddr prefixes`,
      );
    }
    return serverAddr;
  }
  if (!channel.callback_base) {
    throw new DomainError('INVALID_INPUT',
      `channel ${channel.id} has no callbackBase configured, so this request needs a serverAddr`,
    );
  }
  return channel.callback_base;
}

/**
 * Compared as URLs, not strings: "http://a:9000" must not admit "http://a:90001" or
 * "http://a:9000@evil.example".
 */
export function underPrefix(url: URL, prefix: string): boolean {
  let base: URL;
  try {
    base = new URL(prefix);
  } catch {
    return false;
  }
  if (url.origin !== base.origin) return false;
  const path = base.pathname.endsWith('/') ? base.pathname : `${base.pathname}/`;
  return url.pathname === base.pathname || `${url.pathname}/`.startsWith(path) || url.pathname.startsWith(path);
}
