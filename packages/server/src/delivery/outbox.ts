/**
 * Writing a callback: always inside the transaction of the event that causes it, so the event
 * and its callback are stored together or not at all. The worker sends it later.
 */
import { NoticeType, type AgentCard, type AgentsUpdateCallback, type CallbackBodies, type CallbackName, type CreateCallback, type LaterCallback, type MsgCallback, type MsgNoticeCallback } from '@elitewebchat/protocol';
import type { Db } from '../db/database.js';
import type { AgentRow, ChannelRow, SessionRow } from '../db/schema.js';

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

/**
 * Whether a channel's `laterCallbacks` name this later callback. None by default: a seed third
 * party would answer a later callback with errors, so it gets only seed ones.
 */
export function asksFor<C extends Pick<ChannelRow, 'later_callbacks'>>(channel: C | undefined, name: LaterCallback): channel is C {
  return channel !== undefined && channel.later_callbacks !== null && (JSON.parse(channel.later_callbacks) as string[]).includes(name);
}

/** Whether a session's channel asks for this later callback: read in the transaction that writes it. */
export async function channelAsks(trx: Db, channelId: string, name: LaterCallback): Promise<boolean> {
  return asksFor(await trx.selectFrom('channels').select('later_callbacks').where('id', '=', channelId).executeTakeFirst(), name);
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

/** `agentsUpdate` (later wire): the agents now in the chat, e.g. after a transfer, instead of a second `create`. */
export function agentsUpdateCallback(agents: readonly AgentRow[], session: Pick<SessionRow, 'id' | 'client_id'>, now: number): AgentsUpdateCallback {
  return {
    clientId: session.client_id,
    sessionId: session.id,
    agents: agents.map((a) => ({ id: a.id, name: a.name, icon: a.icon, comments: a.comments })),
    time: now,
  };
}

/**
 * A `msg` notice of type 5 (later wire, `typing`): the agent is typing, said in the channel's
 * language (null: zh-CN). The agent's fields are those of their messages.
 */
export function typingNoticeCallback(agent: AgentRow, session: Pick<SessionRow, 'id' | 'client_id'>, language: string | null, now: number): MsgNoticeCallback {
  return {
    ...msgFrom(agent, session, now),
    content: language === 'en' ? `${agent.name} is typing…` : `${agent.name}正在输入…`,
    type: 'notice',
    noticeType: NoticeType.TYPING,
  };
}

/** An agent's message as the `msg` callback carries it: text, or an image's or file's link. */
export function msgCallback(agent: AgentRow, session: Pick<SessionRow, 'id' | 'client_id'>, content: string, now: number): MsgCallback {
  return { ...msgFrom(agent, session, now), content, type: 'text' };
}

/** Who sent a `msg`, to whom, and when: the same in a message and a notice. */
function msgFrom(agent: AgentRow, session: Pick<SessionRow, 'id' | 'client_id'>, now: number) {
  return { sessionId: session.id, agentId: agent.id, agentName: agent.name, agentHeadimg: agent.icon, agentComment: agent.comments, time: now, clientId: session.client_id };
}
