/**
 * Callbacks to an agent bridge (`{callbackBase}/AgentBridge/{name}`), written to the same outbox
 * as TPI callbacks and so sent by the same worker: in order, retried, signed with the bridge's
 * own webhook secrets, dead-lettered. A bridge is an outbox "channel" named `bridge:{id}`
 * (channel ids cannot hold a colon).
 *
 * The outbox sends one callback at a time per ordering key (`callbacks.session_id`). A bridge's
 * callbacks must not wait behind a third party's, nor the other way round, so they have keys of
 * their own, below zero: −sessionId for a session's, −(2^45 + requestId) for an offer's.
 */
import type { BridgeCallbackBodies, BridgeCallbackName } from '@elitewebchat/protocol';
import type { Db } from '../db/database.js';
import type { AgentBridgeRow, ChannelRow } from '../db/schema.js';

export const BRIDGE_OUTBOX_PREFIX = 'bridge:';
const OFFER_KEY_BASE = 2 ** 45;

export const bridgeOrderKey = {
  session: (sessionId: number) => -sessionId,
  offer: (requestId: number) => -(OFFER_KEY_BASE + requestId),
};

export function bridgeCallbackUrl(base: string, name: BridgeCallbackName): string {
  return `${base.replace(/\/+$/, '')}/AgentBridge/${name}`;
}

export async function enqueueBridgeCallback<N extends BridgeCallbackName>(
  trx: Db,
  bridge: Pick<AgentBridgeRow, 'id' | 'callback_base'>,
  orderKey: number,
  name: N,
  body: BridgeCallbackBodies[N],
  now: number,
): Promise<void> {
  await trx
    .insertInto('callbacks')
    .values({
      session_id: orderKey,
      channel_id: `${BRIDGE_OUTBOX_PREFIX}${bridge.id}`,
      name,
      url: bridgeCallbackUrl(bridge.callback_base, name),
      body: JSON.stringify(body),
      status: 'pending',
      attempts: 0,
      next_attempt_at: now,
      created_at: now,
    })
    .execute();
}

/** What the delivery worker needs of a bridge, in the shape it knows: a channel's. */
export function bridgeAsChannel(bridge: AgentBridgeRow): ChannelRow {
  return {
    id: `${BRIDGE_OUTBOX_PREFIX}${bridge.id}`,
    key_hash: null,
    callback_base: bridge.callback_base,
    allow_server_addr: '[]',
    webhook_secrets: bridge.webhook_secrets,
    allow_from: null,
    signing_secret: null,
    server_addr_policy: 'refuse',
    kind: 'tpi',
    web: null,
    callback_path: null,
    later_callbacks: null,
    language: null,
    uploads: null,
    created_at: bridge.created_at,
    updated_at: bridge.updated_at,
  };
}
