/** What the agent API and the realtime events show: never a database row as it is. */
import type { AgentRow, SessionRow } from '../../db/schema.js';
import { carriesMark, SENT, type MarkedMessage } from '../../delivery/marks.js';
import type { SessionEventView } from '@elitewebchat/protocol';
import type { AgentView, ClientSource, VisitorInfo, MessageView, SessionSummary, SessionView } from '@elitewebchat/protocol';

export function presentAgent(agent: AgentRow, queueIds: number[]): AgentView {
  return {
    id: agent.id,
    username: agent.username,
    name: agent.name,
    alias: agent.alias,
    icon: agent.icon,
    comments: agent.comments,
    maxChats: agent.max_chats,
    role: agent.role,
    status: agent.status,
    queueIds,
    mustChangePassword: agent.must_change_password === 1,
  };
}

/**
 * A reply carries its delivery mark: as loaded (agent-service's message loading), or, for one
 * just written (the answer to sending it, its live event), sent.
 */
export function presentMessage(row: MarkedMessage): MessageView {
  const view: MessageView = {
    id: row.id,
    sessionId: row.session_id,
    sender: row.sender,
    kind: row.kind,
    createdAt: row.created_at,
    clientTime: row.client_time,
  };
  if (row.kind === 'image') {
    view.image = { id: row.image_id ?? 0, name: row.text ?? 'image', url: `/api/v1/agent/images/${row.image_id}` };
  } else if (row.kind === 'event') {
    view.event = JSON.parse(row.event ?? '{}') as SessionEventView;
  } else {
    view.text = row.text ?? '';
  }
  if (carriesMark(row)) view.delivery = row.delivery ?? SENT;
  return view;
}

/** A session without its messages. */
export function presentSessionSummary(row: SessionRow): SessionSummary {
  return {
    id: row.id,
    requestId: row.request_id,
    channelId: row.channel_id,
    queueId: row.queue_id,
    agentId: row.agent_id,
    clientId: row.client_id,
    nickname: row.nickname,
    // Written only from a validated 1000 (CLIENT_SOURCES), defaulting to PC.
    from: row.source as ClientSource,
    status: row.status,
    requestedAt: row.requested_at,
    startedAt: row.created_at,
    closedAt: row.closed_at,
    closedBy: row.closed_by,
    rating: row.rated_at === null ? null : { ratingId: row.rating_id ?? 0, comments: row.rating_comments ?? '', at: row.rated_at },
    // Every web-chat session carries its visitor's surroundings; a TPI one never does.
    channelKind: row.visitor === null ? 'tpi' : 'web',
    visitor: row.visitor === null ? null : (JSON.parse(row.visitor) as VisitorInfo),
    agentReadUpTo: row.agent_read_id,
  };
}

/** `hasEarlier`: given when `messages` are only the latest of the session's messages. */
export function presentSession(row: SessionRow, messages: MarkedMessage[], hasEarlier?: boolean): SessionView {
  return {
    ...presentSessionSummary(row),
    messages: messages.map(presentMessage),
    ...(hasEarlier === undefined ? {} : { hasEarlier }),
  };
}
