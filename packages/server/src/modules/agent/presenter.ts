/** What the agent API and the realtime events show: never a database row as it is. */
import type { AgentRow, SessionRow } from '../../db/schema.js';
import { carriesMark, SENT, type MarkedMessage } from '../../delivery/marks.js';
import type { SessionEventView } from '@elitewebchat/protocol';
import type { AgentView, ClientSource, CustomerContextView, VisitorInfo, MessageView, SessionSummary, SessionView, UploadType } from '@elitewebchat/protocol';
import type { MessageMedia } from '../../db/schema.js';
import { FILE_MIME, PLAYABLE } from '../../files/file-kinds.js';

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
  if (row.kind === 'image' && row.image_id === null && row.file_id !== null) {
    // An agent's image: kept as a file, so that the customer's side can fetch it by its link.
    view.image = { id: row.file_id, name: row.text ?? 'image', url: `/api/v1/agent/files/${row.file_id}` };
  } else if (row.kind === 'image') {
    view.image = { id: row.image_id ?? 0, name: row.text ?? 'image', url: `/api/v1/agent/images/${row.image_id}` };
  } else if (row.kind === 'voice' || row.kind === 'video' || row.kind === 'file' || row.kind === 'location') {
    presentMedia(view, row);
  } else if (row.kind === 'event') {
    view.event = JSON.parse(row.event ?? '{}') as SessionEventView;
  } else {
    view.text = row.text ?? '';
  }
  if (row.extra !== null && row.extra !== '') view.extra = row.extra;
  if (carriesMark(row)) view.delivery = row.delivery ?? SENT;
  return view;
}

/** What a voice message, a video, a file or a location carries (messages.media, files). */
function presentMedia(view: MessageView, row: MarkedMessage): void {
  const media = JSON.parse(row.media ?? '{}') as MessageMedia;
  if (media.file && row.file_id !== null) {
    const type = media.file.type as UploadType;
    view.file = { id: row.file_id, name: media.file.name, type, mime: FILE_MIME[type] ?? 'application/octet-stream', size: media.file.size, url: `/api/v1/agent/files/${row.file_id}`, playable: PLAYABLE.has(type) };
  }
  if (media.seconds !== undefined) view.seconds = media.seconds;
  if (media.location) view.location = { ...media.location, mapUrl: mapUrl(media.location) };
  if (media.thumb) view.thumb = { url: `/api/v1/agent/images/${media.thumb.imageId}`, width: media.thumb.width, height: media.thumb.height };
  if (row.kind === 'location' && row.text) view.text = row.text;
}

/** The place on the map whose coordinates these are: Gaode (GCJ-02) or Baidu (BD-09). */
export function mapUrl({ latitude, longitude, poi, map }: { latitude: number; longitude: number; poi: string; map: 'gaode' | 'baidu' }): string {
  const name = encodeURIComponent(poi || `${latitude},${longitude}`);
  return map === 'baidu'
    ? `https://api.map.baidu.com/marker?location=${latitude},${longitude}&title=${name}&content=${name}&coord_type=bd09ll&output=html`
    : `https://uri.amap.com/marker?position=${longitude},${latitude}&name=${name}&coordinate=gaode`;
}

/** What a later 1000 told about the customer; a trail that is not a list of pages is shown as sent. */
function presentContext(json: string): CustomerContextView {
  const stored = JSON.parse(json) as { brand?: string; ip?: string; tracks?: string };
  const view: CustomerContextView = {};
  if (stored.brand) view.brand = stored.brand;
  if (stored.ip) view.ip = stored.ip;
  if (stored.tracks) {
    let pages: unknown;
    try {
      pages = JSON.parse(stored.tracks);
    } catch {
      pages = undefined;
    }
    if (Array.isArray(pages) && pages.every((p) => typeof p === 'object' && p !== null)) {
      view.tracks = pages.slice(0, 200).flatMap((p: Record<string, unknown>) => {
        const url = typeof p.url === 'string' && /^https?:\/\//i.test(p.url) ? p.url : '';
        const title = typeof p.title === 'string' ? p.title : url;
        const time = typeof p.time === 'number' && Number.isSafeInteger(p.time) ? p.time : typeof p.time === 'string' && Number.isFinite(Date.parse(p.time)) ? Date.parse(p.time) : undefined;
        return url === '' && title === '' ? [] : [{ title: title.slice(0, 500), url, ...(time !== undefined ? { time } : {}) }];
      });
    } else {
      view.tracksText = stored.tracks;
    }
  }
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
    rating:
      row.rated_at === null
        ? null
        : { ratingId: row.rating_id ?? 0, comments: row.rating_comments ?? '', at: row.rated_at, ...(row.rating_extends ? { extends: JSON.parse(row.rating_extends) as Record<string, string | number | boolean> } : {}) },
    ...(row.customer_context ? { context: presentContext(row.customer_context) } : {}),
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
