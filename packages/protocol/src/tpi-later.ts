/**
 * The later wire's calls (../shared/spec/LATER.md; docs/tpi.md, "The later wire"), as JSON
 * Schema: customer log-in (types 1–5) and the `token` a later call carries. A call with a token is
 * a later call: its customer is the token's, so it needs no clientId.
 */
import Type, { type Static, type TSchema } from 'typebox';
import { LaterRequestType, RequestType } from './codes.js';
import { MAX_CLIENT_ID_LENGTH, MAX_NICKNAME_LENGTH, MAX_TEXT_LENGTH, MAX_URL_LENGTH } from './limits.js';
import { ChatRequestBody, RatingBody, TextMessageBody } from './tpi.js';

const kind = <T extends LaterRequestType>(value: T) => Type.Literal(value);
const LoginName = Type.String({
  minLength: 1,
  maxLength: MAX_CLIENT_ID_LENGTH,
  pattern: '^[^\\u0000-\\u001f\\u007f]+$',
  description: "the customer's log-in name on this channel; it is also their clientId",
});
const Ip = Type.Optional(Type.String({ maxLength: 64, description: "the customer's address, kept for agents" }));

/** A later call's token, from types 1, 3 or 4. */
export const Token = Type.String({ minLength: 16, maxLength: 256, description: 'from a log-in (types 1, 3, 4); belongs to one channel and one customer' });

export const LogonBody = Type.Object({ type: kind(LaterRequestType.LOGON), loginName: LoginName, password: Type.String({ maxLength: 1024, description: 'empty for a customer that type 3 registered' }), ip: Ip });
export const LogoutBody = Type.Object({ type: kind(LaterRequestType.LOGOUT), token: Token });
export const LogonOrRegisterBody = Type.Object({
  type: kind(LaterRequestType.LOGON_OR_REGISTER),
  loginName: LoginName,
  name: Type.String({ minLength: 1, maxLength: MAX_NICKNAME_LENGTH, description: 'shown to agents' }),
  portraitUri: Type.Optional(Type.String({ maxLength: MAX_URL_LENGTH })),
  ip: Ip,
});
export const VisitorLogonBody = Type.Object({
  type: kind(LaterRequestType.VISITOR_LOGON),
  visitorId: Type.String({ pattern: '^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$', description: 'a 36-character GUID the third party keeps for an anonymous visitor; also their clientId' }),
  ip: Ip,
});
const Id = (description: string) => Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description });

/** 2020: a message typed while queued (the seed's 2005 moved here; with a token 2005 is a file). */
export const PreMsgBody = Type.Object({ type: kind(LaterRequestType.PRE_MSG), requestId: Id('from the 1000 answer'), text: Type.String({ minLength: 1, maxLength: MAX_TEXT_LENGTH }) });
/** 2021: what the customer is typing, not yet sent; the agent sees it live. An empty text clears it. */
export const PreviewBody = Type.Object({ type: kind(LaterRequestType.PREVIEW), sessionId: Id('the open session'), text: Type.String({ maxLength: MAX_TEXT_LENGTH }) });
/** 2022: the customer is typing (send at most one every few seconds while they do). */
export const CustomerTypingBody = Type.Object({ type: kind(LaterRequestType.TYPING), sessionId: Id('the open session') });

/** 2023: the customer asks for a person: the chat goes (back) to a queue and waits there, keeping its session. */
export const TransferToHumanBody = Type.Object({
  type: kind(LaterRequestType.TRANSFER_TO_HUMAN),
  sessionId: Id('the open session'),
  from: Type.Optional(Type.String({ maxLength: 64 })),
  transferInfo: Type.Optional(Type.String({ maxLength: 2_000, description: 'JSON, e.g. {"queueId":2}; absent: the session\'s own queue' })),
});
/** 2024: a notice from the customer's side; 6 takes back the message whose messageId is `notice`. */
export const ClientNoticeBody = Type.Object({
  type: kind(LaterRequestType.CLIENT_NOTICE),
  sessionId: Id('the session'),
  noticeType: Type.Integer({ minimum: 0, maximum: 999, description: '0 normal, 1 the browsing trail changed, 5 typing, 6 take a message back, 10–12, 99 custom' }),
  notice: Type.Optional(Type.String({ maxLength: 2_000, description: 'the text; for 6, the messageId of the message taken back' })),
});
/** 5004: who could answer in a queue now. */
export const AvailableAgentsBody = Type.Object({ type: kind(LaterRequestType.AVAILABLE_AGENTS), queueId: Id('the queue') });

