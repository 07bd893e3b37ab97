/**
 * `POST /EliteWebChat/tpi`. Every well-formed HTTP request gets HTTP 200 and a `result` code,
 * whatever is wrong with its body (PROTOCOL.md, "Settled points of transport"): clients of
 * this protocol read `result`, not the status. Bodies are read as JSON whatever content type
 * they declare, since older clients send none or text/plain.
 */
import {
  ChatRequestAnswer,
  ClientChangeAnswer,
  ResultCode,
  RequestStateAnswer,
  TPI_BODIES,
  resultCodeName,
  type TpiAnswer,
} from '@elitewebchat/protocol';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { TpiError } from '../../errors.js';
import type { Metrics } from '../ops/metrics.js';
import type { ChannelDirectory } from './channels.js';
import { dispatchTpi, type TpiServices } from './dispatch.js';
import { parseTpi } from './parse.js';

export interface TpiRouteDeps extends TpiServices {
  channels: ChannelDirectory;
  metrics: Metrics;
  bodyLimit: number;
}

export async function tpiRoutes(app: FastifyInstance, deps: TpiRouteDeps): Promise<void> {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: deps.bodyLimit }, (_request, body, done) => done(null, body));

  // Whatever fails before or inside the handler still answers 200 with a result code.
  app.setErrorHandler((error, request, reply) => {
    const e = error as { code?: string; statusCode?: number; message: string };
    let answer: TpiAnswer;
    if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      answer = { result: ResultCode.REQUEST_ERROR, message: `body is larger than the ${deps.bodyLimit} byte limit` };
    } else if (e.statusCode !== undefined && e.statusCode >= 400 && e.statusCode < 500) {
      answer = { result: ResultCode.REQUEST_ERROR, message: `unreadable request: ${e.message}` };
    } else {
      request.log.error({ err: error }, 'TPI call failed');
      answer = { result: ResultCode.INTERNAL_ERROR, message: 'internal error; the call was not carried out, try again' };
    }
    deps.metrics.tpiCalls.inc({ type: 'unknown', result: resultCodeName(answer.result) });
    return reply.code(200).send(answer);
  });

  app.post(
    '/EliteWebChat/tpi',
    {
      schema: {
        tags: ['tpi'],
        summary: 'Every call of a third party: the body\'s numeric "type" says which',
        description: 'Always HTTP 200; read `result`. See docs/tpi.md.',
        body: Type.Union(Object.values(TPI_BODIES)),
        response: { 200: Type.Union([ChatRequestAnswer, RequestStateAnswer, ClientChangeAnswer]) },
      },
      // The body is a Buffer here; parseTpi validates it against the same schemas, with answers
      // in the protocol's terms instead of HTTP 400.
      validatorCompiler: () => () => true,
      serializerCompiler: () => (data) => JSON.stringify(data),
    },
    async (request) => {
      const started = process.hrtime.bigint();
      let type = 'unknown';
      let answer: TpiAnswer;
      try {
        const channel = deps.channels.resolve(header(request.headers['x-webchat-key']), header(request.headers['x-webchat-channel']));
        const { body, ignoredFields } = parseTpi(request.body as Buffer | undefined);
        type = String(body.type);
        answer = await dispatchTpi(deps, channel, body);
        if (ignoredFields.length > 0) answer.message += `; ignored unknown field(s): ${ignoredFields.join(', ')}`;
      } catch (error) {
        if (!(error instanceof TpiError)) throw error;
        answer = { result: error.result, message: error.message };
      }
      deps.metrics.tpiCalls.inc({ type, result: resultCodeName(answer.result) });
      deps.metrics.tpiSeconds.observe({ type }, Number(process.hrtime.bigint() - started) / 1e9);
      return answer;
    },
  );
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
