/**
 * What a TPI endpoint answers, as HTTP 200 with a `result`, for a request that failed before or
 * outside its handler: a body over the limit, an unreadable request, or an internal error.
 */
import { ResultCode, type TpiAnswer } from '@elitewebchat/protocol';
import type { FastifyBaseLogger } from 'fastify';

export interface TransportAnswers {
  /** For a body over the limit. */
  tooLarge: TpiAnswer;
  /** The code of an unreadable request. */
  unreadable: number;
  /** The message of an internal error: what was not done. */
  internal: string;
}

export function transportAnswer(error: unknown, log: FastifyBaseLogger, answers: TransportAnswers): TpiAnswer {
  const e = error as { code?: string; statusCode?: number; message: string };
  if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return answers.tooLarge;
  if (e.statusCode !== undefined && e.statusCode >= 400 && e.statusCode < 500) return { result: answers.unreadable, message: `unreadable request: ${e.message}` };
  log.error({ err: error }, 'TPI call failed');
  return { result: ResultCode.INTERNAL_ERROR, message: answers.internal };
}
