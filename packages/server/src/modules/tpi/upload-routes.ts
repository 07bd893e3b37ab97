/**
 * `POST /webchat/tpiu` (also `/EliteWebChat/tpiu`): a later client uploads a customer's file
 * (multipart: `fileToUpload`, `token`) and then names it by the answered `url` in 2002, 2003,
 * 2005 or 2006. The channel authenticates exactly as on the TPI (a signature covers the whole
 * multipart body); the token must be of that channel. Always HTTP 200 with a `result`.
 */
import { LaterResultCode, ResultCode, UploadAnswer, resultCodeName } from '@elitewebchat/protocol';
import type { FastifyInstance } from 'fastify';
import { TpiError } from '../../errors.js';
import type { Metrics } from '../../metrics.js';
import type { RateLimiter } from '../../cluster/rate-limiter.js';
import { FileError, type FileStore } from '../../files/file-store.js';
import { MultipartError, readMultipart } from '../../files/multipart.js';
import type { CustomerService } from '../customers/index.js';
import { AuthError, type TpiAuthenticator } from './authenticate.js';
import { transportAnswer } from './transport-errors.js';

export const TPIU_PATHS = ['/EliteWebChat/tpiu', '/webchat/tpiu'] as const;

export interface UploadRouteDeps {
  auth: TpiAuthenticator;
  customers: CustomerService;
  files: FileStore;
  metrics: Metrics;
  channelRate: RateLimiter;
  clientRate: RateLimiter;
  /** The largest upload body the platform reads; a channel's uploads.maxBytes applies within it. */
  bodyLimit: number;
}

export async function uploadRoutes(app: FastifyInstance, deps: UploadRouteDeps): Promise<void> {
  const counted = (result: number) => deps.metrics.tpiCalls.inc({ type: 'upload', result: resultCodeName(result) });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: deps.bodyLimit }, (_request, body, done) => done(null, body));
  app.setErrorHandler((error, request, reply) => {
    const answer = transportAnswer(error, request.log, {
      tooLarge: { result: LaterResultCode.INVALID_FILE_SIZE, message: `the upload is larger than this platform's limit of ${deps.bodyLimit} bytes` },
      unreadable: LaterResultCode.UPLOAD_FILE_FAILED,
      internal: 'internal error; nothing was kept, try again',
    });
    counted(answer.result);
    return reply.code(200).send(answer);
  });

  for (const url of TPIU_PATHS) {
    app.post(
      url,
      {
        schema: {
          tags: ['tpi'],
          summary: "A customer's file for a later call: multipart/form-data with fileToUpload and token",
          description: 'Always HTTP 200; read `result`: 1, -13 upload failed, -15 token, -16 a format the channel does not take (by its bytes), -21 too large. See docs/tpi.md.',
          consumes: ['multipart/form-data'],
          response: { 200: UploadAnswer },
        },
        validatorCompiler: () => () => true,
        serializerCompiler: () => (data) => JSON.stringify(data),
      },
      async (request) => {
        let answer: UploadAnswer;
        try {
          const raw = request.body as Buffer | undefined;
          const header = (name: string) => {
            const value = request.headers[name];
            return Array.isArray(value) ? value[0] : value;
          };
          const channel = await deps.auth.authenticate({
            key: header('x-webchat-key'),
            channelId: header('x-webchat-channel'),
            address: () => request.ip,
            timestamp: header('x-webchat-timestamp'),
            signature: header('x-webchat-signature'),
            body: raw,
          });
          if (!(await deps.channelRate.take(channel.id))) throw new TpiError(ResultCode.REQUEST_ERROR, `rate limit: channel ${channel.id} is over its rate limit; slow down`);
          const type = header('content-type') ?? '';
          if (!/^multipart\/form-data/i.test(type) || !raw) throw new TpiError(LaterResultCode.UPLOAD_FILE_FAILED, 'send multipart/form-data with the fields fileToUpload (the file) and token');
          const form = await readMultipart(raw, type);
          const token = form.fields.token;
          if (!token) throw new TpiError(LaterResultCode.INVALID_TOKEN, 'missing field "token": the token a log-in (type 1, 3 or 4) answered');
          const customer = await deps.customers.resolve(channel, token);
          if (!form.file || form.file.field !== 'fileToUpload') throw new TpiError(LaterResultCode.UPLOAD_FILE_FAILED, 'missing file field "fileToUpload"');
          if (!(await deps.clientRate.take(`${channel.id}\u0000c:${customer.clientId}`))) throw new TpiError(ResultCode.REQUEST_ERROR, 'rate limit: too many calls for this customer; slow down');
          const kept = await deps.files.upload(channel, customer.clientId, form.file.name, form.file.bytes, url);
          answer = { result: ResultCode.SUCCESS, message: 'success', fileName: form.file.name, ...kept };
        } catch (error) {
          if (error instanceof FileError) {
            const result = error.problem === 'too-large' ? LaterResultCode.INVALID_FILE_SIZE : error.problem === 'type' ? LaterResultCode.INVALID_FILE_EXTENSION : LaterResultCode.UPLOAD_FILE_FAILED;
            answer = { result, message: error.message };
          } else if (error instanceof MultipartError) {
            answer = { result: LaterResultCode.UPLOAD_FILE_FAILED, message: error.message };
          } else if (error instanceof TpiError) {
            answer = { result: error.result, message: error.message };
            if (error instanceof AuthError) deps.metrics.tpiRefused.inc({ reason: error.reason });
          } else {
            throw error;
          }
        }
        counted(answer.result);
        return answer;
      },
    );
  }
}
