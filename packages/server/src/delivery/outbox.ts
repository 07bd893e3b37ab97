/**
 * Writing a callback: always inside the transaction of the event that causes it, so the event
 * and its callback are stored together or not at all. The worker sends it later.
 */
import type { AgentCard, CallbackBodies, CallbackName, CreateCallback } from '@elitewebchat/protocol';
import type { Db } from '../db/database.js';
import type { AgentRow, SessionRow } from '../db/schema.js';

export const DEFAULT_CALLBACK_PATH = '/ThirdPartService/{name}';

/** `{base}{path}` with the callback's name in the path (`callbackPath`, default /ThirdPartService/{name}). */
export function callbackUrl(base: string, name: CallbackName, path: string | null = null): string {
  return `${base.replace(/\/+$/, '')}${(path ?? DEFAULT_CALLBACK_PATH).replace('{name}', name)}`;
}

/** Where a channel's callbacks go under a base: read in the transaction that writes one. */
async function callbackPathOf(trx: Db, channelId: string): Promise<string | null> {
  const channel = await trx.selectFrom('channels').select('callback_path').where('id', '=', channelId).executeTakeFirst();
  return channel?.callback_path ?? null;
}

/** A callback always goes with its own body: `enqueueCallback(trx, s, 'close', msgBody, …)` does not compile. */
export async function enqueueCallback<N extends CallbackName>(
  trx: Db,
  session: Pick<SessionRow, 'id' | 'channel_id' | 'callback_base'>,
  name: N,
  body: CallbackBodies[N],
  now: number,
  /** The agent's message it carries, for that message's delivery mark. */
  messageId?: number,
): Promise<void> {
  if (!session.callback_base) return;
  await trx
    .insertInto('callbacks')
    .values({
      session_id: session.id,
      channel_id: session.channel_id,
      name,
      url: callbackUrl(session.callback_base, name, await callbackPathOf(trx, session.channel_id)),
      body: JSON.stringify(body),
      status: 'pending',
      attempts: 0,
      next_attempt_at: now,
      created_at: now,
      message_id: messageId ?? null,
    })
    .execute();
}

export function agentCard(agent: AgentRow): AgentCard {
  return { id: agent.id, name: agent.name, alias: agent.alias, icon: agent.icon, commonts: agent.comments };
}

/** `create`: a session exists and this agent has it (sent again when a 1000 continues it). */
export function createCallback(agent: AgentRow, session: Pick<SessionRow, 'id' | 'client_id'>, now: number): CreateCallback {
  return {
    result: 1,
    message: 'success',
    agentId: agent.id,
    agentName: agent.name,
    agent: agentCard(agent),
    clientId: session.client_id,
    sessionId: session.id,
    time: now,
  };
}
