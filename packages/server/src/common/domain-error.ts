/**
 * What the domain refuses, in its own terms. Services throw these and know no transport; the
 * TPI boundary turns them into result codes (modules/tpi/domain-results.ts), the HTTP APIs
 * into status codes (errors.ts), each through a table the compiler keeps complete.
 */
export const DOMAIN_ERRORS = [
  /** No such session, or not the caller's (another channel's, another agent's). */
  'SESSION_NOT_FOUND',
  'SESSION_CLOSED',
  /** The clientId given is not the customer of the session. */
  'NOT_THE_CUSTOMER',
  /** A customer id already has another open session. */
  'CLIENT_ID_TAKEN',
  /** No such request, or not the caller's. */
  'REQUEST_NOT_FOUND',
  'REQUEST_NOT_WAITING',
  'QUEUE_NOT_FOUND',
  /** The queue exists but serves nobody: disabled, or without agents. */
  'QUEUE_UNAVAILABLE',
  'OUTSIDE_WORKING_HOURS',
  'NO_AGENT_ONLINE',
  'QUEUE_FULL',
  /** The customer is chatting in another queue's session. */
  'ALREADY_CHATTING',
  /** The customer already has a request waiting. */
  'ALREADY_WAITING',
  /** A value the caller sent cannot be used (a serverAddr, an image). */
  'INVALID_INPUT',
  /** Something changed under the caller between two steps; asking again will do. */
  'RETRY',
  'BAD_CREDENTIALS',
  /** A one-time password must be changed before anything else. */
  'PASSWORD_CHANGE_REQUIRED',
  'NOT_FOUND',
  /** What was asked cannot happen in the state things are in (an agent without room, a chat already theirs). */
  'CONFLICT',
] as const;
export type DomainErrorCode = (typeof DOMAIN_ERRORS)[number];

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
