/**
 * Which body and which answer each request type has, on the seed wire (no token) and the later
 * one (a token, or a type the seed never used). Every shape is the protocol package's; this file
 * only pairs them up and says which calls are safe to send twice.
 */
import {
  LaterRequestType,
  RequestType,
  type AgentLogonBody,
  type AvailableAgentsAnswer,
  type AvailableAgentsBody,
  type BasicAnswer,
  type CancelRequestBody,
  type ChatRequestAnswer,
  type ChatRequestBody,
  type ClientChangeAnswer,
  type ClientChangeBody,
  type ClientNoticeBody,
  type CloseBody,
  type CustomerTypingBody,
  type FileBody,
  type HistoryAnswer as HistoryAnswerSchema,
  type HistoryBody,
  type ImageMessageBody,
  type LaterImageBody,
  type LATER_SHAPES,
  type LocationBody,
  type LogonAnswer,
  type LogonBody,
  type LogonOrRegisterBody,
  type LogoutBody,
  type PreMessageBody,
  type PreMsgBody,
  type PreviewBody,
  type RatingBody,
  type RequestStateAnswer,
  type RequestStateBody,
  type TextMessageBody,
  type TransferToHumanAnswer,
  type TransferToHumanBody,
  type VideoBody,
  type VisitorLogonBody,
  type VoiceBody,
} from '@elitewebchat/protocol';
import type { Static } from 'typebox';

/** A later call's token: from logon(), logonOrRegister() or visitorLogon(). */
export interface WithToken {
  token?: string;
}
type Later<T> = T & { token: string };
export type HistoryAnswer = Static<typeof HistoryAnswerSchema>;
/** The media types' caller id (the later name of msgId): the client always sets one. */
export interface MessageId {
  messageId?: string;
}

/** Body (without `type`) and answer of each call, by the name the client gives it. */
export interface Calls {
  requestChat: { body: Omit<ChatRequestBody, 'type'> | Later<Omit<Static<(typeof LATER_SHAPES)[1000]>, 'type' | 'clientId'> & { clientId?: string }>; answer: ChatRequestAnswer };
  pollRequest: { body: Omit<RequestStateBody, 'type'> & WithToken; answer: RequestStateAnswer };
  cancelRequest: { body: Omit<CancelRequestBody, 'type'> & WithToken; answer: BasicAnswer };
  /** The seed's 2005: with a token, use preMessage() (2020); 2005 is a file there. */
  seedPreMessage: { body: Omit<PreMessageBody, 'type'>; answer: BasicAnswer };
  sendText: { body: Omit<TextMessageBody, 'type'> | Later<Omit<Static<(typeof LATER_SHAPES)[2001]>, 'type' | 'clientId'> & { clientId?: string }>; answer: BasicAnswer };
  sendImage: { body: Omit<ImageMessageBody, 'type'> | Later<Omit<LaterImageBody, 'type'> & MessageId>; answer: BasicAnswer };
  close: { body: Omit<CloseBody, 'type'> & WithToken; answer: BasicAnswer };
  rate: { body: (Omit<RatingBody, 'type'> & WithToken) | Later<Omit<Static<(typeof LATER_SHAPES)[5001]>, 'type'>>; answer: BasicAnswer };
  changeClient: { body: Omit<ClientChangeBody, 'type'> & WithToken; answer: ClientChangeAnswer };
  logon: { body: Omit<LogonBody, 'type'>; answer: LogonAnswer };
  logout: { body: Omit<LogoutBody, 'type'>; answer: BasicAnswer };
  logonOrRegister: { body: Omit<LogonOrRegisterBody, 'type'>; answer: LogonAnswer };
  visitorLogon: { body: Omit<VisitorLogonBody, 'type'>; answer: LogonAnswer };
  agentLogon: { body: Omit<AgentLogonBody, 'type'>; answer: BasicAnswer };
  sendVoice: { body: Omit<VoiceBody, 'type'> & WithToken & MessageId; answer: BasicAnswer };
  sendLocation: { body: Omit<LocationBody, 'type'> & WithToken & MessageId; answer: BasicAnswer };
  sendFile: { body: Later<Omit<FileBody, 'type'> & MessageId>; answer: BasicAnswer };
  sendVideo: { body: Omit<VideoBody, 'type'> & WithToken & MessageId; answer: BasicAnswer };
  preMessage: { body: Omit<PreMsgBody, 'type'> & WithToken; answer: BasicAnswer };
  preview: { body: Omit<PreviewBody, 'type'> & WithToken; answer: BasicAnswer };
  typing: { body: Omit<CustomerTypingBody, 'type'> & WithToken; answer: BasicAnswer };
  transferToHuman: { body: Omit<TransferToHumanBody, 'type'> & WithToken; answer: TransferToHumanAnswer };
  notice: { body: Omit<ClientNoticeBody, 'type'> & WithToken; answer: BasicAnswer };
  history: { body: Omit<HistoryBody, 'type'> & WithToken; answer: HistoryAnswer };
  availableAgents: { body: Omit<AvailableAgentsBody, 'type'> & WithToken; answer: AvailableAgentsAnswer };
}
export type CallName = keyof Calls;

