/**
 * The errors of the two boundaries, each in one registry.
 *
 * TpiError carries a TPI result code: the TPI boundary answers it as HTTP 200
 * `{result, message}`. ApiError carries an HTTP status and a stable code for the agent,
 * supervisor and admin APIs. The domain's own refusals (DomainError) become one or the other
 * through a table per boundary. Anything else that escapes a handler is logged and becomes
 * INTERNAL_ERROR / 500.
 */
import type { LaterResultCode, ResultCode } from '@elitewebchat/protocol';
import type { DomainErrorCode } from './common/domain-error.js';

export class TpiError extends Error {
  constructor(
    /** A later result code only for later calls (docs/tpi.md, "The later wire"). */
    readonly result: ResultCode | LaterResultCode,
    message: string,
  ) {
    super(message);
    this.name = 'TpiError';
  }
}

export const API_ERRORS = {
  BAD_REQUEST: 400,
  UNAUTHENTICATED: 401,
  BAD_CREDENTIALS: 401,
  FORBIDDEN: 403,
  PASSWORD_CHANGE_REQUIRED: 403,
  TOO_MANY_ATTEMPTS: 429,
  NOT_FOUND: 404,
  SESSION_NOT_FOUND: 404,
  SESSION_CLOSED: 409,
  CONFLICT: 409,
  QUEUE_UNAVAILABLE: 409,
  OUTSIDE_WORKING_HOURS: 409,
  NO_AGENT_ONLINE: 409,
  QUEUE_FULL: 409,
  ALREADY_WAITING: 409,
  ALREADY_CHATTING: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  INTERNAL_ERROR: 500,
  /** Cluster mode: this node has lost Redis for now (cluster/unavailable.ts). */
  UNAVAILABLE: 503,
} as const;
export type ApiErrorCode = keyof typeof API_ERRORS;

export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = API_ERRORS[code];
  }
}

/** The HTTP APIs' error for each refusal of the domain. */
export const API_ERROR_FOR_DOMAIN_ERROR: Readonly<Record<DomainErrorCode, ApiErrorCode>> = {
  SESSION_NOT_FOUND: 'SESSION_NOT_FOUND',
  SESSION_CLOSED: 'SESSION_CLOSED',
  NOT_THE_CUSTOMER: 'FORBIDDEN',
  CLIENT_ID_TAKEN: 'CONFLICT',
  REQUEST_NOT_FOUND: 'NOT_FOUND',
  REQUEST_NOT_WAITING: 'CONFLICT',
  QUEUE_NOT_FOUND: 'NOT_FOUND',
  QUEUE_UNAVAILABLE: 'QUEUE_UNAVAILABLE',
  OUTSIDE_WORKING_HOURS: 'OUTSIDE_WORKING_HOURS',
  NO_AGENT_ONLINE: 'NO_AGENT_ONLINE',
  QUEUE_FULL: 'QUEUE_FULL',
  ALREADY_CHATTING: 'ALREADY_CHATTING',
  ALREADY_WAITING: 'ALREADY_WAITING',
  INVALID_INPUT: 'BAD_REQUEST',
  RETRY: 'CONFLICT',
  BAD_CREDENTIALS: 'BAD_CREDENTIALS',
  PASSWORD_CHANGE_REQUIRED: 'PASSWORD_CHANGE_REQUIRED',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
};
