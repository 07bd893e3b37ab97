/**
 * `updateRequestStatus` (later wire, to channels that ask for it): when a waiting request ends
 * (accepted, timed out, cancelled, refused…), its third party is told its new state, and every
 * request behind it in the queue whose channel asked is told its new place, so that none of them
 * needs to poll 1001. Written to the outbox after the change, in order per request (an ordering
 * key of its own: −(2^46 + requestId)); a third party that missed one still has 1001.
 */
import { RequestStatus, type UpdateRequestStatusCallback } from '@elitewebchat/protocol';
import type { Logger } from 'pino';
import type { EventBus } from '../../cluster/event-bus.js';
import type { Db } from '../../db/database.js';
import type { ChannelRow, ChatRequestRow, QueueRow } from '../../db/schema.js';
import { asksFor, callbackUrl } from '../../delivery/outbox.js';
import { endedReason, positionSentence } from './position.js';

const REQUEST_KEY_BASE = 2 ** 46;

export function listenRequestStatus(deps: {
  db: Db;
  events: EventBus;
  log: Logger;
  clock: () => number;
  channel: (id: string) => ChannelRow | undefined;
  /** Whether any channel asks for updateRequestStatus: when none does, nothing is read. */
  anyAsks: () => boolean;
}): () => void {
  let chain = Promise.resolve();
  return deps.events.on((event) => {
    if (event.type !== 'request-ended' || event.requestId === undefined || !deps.anyAsks()) return;
    const { requestId, queueId } = event;
    // One after another: places computed in the order the requests left.
    chain = chain
      .then(() => notify(deps, requestId, queueId))
      .catch((error: unknown) => deps.log.error({ err: error, requestId }, 'updateRequestStatus failed'));
  });
}

/** Whether the channel's laterCallbacks list updateRequestStatus. */
export const asksForRequestStatus = (channel: ChannelRow | undefined): channel is ChannelRow => asksFor(channel, 'updateRequestStatus');

async function notify(deps: { db: Db; events: EventBus; clock: () => number; channel: (id: string) => ChannelRow | undefined }, requestId: number, queueId: number): Promise<void> {
  const { db } = deps;
  const [ended, queue] = await Promise.all([
    db.selectFrom('chat_requests').selectAll().where('id', '=', requestId).executeTakeFirst(),
    db.selectFrom('queues').selectAll().where('id', '=', queueId).executeTakeFirst(),
  ]);
  if (!ended) return;
  // Those behind it moved up one; only channels that asked hear of it.
  const behind = await db
    .selectFrom('chat_requests')
    .selectAll()
    .where('queue_id', '=', queueId)
    .where('status', '=', RequestStatus.WAITING)
    .where('id', '>', requestId)
    .orderBy('id')
    .execute();
  const ahead = await db
    .selectFrom('chat_requests')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('queue_id', '=', queueId)
    .where('status', '=', RequestStatus.WAITING)
    .where('id', '<', requestId)
    .executeTakeFirstOrThrow();
  const now = deps.clock();
  const rows: { request: ChatRequestRow; channel: ChannelRow; body: UpdateRequestStatusCallback }[] = [];
  const endedChannel = deps.channel(ended.channel_id);
  if (asksForRequestStatus(endedChannel) && ended.status !== RequestStatus.WAITING) {
    rows.push({ request: ended, channel: endedChannel, body: bodyOf(ended, 0, ended.end_note ? `ended: ${ended.end_note}` : endedReason(ended.status), now) });
  }
  let place = Number(ahead.n);
  for (const request of behind) {
    place += 1;
    const channel = deps.channel(request.channel_id);
    if (asksForRequestStatus(channel)) rows.push({ request, channel, body: bodyOf(request, place, positionSentence(queue as QueueRow | undefined, channel.language, place), now) });
  }
  const due = rows.filter((r) => r.request.server_addr !== null);
  if (due.length === 0) return;
  await db
    .insertInto('callbacks')
    .values(
      due.map(({ request, channel, body }) => ({
        session_id: -(REQUEST_KEY_BASE + request.id),
        channel_id: channel.id,
        name: 'updateRequestStatus' as const,
        url: callbackUrl(request.server_addr!, 'updateRequestStatus', channel.callback_path),
        body: JSON.stringify(body),
        status: 'pending' as const,
        attempts: 0,
        next_attempt_at: now,
        created_at: now,
      })),
    )
    .execute();
  deps.events.emit({ type: 'outbox' });
}

function bodyOf(request: ChatRequestRow, place: number, message: string, now: number): UpdateRequestStatusCallback {
  return {
    clientId: request.client_id,
    requestId: request.id,
    ...(request.session_id !== null ? { sessionId: request.session_id } : {}),
    requestStatus: request.status,
    queueLength: place,
    message,
    time: now,
  };
}
