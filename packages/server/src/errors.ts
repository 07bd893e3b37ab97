/**
 * The two error families of the server, each in one registry.
 *
 * TpiError carries a TPI result code: the TPI boundary answers it as HTTP 200
 * `{result, message}`. ApiError carries an HTTP status and a stable code for the agent API.
 * Anything else that escapes a handler is logged and becomes INTERNAL_ERROR / 500.
 */
import type { ResultCode } from '@elitewebchat/protocol';

export class TpiError extends Error {
  constructor(
    readonly result: ResultCode,
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
  TOO_MANY_ATTEMPTS: 429,
  NOT_FOUND: 404,
  SESSION_NOT_FOUND: 404,
  SESSION_CLOSED: 409,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  INTERNAL_ERROR: 500,
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
