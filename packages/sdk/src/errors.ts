/** What a TPI call can fail with: the platform's answer, or no answer at all. */
import { resultCodeName } from '@elitewebchat/protocol';

/** The platform answered, with a `result` other than 1. */
export class TpiError extends Error {
  override readonly name = 'TpiError';
  /** The `result` code, e.g. -11. */
  readonly code: number;
  /** Its name, e.g. INVALID_CHAT_SESSION_ID (ResultCode / LaterResultCode). */
  readonly codeName: string;
  /** The request type called. */
  readonly type: number;
  /** The whole answer, as it came. */
  readonly answer: Readonly<Record<string, unknown>> & { result: number; message: string };

  constructor(type: number, answer: Readonly<Record<string, unknown>> & { result: number; message: string }) {
    super(`TPI ${type} answered ${answer.result} ${resultCodeName(answer.result)}: ${answer.message}`);
    this.code = answer.result;
    this.codeName = resultCodeName(answer.result);
    this.type = type;
    this.answer = answer;
  }
}

/**
 * No answer came. `carriedOut` says whether the platform may have carried the call out: false
 * when it never got it (connection refused); undefined when nobody can know (a timeout, a lost
 * connection), in which case it was not sent again unless that is safe for its type.
 */
export class TpiTransportError extends Error {
  override readonly name = 'TpiTransportError';
  readonly type: number;
  readonly attempts: number;
  readonly carriedOut: false | undefined;

  constructor(type: number, attempts: number, carriedOut: false | undefined, cause: unknown) {
    super(`TPI ${type}: no answer after ${attempts} attempt(s): ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.type = type;
    this.attempts = attempts;
    this.carriedOut = carriedOut;
  }
}
