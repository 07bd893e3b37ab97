/**
 * Every body of `POST /EliteWebChat/tpi` and its answer, as JSON Schema (TypeBox).
 * Validation, TypeScript types and the OpenAPI document all come from these.
 */
import Type, { type Static, type TSchema } from 'typebox';
import { CLIENT_SOURCES, RequestType } from './codes.js';
import { MAX_CLIENT_ID_LENGTH, MAX_NICKNAME_LENGTH, MAX_TEXT_LENGTH, MAX_URL_LENGTH } from './limits.js';

const Id = (description: string) =>
  Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description });
const Time = Type.Integer({ minimum: 0, maximum: 8_640_000_000_000_000, description: 'ms since the Unix epoch' });
const ClientId = Type.String({
  minLength: 1,
  maxLength: MAX_CLIENT_ID_LENGTH,
  pattern: '^[^\\u0000-\\u001f\\u007f]+$',
  description: "the customer's unique id within the calling channel",
});
const Text = Type.String({ minLength: 1, maxLength: MAX_TEXT_LENGTH, description: 'message text; emoticons as codes' });
const kind = <T extends RequestType>(value: T) => Type.Literal(value);
/** Not in the original: a third party's own message id; a retried 2001/2002 with the same id is stored once. */
const MsgId = Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: "optional: the third party's message id, for de-duplicating retries" }));

export const ChatRequestBody = Type.Object({
  type: kind(RequestType.CHAT_REQUEST),
  clientId: ClientId,
  nickname: Type.Optional(Type.String({ maxLength: MAX_NICKNAME_LENGTH, description: 'defaults to clientId' })),
  time: Type.Optional(Time),
  queueId: Id('the queue to wait in'),
  from: Type.Optional(Type.Enum(CLIENT_SOURCES, { description: 'defaults to PC' })),
  serverAddr: Type.Optional(
    Type.String({ minLength: 1, maxLength: MAX_URL_LENGTH, description: 'base URL for every callback about this request' }),
  ),
});
export const RequestStateBody = Type.Object({ type: kind(RequestType.CHAT_REQUEST_STATE_UPDATE), requestId: Id('from the 1000 answer') });
export const CancelRequestBody = Type.Object({ type: kind(RequestType.CANCEL_CHAT_REQUEST), requestId: Id('from the 1000 answer') });
export const PreMessageBody = Type.Object({ type: kind(RequestType.PRE_MSG_REQUEST), requestId: Id('from the 1000 answer'), text: Text });
export const TextMessageBody = Type.Object({
  type: kind(RequestType.MSG_REQUEST),
  sessionId: Id('from the create callback'),
  clientId: ClientId,
  time: Type.Optional(Time),
  text: Text,
  msgId: MsgId,
});
export const ImageMessageBody = Type.Object({
  type: kind(RequestType.MSG_IMG_REQUEST),
  sessionId: Id('from the create callback'),
  clientId: ClientId,
  time: Type.Optional(Time),
  imgName: Type.Optional(Type.String({ maxLength: 256 })),
  imgData: Type.String({ minLength: 1, description: 'an HTML5 data URI: data:image/png;base64,...' }),
  msgId: MsgId,
});
export const CloseBody = Type.Object({ type: kind(RequestType.CLOSE_REQUEST), sessionId: Id('the session to end'), time: Type.Optional(Time) });
export const RatingBody = Type.Object({
  type: kind(RequestType.RATING_REQUEST),
  sessionId: Id('the session rated'),
  ratingId: Type.Integer({ minimum: -2_147_483_648, maximum: 2_147_483_647, description: "meaning configured per deployment" }),
  ratingComments: Type.Optional(Type.String({ maxLength: 2_000 })),
});
export const ClientChangeBody = Type.Object({
  type: kind(RequestType.CLIENT_CHANGE),
  sessionId: Id('the session whose customer changes id'),
  clientId: ClientId,
});