/** 5003: the customer's messages, newest first: of one session, or (with a token) across their sessions on the channel. */
export const HistoryBody = Type.Object({
  type: kind(LaterRequestType.HISTORY),
  fromSessionId: Type.Optional(Id('only this session')),
  fromMessageId: Type.Optional(Id('only messages older than this one (paging back)')),
  maxCount: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 10 })),
  permFlag: Type.Optional(Type.Integer({ description: "the original's; not used" })),
});

export const AgentLogonBody = Type.Object({ type: kind(LaterRequestType.AGENT_LOGON), loginName: Type.String({ maxLength: 128 }), password: Type.String({ maxLength: 1024 }) });

// ---- media (2002 and 2005 with a token, 2003, 2004, 2006) ----

/** The caller's id of a message (later name of msgId): a retry with the same id is stored once. */
const MsgId = Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: 'the caller\'s id of the message (send it as messageId or msgId); a retry with the same id is stored once' }));
/** Opaque text kept with a message and shown to agents. */
const Extra = Type.Optional(Type.String({ maxLength: 4_000, description: 'opaque text kept with the message and shown to agents' }));
const UserType = Type.Optional(Type.Integer({ description: "the original's; taken and not used" }));
/** A file's address: a `url` a tpiu upload answered (a path on the platform), or an http(s) URL the platform fetches. */
const FileUri = (description: string) => Type.String({ minLength: 1, maxLength: MAX_URL_LENGTH, description });
/** Plain base64 (no data: prefix). */
const Base64 = (description: string) => Type.String({ minLength: 1, maxLength: 140_000_000, description });
const ThumbSize = Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 }));
const media = {
  time: Type.Optional(Type.Integer({ minimum: 0, maximum: 8_640_000_000_000_000, description: 'ms since the Unix epoch' })),
  msgId: MsgId,
  extra: Extra,
  userType: UserType,
};
const thumb = {
  thumbData: Type.Optional(Base64('a small picture, plain base64 PNG/JPEG/GIF/WebP')),
  thumbUri: Type.Optional(FileUri('or the picture\'s address')),
  thumbWidth: ThumbSize,
  thumbHeight: ThumbSize,
};

/** 2003: a voice message: AMR or MP3 (or what `uploads.types` allows), as base64 or by address. */
export const VoiceBody = Type.Object({
  type: kind(LaterRequestType.VOICE),
  sessionId: Id('the open session'),
  voiceLength: Type.Integer({ minimum: 0, maximum: 86_400, description: 'seconds' }),
  voiceData: Type.Optional(Base64('the recording, plain base64 (AMR as WeChat records it, or MP3)')),
  voiceUri: Type.Optional(FileUri('or its address (a tpiu url, or http(s))')),
  voiceType: Type.Optional(Type.String({ maxLength: 16, description: '"mp3": not AMR; the platform reads the format from the bytes either way' })),
  ...media,
});
/** 2004: where the customer is. */
export const LocationBody = Type.Object({
  type: kind(LaterRequestType.LOCATION),
  sessionId: Id('the open session'),
  latitude: Type.Number({ minimum: -90, maximum: 90 }),
  longitude: Type.Number({ minimum: -180, maximum: 180 }),
  poi: Type.Optional(Type.String({ maxLength: 512, description: 'the address or place name' })),
  map: Type.Optional(Type.String({ maxLength: 16, description: '"baidu" for Baidu coordinates (BD-09); otherwise Gaode (GCJ-02)' })),
  ...thumb,
  ...media,
});
/** 2006: a short video ("sight"). */
export const VideoBody = Type.Object({
  type: kind(LaterRequestType.VIDEO),
  sessionId: Id('the open session'),
  sightUri: FileUri('the video (a tpiu url, or http(s)); MP4 or WebM plays in the console'),
  sightLength: Type.Optional(Type.Integer({ minimum: 0, maximum: 86_400, description: 'seconds' })),
  sightName: Type.Optional(Type.String({ maxLength: 256 })),
  ...thumb,
  ...media,
});
/** 2002 in a later call: the image by address (or, as in the seed, a data URI). */
export const LaterImageBody = Type.Object({
  type: Type.Literal(RequestType.MSG_IMG_REQUEST),
  sessionId: Id('the open session'),
  clientId: Type.Optional(Type.String({ maxLength: MAX_CLIENT_ID_LENGTH, description: "the token's customer; may be left out" })),
  imageUri: Type.Optional(FileUri('the image: a tpiu url, or http(s)')),
  imgData: Type.Optional(Type.String({ minLength: 1, description: 'or, as in the seed, a data URI' })),
  imgName: Type.Optional(Type.String({ maxLength: 256 })),
  ...thumb,
  ...media,
});
/** 2005 in a later call: a file (the seed's pre-message is 2020 there). */
export const FileBody = Type.Object({
  type: Type.Literal(RequestType.PRE_MSG_REQUEST),
  sessionId: Id('the open session'),
  clientId: Type.Optional(Type.String({ maxLength: MAX_CLIENT_ID_LENGTH, description: "the token's customer; may be left out" })),
  name: Type.String({ minLength: 1, maxLength: 256, description: 'the file name shown to the agent' }),
  fileUrl: FileUri('the file: a tpiu url, or http(s)'),
  ...media,
});

