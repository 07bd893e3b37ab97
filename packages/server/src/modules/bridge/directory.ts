/**
 * The configured agent bridges, in memory (every bridge call and every bridge callback needs
 * one), reloaded when channels or agents change.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Db } from '../../db/database.js';
import type { AgentBridgeRow, ChannelRow } from '../../db/schema.js';
import { sha256 } from '../../common/hash.js';
import { BRIDGE_OUTBOX_PREFIX, bridgeAsChannel } from '../../delivery/bridge-outbox.js';

export class BridgeDirectory {
  private byKeyHash = new Map<string, AgentBridgeRow>();
  private outboxChannels = new Map<string, ChannelRow>();

  constructor(private readonly db: Db) {}

  async reload(): Promise<void> {
    const rows = await this.db.selectFrom('agent_bridges').selectAll().execute();
    this.byKeyHash = new Map(rows.map((r) => [r.key_hash, r]));
    this.outboxChannels = new Map(rows.map((r) => [`${BRIDGE_OUTBOX_PREFIX}${r.id}`, bridgeAsChannel(r)]));
  }

  /** The bridge whose key this is, if any. */
  byKey(key: string): AgentBridgeRow | undefined {
    const hash = sha256(key);
    const bridge = this.byKeyHash.get(hash);
    // Found by the map; the comparison keeps the check itself constant-time.
    return bridge && timingSafeEqual(Buffer.from(bridge.key_hash), Buffer.from(hash)) ? bridge : undefined;
  }

  /** A bridge as the delivery worker sees it (outbox channel `bridge:{id}`). */
  outboxChannel(id: string): ChannelRow | undefined {
    return this.outboxChannels.get(id);
  }
}