/** The schema of each request type's body. */
export const TPI_BODIES = {
  [RequestType.CHAT_REQUEST]: ChatRequestBody,
  [RequestType.CHAT_REQUEST_STATE_UPDATE]: RequestStateBody,
  [RequestType.CANCEL_CHAT_REQUEST]: CancelRequestBody,
  [RequestType.PRE_MSG_REQUEST]: PreMessageBody,
  [RequestType.MSG_REQUEST]: TextMessageBody,
  [RequestType.MSG_IMG_REQUEST]: ImageMessageBody,
  [RequestType.CLOSE_REQUEST]: CloseBody,
  [RequestType.RATING_REQUEST]: RatingBody,
  [RequestType.CLIENT_CHANGE]: ClientChangeBody,
} as const satisfies Record<RequestType, TSchema>;

export type ChatRequestBody = Static<typeof ChatRequestBody>;
export type RequestStateBody = Static<typeof RequestStateBody>;
export type CancelRequestBody = Static<typeof CancelRequestBody>;
export type PreMessageBody = Static<typeof PreMessageBody>;
export type TextMessageBody = Static<typeof TextMessageBody>;
export type ImageMessageBody = Static<typeof ImageMessageBody>;
export type CloseBody = Static<typeof CloseBody>;
export type RatingBody = Static<typeof RatingBody>;
export type ClientChangeBody = Static<typeof ClientChangeBody>;
export type TpiBody = { [K in RequestType]: Static<(typeof TPI_BODIES)[K]> }[RequestType];

/**
 * A body field whose absence or wrong type has its own result code; any other bad field is
 * REQUEST_ERROR (-8).
 */
export const FIELD_RESULT: Readonly<Record<string, number>> = {
  clientId: -6,
  queueId: -7,
  requestId: -10,
  sessionId: -11,
};

const Result = Type.Integer({ description: 'see the result codes: 1 is SUCCESS' });
const Message = Type.String({ description: 'success, or what was wrong' });
export const BasicAnswer = Type.Object({ result: Result, message: Message });
/** Added to the original protocol: old clients ignore it. */
const EstimatedWait = Type.Integer({
  minimum: 0,
  description: 'estimated wait in whole seconds (docs/tpi.md, "Estimated wait"); only while the request waits and the queue has recent history',
});
export const ChatRequestAnswer = Type.Object({
  result: Result,
  message: Message,
  requestId: Type.Optional(Type.Integer()),
  queueLength: Type.Optional(Type.Integer({ description: "the request's 1-based position in its queue; 0 once it is not waiting" })),
  continueLastSession: Type.Optional(Type.Boolean()),
  estimatedWaitSeconds: Type.Optional(EstimatedWait),
  positionInQueueMessage: Type.Optional(Type.String({ description: "later calls only (with a token): the queue's position sentence in the channel's language" })),
});
export const RequestStateAnswer = Type.Object({
  result: Result,
  message: Message,
  requestStatus: Type.Optional(Type.Integer({ description: 'see the request states' })),
  queueLength: Type.Optional(Type.Integer({ description: "the request's 1-based position in its queue; 0 once it is not waiting" })),
  estimatedWaitSeconds: Type.Optional(EstimatedWait),
});
export const ClientChangeAnswer = Type.Object({
  result: Result,
  message: Message,
  clientId: Type.Optional(Type.String()),
  sessionId: Type.Optional(Type.Integer()),
});
export type BasicAnswer = Static<typeof BasicAnswer>;
export type ChatRequestAnswer = Static<typeof ChatRequestAnswer>;
export type RequestStateAnswer = Static<typeof RequestStateAnswer>;
export type ClientChangeAnswer = Static<typeof ClientChangeAnswer>;
/** Any answer: the seed's fields, and the later wire's (LATER_BODIES' answers, tpi-later.ts). */
export type TpiAnswer = BasicAnswer &
  Partial<ChatRequestAnswer & RequestStateAnswer & ClientChangeAnswer> & {
    clientId?: string;
    token?: string;
    positionInQueueMessage?: string;
    expiresAt?: number;
    agents?: { id: string; activeSessions: number; maxActiveSessions: number }[];
    hisMessages?: {
      id: number;
      sessionId: number;
      postTime: number;
      text: string;
      messageType: number;
      revokeFlag: number;
      userId: string;
      userName: string;
      userType: number;
      icon: string;
    }[];
  };