/**
 * The later shapes of seed types: what a call with a token may carry besides the seed's fields.
 * A seed call (no token) is checked against the seed's schema, unchanged.
 */
export const LATER_SHAPES = {
  [RequestType.CHAT_REQUEST]: Type.Object({
    ...ChatRequestBody.properties,
    brand: Type.Optional(Type.String({ maxLength: 128, description: 'a second source field (which brand or app), shown to agents' })),
    tracks: Type.Optional(Type.String({ maxLength: 20_000, description: "the customer's browsing trail, a JSON string (an array of {title, url, time}); shown to agents" })),
    ip: Type.Optional(Type.String({ maxLength: 64, description: "the customer's address, shown to agents" })),
  }),
  [RequestType.MSG_REQUEST]: Type.Object({ ...TextMessageBody.properties, extra: Extra, userType: UserType }),
  [RequestType.MSG_IMG_REQUEST]: LaterImageBody,
  [RequestType.PRE_MSG_REQUEST]: FileBody,
  [RequestType.RATING_REQUEST]: Type.Object({
    ...RatingBody.properties,
    ratingExtends: Type.Optional(Type.Record(Type.String({ maxLength: 64 }), Type.Union([Type.String({ maxLength: 1_000 }), Type.Number(), Type.Boolean()]), { maxProperties: 32, description: 'more answers of the rating form, kept with the rating and shown to agents' })),
  }),
} as const satisfies Partial<Record<RequestType, TSchema>>;
export type LaterShapeType = keyof typeof LATER_SHAPES;
export type LaterShapeBody = { [K in LaterShapeType]: Static<(typeof LATER_SHAPES)[K]> }[LaterShapeType];
export function hasLaterShape(value: number): value is LaterShapeType {
  return Object.hasOwn(LATER_SHAPES, value);
}

/** The answer of `POST /webchat/tpiu` (and `/EliteWebChat/tpiu`). */
export const UploadAnswer = Type.Object({
  result: Type.Integer(),
  message: Type.String(),
  fileName: Type.Optional(Type.String({ description: 'the name the file was uploaded with' })),
  url: Type.Optional(Type.String({ description: 'a path on the platform: send it as imageUri, voiceUri, fileUrl or sightUri (of this customer\'s sessions only)' })),
  type: Type.Optional(Type.String({ description: 'added: the format its bytes are (pdf, amr, jpg…)' })),
  size: Type.Optional(Type.Integer()),
});
export type UploadAnswer = Static<typeof UploadAnswer>;

/** The schema of each later type's body that the platform answers. */
export const LATER_BODIES = {
  [LaterRequestType.LOGON]: LogonBody,
  [LaterRequestType.LOGOUT]: LogoutBody,
  [LaterRequestType.LOGON_OR_REGISTER]: LogonOrRegisterBody,
  [LaterRequestType.VISITOR_LOGON]: VisitorLogonBody,
  [LaterRequestType.AGENT_LOGON]: AgentLogonBody,
  [LaterRequestType.PRE_MSG]: PreMsgBody,
  [LaterRequestType.PREVIEW]: PreviewBody,
  [LaterRequestType.TYPING]: CustomerTypingBody,
  [LaterRequestType.TRANSFER_TO_HUMAN]: TransferToHumanBody,
  [LaterRequestType.AVAILABLE_AGENTS]: AvailableAgentsBody,
  [LaterRequestType.HISTORY]: HistoryBody,
  [LaterRequestType.CLIENT_NOTICE]: ClientNoticeBody,
  [LaterRequestType.VOICE]: VoiceBody,
  [LaterRequestType.LOCATION]: LocationBody,
  [LaterRequestType.VIDEO]: VideoBody,
} as const satisfies Partial<Record<LaterRequestType, TSchema>>;
export type LaterType = keyof typeof LATER_BODIES;

