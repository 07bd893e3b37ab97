/**
 * Images and files an agent sends: `POST /api/v1/agent/sessions/{id}/files` (multipart, field
 * `file`), and `GET /webchat/files/{publicId}`, where the customer's side fetches them (the link
 * the third party or the web chat gets; its id is 144 random bits, and only an agent's file is
 * served there, never a customer's).
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { ErrorView, MessageView } from '@elitewebchat/protocol';
import type { Db } from '../../db/database.js';
import { me, requireAgent } from '../../auth/guard.js';
import { ApiError } from '../../errors.js';
import { FileError, type FileStore } from '../../files/file-store.js';
import { MultipartError, readMultipart } from '../../files/multipart.js';
import { FILE_RESPONSE, sendFile } from '../../http/file-reply.js';
import type { SessionService } from '../chat/index.js';
import type { AgentService } from './agent-service.js';
import { presentMessage } from './presenter.js';

export interface AgentFileRouteDeps {
  db: Db;
  clock: () => number;
  agents: AgentService;
  sessions: SessionService;
  files: FileStore;
  /** The largest file an agent sends. */
  maxBytes: number;
  /** The platform's public origin for links (PUBLIC_URL); unset: the origin the agent's console uses. */
  publicUrl: string | undefined;
}

const SessionParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) });
const errors = { 400: ErrorView, 401: ErrorView, 404: ErrorView, 409: ErrorView, 413: ErrorView, 415: ErrorView };
const STATUS_FOR: Record<FileError['problem'], 'PAYLOAD_TOO_LARGE' | 'UNSUPPORTED_MEDIA_TYPE' | 'BAD_REQUEST'> = {
  'too-large': 'PAYLOAD_TOO_LARGE',
  type: 'UNSUPPORTED_MEDIA_TYPE',
  unreadable: 'BAD_REQUEST',
};

export async function agentFileRoutes(app: FastifyInstance, deps: AgentFileRouteDeps): Promise<void> {
  // The customer's side: no log-in; the id is the capability.
  app.get(
    '/webchat/files/:publicId',
    {
      schema: {
        tags: ['webchat'],
        summary: 'An image or a file an agent sent, for the customer (the link in the message)',
        params: Type.Object({ publicId: Type.String({ pattern: '^[A-Za-z0-9_-]{16,64}$' }) }),
        response: { 200: FILE_RESPONSE, 404: ErrorView },
      },
    },
    async (request, reply) => {
      const file = await deps.files.agentFile((request.params as { publicId: string }).publicId);
      if (!file) throw new ApiError('NOT_FOUND', 'no such file');
      return sendFile(reply, { ...file, data: Buffer.from(file.data) });
    },
  );

  await app.register(async (scope) => {
    const api = scope.withTypeProvider<TypeBoxTypeProvider>();
    requireAgent(scope, deps);
    scope.addContentTypeParser('multipart/form-data', { parseAs: 'buffer', bodyLimit: deps.maxBytes + 64 * 1024 }, (_request, body, done) => done(null, body));
    // A body refused before it is read says the limit too, as one read and found too large does.
    scope.setErrorHandler((error) => {
      if ((error as { code?: string }).code === 'FST_ERR_CTP_BODY_TOO_LARGE') throw new ApiError('PAYLOAD_TOO_LARGE', `the file is over the limit of ${deps.maxBytes} bytes`);
      throw error;
    });
    api.post(
      '/api/v1/agent/sessions/:id/files',
      {
        schema: {
          tags: ['agent'],
          summary: 'Send an image or a file to the customer (multipart/form-data, field "file")',
          description:
            'Judged by its bytes (PNG, JPEG, GIF, WebP are sent as images; PDF, Office, archives, audio and video as files; anything else is 415). TPI channels that asked for richContent get <img>/<a> in msg, the others the name and the link.',
          security: [{ bearer: [] }],
          consumes: ['multipart/form-data'],
          params: SessionParams,
          response: { 201: MessageView, ...errors },
        },
      },
      async (request, reply) => {
        const agent = me(request);
        const session = await deps.agents.session(agent.id, request.params.id);
        const type = request.headers['content-type'] ?? '';
        const raw = request.body as Buffer | undefined;
        if (!/^multipart\/form-data/i.test(type) || !raw) throw new ApiError('BAD_REQUEST', 'send multipart/form-data with the file in the field "file"');
        let kept;
        try {
          const form = await readMultipart(raw, type);
          if (!form.file || form.file.field !== 'file') throw new ApiError('BAD_REQUEST', 'missing file field "file"');
          kept = await deps.files.keepAgentFile(session, form.file.name, form.file.bytes, deps.maxBytes);
        } catch (error) {
          if (error instanceof FileError) throw new ApiError(STATUS_FOR[error.problem], error.message);
          if (error instanceof MultipartError) throw new ApiError('BAD_REQUEST', error.message);
          throw error;
        }
        const row = await deps.sessions.agentFile(agent, session.id, { ...kept, origin: deps.publicUrl ?? originOf(request) });
        return reply.code(201).send(presentMessage(row));
      },
    );
  });
}

function originOf(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}
