/**
 * `POST /EliteWebChat/tpi` (also `/webchat/tpi`). Every well-formed HTTP request gets HTTP 200 and a `result` code,
 * whatever is wrong with its body (PROTOCOL.md, "Settled points of transport"): clients of
 * this protocol read `result`, not the status. Bodies are read as JSON whatever content type
 * they declare, since older clients send none or text/plain.
 */
import {
  ChatRequestAnswer,
  ClientChangeAnswer,
  LATER_BODIES,
  LaterRequestType,
  LogonAnswer,
  TransferToHumanAnswer,
  AvailableAgentsAnswer,
  HistoryAnswer,
  RequestType,
  ResultCode,
  hasLaterShape,
  isLaterType,
  type LaterBody,
  RequestStateAnswer,
  TPI_BODIES,
  resultCodeName,
  type TpiAnswer,
  type TpiBody,
  type LaterShapeBody,
} from '@elitewebchat/protocol';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { DomainError } from '../../common/domain-error.js';
import { TpiError } from '../../errors.js';
import { RESULT_FOR_DOMAIN_ERROR } from './domain-results.js';
import type { Metrics } from '../../metrics.js';
import { AuthError, type TpiAuthenticator } from './authenticate.js';
import type { RateLimiter } from '../../cluster/rate-limiter.js';
import { dispatchTpi, type TpiServices } from './dispatch.js';
import { checkLater, checkLaterShape, checkTpi, readTpi } from './parse.js';
import { dispatchMedia, type MediaServices } from './media-calls.js';
import { positionSentence } from './position.js';
import { transportAnswer } from './transport-errors.js';
import { applyToken, checkOwnership, dispatchLater, takeMessageId } from './later-calls.js';
import type { CustomerService } from '../customers/index.js';
import type { TransferService } from '../chat/index.js';
import type { Db } from '../../db/database.js';

/** Where the TPI is served: the seed document's path, and the prefix later deployments used. */
export const TPI_PATHS = ['/EliteWebChat/tpi', '/webchat/tpi'] as const;

export interface TpiRouteDeps extends TpiServices, MediaServices {
  db: Db;
  customers: CustomerService;
  transfers: TransferService;
  auth: TpiAuthenticator;
  metrics: Metrics;
  bodyLimit: number;
  channelRate: RateLimiter;
  clientRate: RateLimiter;
}

