/**
 * The numeric codes of the TPI. The numbers are the wire; the names are spelt correctly here
 * (the original spells INVAILD_… and ROULTING), see PROTOCOL.md.
 */

export const RequestType = {
  CHAT_REQUEST: 1000,
  CHAT_REQUEST_STATE_UPDATE: 1001,
  CANCEL_CHAT_REQUEST: 1002,
  MSG_REQUEST: 2001,
  MSG_IMG_REQUEST: 2002,
  PRE_MSG_REQUEST: 2005,
  CLOSE_REQUEST: 4001,
  RATING_REQUEST: 5001,
  CLIENT_CHANGE: 5002,
} as const;
export type RequestType = (typeof RequestType)[keyof typeof RequestType];

export const ResultCode = {
  SUCCESS: 1,
  REQUEST_ALREADY_IN_ROUTING: -1,
  ALREADY_IN_CHATTING: -2,
  NOT_IN_WORKTIME: -3,
  INVALID_SKILLGROUP: -4,
  NO_AGENT_ONLINE: -5,
  INVALID_CLIENT_ID: -6,
  INVALID_QUEUE_ID: -7,
  REQUEST_ERROR: -8,
  INVALID_TO_USER_ID: -9,
  INVALID_CHAT_REQUEST_ID: -10,
  INVALID_CHAT_SESSION_ID: -11,
  INTERNAL_ERROR: -100,
} as const;
export type ResultCode = (typeof ResultCode)[keyof typeof ResultCode];

/**
 * The later wire (../shared/spec/LATER.md, docs/tpi.md "The later wire"): request types the seed
 * never used. A call with a `token` is a later call; a later call's answers may carry the later
 * result codes below. Seed calls keep answering seed codes only.
 */
export const LaterRequestType = {
  LOGON: 1,
  LOGOUT: 2,
  LOGON_OR_REGISTER: 3,
  VISITOR_LOGON: 4,
  AGENT_LOGON: 5,
  VOICE: 2003,
  LOCATION: 2004,
  VIDEO: 2006,
  PRE_MSG: 2020,
  PREVIEW: 2021,
  TYPING: 2022,
  TRANSFER_TO_HUMAN: 2023,
  CLIENT_NOTICE: 2024,
  HISTORY: 5003,
  AVAILABLE_AGENTS: 5004,
} as const;
export type LaterRequestType = (typeof LaterRequestType)[keyof typeof LaterRequestType];

/** Result codes only later calls (with a token, or of a later type) can answer. */
export const LaterResultCode = {
  INVALID_MESSAGE_TYPE: -12,
  UPLOAD_FILE_FAILED: -13,
  INVALID_TOKEN: -15,
  INVALID_FILE_EXTENSION: -16,
  EMPTY_MESSAGE: -17,
  INVALID_SESSION_TYPE: -18,
  INVALID_REQUEST_TYPE: -19,
  INVALID_LOGINNAME_OR_PASSWORD: -20,
  INVALID_FILE_SIZE: -21,
  UPLOAD_IMAGE_FAILED: -22,
  UPLOAD_VOICE_FAILED: -23,
  INVALID_SIGN: -30,
  TRANSFER_ERROR: -31,
  ALREADY_IN_OTHER_CHATTING: -32,
  INVALID_MESSAGE_ID: -33,
  CLIENT_UNTOUCHABLE: -34,
  DIFFERENT_SESSION_TYPE: -35,
} as const;
export type LaterResultCode = (typeof LaterResultCode)[keyof typeof LaterResultCode];

/** `noticeType` of 2024 and of `msg` callbacks with `type: "notice"`. */
export const NoticeType = {
  NORMAL: 0,
  TRACK_CHANGE: 1,
  TYPING: 5,
  REVOKE_MESSAGE: 6,
  INVITE_NOTICE: 10,
  TRANSFER_NOTICE: 11,
  USER_LEFT_NOTICE: 12,
  CUSTOM: 99,
} as const;
export type NoticeType = (typeof NoticeType)[keyof typeof NoticeType];

export const RequestStatus = {
  WAITING: 0,
  ACCEPTED: 1,
  REFUSED: 2,
  TIMEOUT: 3,
  DROPPED: 4,
  NO_AGENT_ONLINE: 5,
  OFF_HOUR: 6,
  CANCELED_BY_CLIENT: 7,
  ENTERPRISE_WECHAT_ACCEPTED: 11,
} as const;
export type RequestStatus = (typeof RequestStatus)[keyof typeof RequestStatus];

/** Where the customer is: decides the default avatar shown to agents. */
export const CLIENT_SOURCES = ['PC', 'MOBILE', 'WECHAT', 'APP'] as const;
export type ClientSource = (typeof CLIENT_SOURCES)[number];

/**
 * The callbacks the platform POSTs to `{base}/ThirdPartService/{name}`. `updateRequestStatus`
 * and `agentsUpdate` are the later wire's: only to channels whose laterCallbacks name them.
 */
export const CALLBACK_NAMES = ['create', 'msg', 'pushRating', 'close', 'updateRequestStatus', 'agentsUpdate'] as const;
export type CallbackName = (typeof CALLBACK_NAMES)[number];

/**
 * The later callbacks a channel may ask for (`laterCallbacks`); none by default: a seed third
 * party would answer them with errors. `agentsUpdate` replaces the second `create` after a
 * transfer; `typing` is the agent's typing as a `msg` notice (NoticeType.TYPING).
 */
export const LATER_CALLBACKS = ['updateRequestStatus', 'agentsUpdate', 'typing', 'richContent'] as const;
export type LaterCallback = (typeof LATER_CALLBACKS)[number];

function nameOf<T extends Record<string, number>>(table: T, value: number): keyof T | undefined {
  for (const key of Object.keys(table) as (keyof T)[]) if (table[key] === value) return key;
  return undefined;
}

export function requestStatusName(status: number): string {
  return String(nameOf(RequestStatus, status) ?? `UNKNOWN(${status})`);
}

/**
 * Why a request ended without a chat, as the 1001 answer's message says it (after `success; `):
 * the platform's wording, which the SDK's stand-in platform repeats.
 */
export const ENDED_REASONS: Readonly<Partial<Record<number, string>>> = {
  [RequestStatus.TIMEOUT]: "ended: it waited longer than the queue's maxWaitSeconds",
  [RequestStatus.DROPPED]: "ended: no 1001 or 2005 came for the queue's dropAfterSilentSeconds (or its queue was removed)",
  [RequestStatus.NO_AGENT_ONLINE]: 'ended: no agent of the queue was online, and the queue refuses then',
  [RequestStatus.OFF_HOUR]: 'ended: the queue closed (its working hours, a closed date or special hours)',
  [RequestStatus.CANCELED_BY_CLIENT]: 'ended: cancelled by the client (1002)',
  [RequestStatus.REFUSED]: 'ended: refused by the agents it was offered to',
};

export function resultCodeName(code: number): string {
  return String(nameOf(ResultCode, code) ?? nameOf(LaterResultCode, code) ?? `UNKNOWN(${code})`);
}

export function isRequestType(value: unknown): value is RequestType {
  return typeof value === 'number' && (Object.values(RequestType) as number[]).includes(value);
}
