/** The TPI's result code for each refusal of the domain. */
import { ResultCode } from '@elitewebchat/protocol';
import type { DomainErrorCode } from '../../common/domain-error.js';

export const RESULT_FOR_DOMAIN_ERROR: Readonly<Record<DomainErrorCode, ResultCode>> = {
  SESSION_NOT_FOUND: ResultCode.INVALID_CHAT_SESSION_ID,
  SESSION_CLOSED: ResultCode.INVALID_CHAT_SESSION_ID,
  NOT_THE_CUSTOMER: ResultCode.INVALID_TO_USER_ID,
  CLIENT_ID_TAKEN: ResultCode.INVALID_CLIENT_ID,
  REQUEST_NOT_FOUND: ResultCode.INVALID_CHAT_REQUEST_ID,
  REQUEST_NOT_WAITING: ResultCode.INVALID_CHAT_REQUEST_ID,
  QUEUE_NOT_FOUND: ResultCode.INVALID_QUEUE_ID,
  QUEUE_UNAVAILABLE: ResultCode.INVALID_SKILLGROUP,
  OUTSIDE_WORKING_HOURS: ResultCode.NOT_IN_WORKTIME,
  NO_AGENT_ONLINE: ResultCode.NO_AGENT_ONLINE,
  // No code of the protocol means "full"; NO_AGENT_ONLINE tells a client what to do: try later.
  QUEUE_FULL: ResultCode.NO_AGENT_ONLINE,
  ALREADY_CHATTING: ResultCode.ALREADY_IN_CHATTING,
  ALREADY_WAITING: ResultCode.REQUEST_ALREADY_IN_ROUTING,
  INVALID_INPUT: ResultCode.REQUEST_ERROR,
  RETRY: ResultCode.INTERNAL_ERROR,
  // Not reachable from the TPI; a code all the same, so that none is ever missing.
  BAD_CREDENTIALS: ResultCode.REQUEST_ERROR,
  PASSWORD_CHANGE_REQUIRED: ResultCode.REQUEST_ERROR,
  NOT_FOUND: ResultCode.REQUEST_ERROR,
  CONFLICT: ResultCode.REQUEST_ERROR,
};