export async function tpiRoutes(app: FastifyInstance, deps: TpiRouteDeps): Promise<void> {
  // Metric children by label, made once: labelling on every call costs more than counting.
  const counters = new Map<string, ReturnType<Metrics['tpiCalls']['labels']>>();
  const counted = (type: string, result: number) => {
    const key = `${type}/${result}`;
    let c = counters.get(key);
    if (!c) counters.set(key, (c = deps.metrics.tpiCalls.labels({ type, result: resultCodeName(result) })));
    return c;
  };
  const timers = new Map<string, ReturnType<Metrics['tpiSeconds']['labels']>>();
  const timed = (type: string) => {
    let t = timers.get(type);
    if (!t) timers.set(type, (t = deps.metrics.tpiSeconds.labels({ type })));
    return t;
  };

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: deps.bodyLimit }, (_request, body, done) => done(null, body));

  // Whatever fails before or inside the handler still answers 200 with a result code.
  app.setErrorHandler((error, request, reply) => {
    const answer = transportAnswer(error, request.log, {
      tooLarge: { result: ResultCode.REQUEST_ERROR, message: `body is larger than the ${deps.bodyLimit} byte limit` },
      unreadable: ResultCode.REQUEST_ERROR,
      internal: 'internal error; the call was not carried out, try again',
    });
    counted('unknown', answer.result).inc();
    return reply.code(200).send(answer);
  });

  // The original's deployments served the TPI under both prefixes; clients use either.
  for (const url of TPI_PATHS) app.post(
    url,
    {
      schema: {
        tags: ['tpi'],
        summary: 'Every call of a third party: the body\'s numeric "type" says which',
        description: 'Always HTTP 200; read `result`. See docs/tpi.md.',
        body: Type.Union([...Object.values(TPI_BODIES), ...Object.values(LATER_BODIES)]),
        response: { 200: Type.Union([ChatRequestAnswer, RequestStateAnswer, ClientChangeAnswer, LogonAnswer, TransferToHumanAnswer, AvailableAgentsAnswer, HistoryAnswer]) },
      },
      // The body is a Buffer here; parseTpi validates it against the same schemas, with answers
      // in the protocol's terms instead of HTTP 400.
      validatorCompiler: () => () => true,
      serializerCompiler: () => (data) => JSON.stringify(data),
    },
    async (request) => {
      const started = performance.now();
      let type = 'unknown';
      let answer: TpiAnswer;
      try {
        const raw = request.body as Buffer | undefined;
        const channel = await deps.auth.authenticate({
          key: header(request.headers['x-webchat-key']),
          channelId: header(request.headers['x-webchat-channel']),
          address: () => request.ip,
          timestamp: header(request.headers['x-webchat-timestamp']),
          signature: header(request.headers['x-webchat-signature']),
          body: raw,
        });
        if (!(await deps.channelRate.take(channel.id))) throw new RateError(`channel ${channel.id} is over its rate limit; slow down`);
        const record = readTpi(raw);
        type = String(record.type);
        let ignored: string[];
        if (isLaterType(record.type)) {
          // Types the seed never used: the later wire's, with or without a token (2 takes its token as its subject).
          const customer = record.type !== LaterRequestType.LOGOUT && record.token !== undefined ? await applyToken(deps.customers, channel, record) : undefined;
          takeMessageId(record, customer !== undefined);
          const { body, ignoredFields } = checkLater(record);
          if (!(await deps.clientRate.take(`${channel.id}\u0000${customer ? `c:${customer.clientId}` : laterKey(body)}`))) throw new RateError(`too many calls for this customer; slow down`);
          if (customer) await checkOwnership(deps.db, channel, body, customer);
          answer = await dispatchLater(deps, channel, body, customer);
          ignored = ignoredFields;
        } else {
          // A call with a token is a later call: its customer is the token's; without one, the seed's, unchanged.
          const customer = record.token === undefined ? undefined : await applyToken(deps.customers, channel, record);
          // With a token the later shapes apply: 1000, 2001 and 5001 carry more, 2002 takes an
          // address, and 2005 is a FILE (the seed's pre-message is 2020 there).
          const { body, ignoredFields } = customer && hasLaterShape(record.type) ? checkLaterShape(record) : checkTpi(record);
          if (!(await deps.clientRate.take(`${channel.id}\u0000${customer ? `c:${customer.clientId}` : customerKey(body)}`))) throw new RateError(`too many calls for this customer; slow down`);
          if (customer) await checkOwnership(deps.db, channel, body, customer);
          answer =
            customer && (body.type === RequestType.PRE_MSG_REQUEST || body.type === RequestType.MSG_IMG_REQUEST)
              ? await dispatchMedia(deps, channel, body as Parameters<typeof dispatchMedia>[2], customer.clientId)
              : await dispatchTpi(deps, channel, body as Parameters<typeof dispatchTpi>[2]);
          // A later 1000 that waits is also told its place in words.
          if (customer && body.type === RequestType.CHAT_REQUEST && (answer.queueLength ?? 0) > 0) {
            const queue = await deps.db.selectFrom('queues').select('position_message').where('id', '=', body.queueId).executeTakeFirst();
            answer.positionInQueueMessage = positionSentence(queue, channel.language, answer.queueLength!);
          }
          ignored = ignoredFields;
        }
        if (ignored.length > 0) answer.message += `; ignored unknown field(s): ${ignored.join(', ')}`;
      } catch (error) {
        if (error instanceof DomainError) {
          answer = { result: RESULT_FOR_DOMAIN_ERROR[error.code], message: error.message };
        } else if (error instanceof TpiError) {
          answer = { result: error.result, message: error.message };
          if (error instanceof AuthError) {
            deps.metrics.tpiRefused.inc({ reason: error.reason });
            request.log.warn({ ip: request.ip, reason: error.reason, message: error.message }, 'TPI call refused');
          } else if (error instanceof RateError) {
            deps.metrics.tpiRefused.inc({ reason: 'rate' });
          }
        } else {
          throw error;
        }
      }
      counted(type, answer.result).inc();
      timed(type).observe((performance.now() - started) / 1000);
      return answer;
    },
  );
}

class RateError extends TpiError {
  constructor(message: string) {
    super(ResultCode.REQUEST_ERROR, `rate limit: ${message}`);
  }
}

/** Whom a log-in is about, for the per-customer limit. */
function laterKey(body: LaterBody): string {
  if ('loginName' in body) return `l:${body.loginName}`;
  if ('visitorId' in body) return `v:${body.visitorId.toLowerCase()}`;
  if ('sessionId' in body) return `s:${body.sessionId}`;
  if ('requestId' in body) return `r:${body.requestId}`;
  return `t:${body.type}`;
}

/** Whom a call is about, for the per-customer limit: the client id when the body has one. */
function customerKey(body: TpiBody | LaterShapeBody): string {
  if ('clientId' in body) return `c:${body.clientId}`;
  if ('sessionId' in body) return `s:${body.sessionId}`;
  if ('requestId' in body) return `r:${body.requestId}`;
  return '';
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