export const LogonAnswer = Type.Object({
  result: Type.Integer(),
  message: Type.String(),
  clientId: Type.Optional(Type.String()),
  token: Type.Optional(Type.String({ description: 'send it as `token` in later calls; it expires (24 h by default) and type 2 revokes it' })),
  expiresAt: Type.Optional(Type.Integer({ description: 'ms since the epoch' })),
});

export type LogonBody = Static<typeof LogonBody>;
export type LogoutBody = Static<typeof LogoutBody>;
export type LogonOrRegisterBody = Static<typeof LogonOrRegisterBody>;
export type VisitorLogonBody = Static<typeof VisitorLogonBody>;
export type AgentLogonBody = Static<typeof AgentLogonBody>;
export type PreMsgBody = Static<typeof PreMsgBody>;
export type PreviewBody = Static<typeof PreviewBody>;
export type CustomerTypingBody = Static<typeof CustomerTypingBody>;
export type TransferToHumanBody = Static<typeof TransferToHumanBody>;
export type AvailableAgentsBody = Static<typeof AvailableAgentsBody>;
export type HistoryBody = Static<typeof HistoryBody>;
export type ClientNoticeBody = Static<typeof ClientNoticeBody>;
export type VoiceBody = Static<typeof VoiceBody>;
export type LocationBody = Static<typeof LocationBody>;
export type VideoBody = Static<typeof VideoBody>;
export type LaterImageBody = Static<typeof LaterImageBody>;
export type FileBody = Static<typeof FileBody>;
export type LaterBody = { [K in LaterType]: Static<(typeof LATER_BODIES)[K]> }[LaterType];
export type LogonAnswer = Static<typeof LogonAnswer>;

export const TransferToHumanAnswer = Type.Object({
  result: Type.Integer(),
  message: Type.String(),
  requestId: Type.Optional(Type.Integer({ description: 'the request the chat waits as (its first one: it keeps its place by its first arrival)' })),
  queueLength: Type.Optional(Type.Integer({ description: "its place in the queue, 1-based; 0 once an agent has it" })),
  positionInQueueMessage: Type.Optional(Type.String({ description: "the queue's position sentence in the channel's language" })),
});
export const AvailableAgentsAnswer = Type.Object({
  result: Type.Integer(),
  message: Type.String(),
  agents: Type.Optional(
    Type.Array(Type.Object({ id: Type.String(), activeSessions: Type.Integer(), maxActiveSessions: Type.Integer() }), { description: "the queue's online agents" }),
  ),
});
export const HistoryMessage = Type.Object({
  id: Type.Integer(),
  sessionId: Type.Integer({ description: 'added: the session it belongs to' }),
  postTime: Type.Integer({ description: 'ms since the epoch' }),
  text: Type.String({ description: 'plain text with emoticon codes; an image: [image] and its name' }),
  messageType: Type.Integer({ description: '0 a message, 1 a notice (an event of the session)' }),
  revokeFlag: Type.Integer({ description: '1: taken back' }),
  userId: Type.String({ description: 'the clientId, or the agent id' }),
  userName: Type.String(),
  userType: Type.Integer({ description: '1 the customer, 2 an agent' }),
  icon: Type.String(),
});
export const HistoryAnswer = Type.Object({ result: Type.Integer(), message: Type.String(), hisMessages: Type.Optional(Type.Array(HistoryMessage, { description: 'newest first' })) });
export type HistoryMessage = Static<typeof HistoryMessage>;
export type TransferToHumanAnswer = Static<typeof TransferToHumanAnswer>;
export type AvailableAgentsAnswer = Static<typeof AvailableAgentsAnswer>;

export function isLaterType(value: unknown): value is LaterType {
  return typeof value === 'number' && Object.hasOwn(LATER_BODIES, value);
}
