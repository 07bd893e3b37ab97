/**
 * Which third-party channel is calling. A channel is named by its key (header X-Webchat-Key);
 * a call with no key belongs to the channel that has none (X-Webchat-Channel picks one when
 * several have none). Kept in memory and reloaded when channels change, since every TPI call
 * needs it.
 */
import { timingSafeEqual } from 'node:crypto';
import { ResultCode } from '@elitewebchat/protocol';
import type { Db } from '../../db/database.js';
import type { ChannelRow } from '../../db/schema.js';
import { TpiError } from '../../errors.js';
import { sha256 } from '../../common/hash.js';

export class ChannelDirectory {
  private byKeyHash = new Map<string, ChannelRow>();
  private byChannelId = new Map<string, ChannelRow>();
  private keyless: ChannelRow[] = [];

  constructor(private readonly db: Db) {}

  async reload(): Promise<void> {
    const rows = await this.db.selectFrom('channels').selectAll().execute();
    // A web chat channel is the platform's own: no TPI call can be made in its name.
    const tpi = rows.filter((r) => r.kind === 'tpi');
    this.byKeyHash = new Map(tpi.filter((r) => r.key_hash).map((r) => [r.key_hash!, r]));
    this.keyless = tpi.filter((r) => !r.key_hash);
    this.byChannelId = new Map(rows.map((r) => [r.id, r]));
  }

  byId(id: string): ChannelRow | undefined {
    return this.byChannelId.get(id);
  }

  /** Whether any channel is so. */
  some(test: (channel: ChannelRow) => boolean): boolean {
    for (const channel of this.byChannelId.values()) if (test(channel)) return true;
    return false;
  }

  resolve(key: string | undefined, channelId: string | undefined): ChannelRow {
    if (key) {
      const hash = sha256(key);
      const channel = this.byKeyHash.get(hash);
      // The map lookup already found it; the comparison keeps the check itself constant-time.
      if (channel && timingSafeEqual(Buffer.from(channel.key_hash!), Buffer.from(hash))) {
        if (channelId && channelId !== channel.id) throw new TpiError(ResultCode.REQUEST_ERROR, `X-Webchat-Key does not belong to channel ${channelId}`);
        return channel;
      }
      throw new TpiError(ResultCode.REQUEST_ERROR, 'unknown X-Webchat-Key');
    }
    const candidates = channelId ? this.keyless.filter((c) => c.id === channelId) : this.keyless;
    if (candidates.length === 1) return candidates[0]!;
    if (candidates.length === 0) {
      throw new TpiError(
        ResultCode.REQUEST_ERROR,
        channelId ? `no channel ${channelId} takes calls without a key: send its X-Webchat-Key` : 'missing X-Webchat-Key header',
      );
    }
    throw new TpiError(ResultCode.REQUEST_ERROR, 'several channels take calls without a key: name one in X-Webchat-Channel');
  }
}