/**
 * What may be sent again after an attempt whose outcome is unknown (a timeout, a connection
 * lost after the body went out):
 * - `always`: sending it twice does what sending it once does (polls, reads, a cancel, a
 *   rating, log-ins whose second token is as good as the first);
 * - `with-id`: a message the platform stores once per id; the client always gives one;
 * - `never`: a second one would be a second request, close, transfer or notice, or would answer
 *   an error for what the first did (1000 answers -1 for the request it made, 4001 -11 for the
 *   session it closed).
 * A call the platform answered -100 (nothing was changed), refused for its rate, or that never
 * reached it (connection refused) is sent again whatever its kind.
 */
export type Repeat = 'always' | 'with-id' | 'never';

export const CALLS: { readonly [N in CallName]: { readonly type: number; readonly repeat: Repeat } } = {
  requestChat: { type: RequestType.CHAT_REQUEST, repeat: 'never' },
  pollRequest: { type: RequestType.CHAT_REQUEST_STATE_UPDATE, repeat: 'always' },
  cancelRequest: { type: RequestType.CANCEL_CHAT_REQUEST, repeat: 'always' },
  seedPreMessage: { type: RequestType.PRE_MSG_REQUEST, repeat: 'never' },
  sendText: { type: RequestType.MSG_REQUEST, repeat: 'with-id' },
  sendImage: { type: RequestType.MSG_IMG_REQUEST, repeat: 'with-id' },
  close: { type: RequestType.CLOSE_REQUEST, repeat: 'never' },
  rate: { type: RequestType.RATING_REQUEST, repeat: 'always' },
  changeClient: { type: RequestType.CLIENT_CHANGE, repeat: 'always' },
  logon: { type: LaterRequestType.LOGON, repeat: 'always' },
  logout: { type: LaterRequestType.LOGOUT, repeat: 'never' },
  logonOrRegister: { type: LaterRequestType.LOGON_OR_REGISTER, repeat: 'always' },
  visitorLogon: { type: LaterRequestType.VISITOR_LOGON, repeat: 'always' },
  agentLogon: { type: LaterRequestType.AGENT_LOGON, repeat: 'always' },
  sendVoice: { type: LaterRequestType.VOICE, repeat: 'with-id' },
  sendLocation: { type: LaterRequestType.LOCATION, repeat: 'with-id' },
  sendFile: { type: RequestType.PRE_MSG_REQUEST, repeat: 'with-id' },
  sendVideo: { type: LaterRequestType.VIDEO, repeat: 'with-id' },
  preMessage: { type: LaterRequestType.PRE_MSG, repeat: 'never' },
  preview: { type: LaterRequestType.PREVIEW, repeat: 'always' },
  typing: { type: LaterRequestType.TYPING, repeat: 'always' },
  // A repeat after an agent took the chat would transfer it again, away from that agent.
  transferToHuman: { type: LaterRequestType.TRANSFER_TO_HUMAN, repeat: 'never' },
  notice: { type: LaterRequestType.CLIENT_NOTICE, repeat: 'never' },
  history: { type: LaterRequestType.HISTORY, repeat: 'always' },
  availableAgents: { type: LaterRequestType.AVAILABLE_AGENTS, repeat: 'always' },
};

/** Which id field a call of this name carries for de-duplication: the seed's msgId, or the later messageId. */
export function idField(name: CallName, body: WithToken): 'msgId' | 'messageId' | undefined {
  if (CALLS[name].repeat !== 'with-id') return undefined;
  if (name === 'sendText' || name === 'sendImage') return body.token ? 'messageId' : 'msgId';
  return 'messageId';
}
