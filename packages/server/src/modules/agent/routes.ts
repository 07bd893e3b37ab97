/** The agent API, version 1: what the console, the SDK and the tests all use. */
import { FILE_RESPONSE, sendFile } from '../../http/file-reply.js';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Db } from '../../db/database.js';
import type { EventBus } from '../../cluster/event-bus.js';
import type { AgentTyping, SessionService } from '../chat/index.js';
import type { AgentService } from './agent-service.js';
import { presentAgent, presentMessage, presentSession } from './presenter.js';
import {
  AgentView,
  ErrorView,
  LoginAnswer,
  LoginBody,
  MessagesAnswer,
  MessagesQuery,
  MessageView,
  SendBody,
  SessionParams,
  SessionsQuery,
  SessionsAnswer,
  SessionView,
  StatusBody,
  ChangePasswordBody,
  NoContent,
} from '@elitewebchat/protocol';
import { DomainError } from '../../common/domain-error.js';
import { me, requireAgent } from '../../auth/guard.js';
import type { LoginLimiter } from '../../auth/login-limiter.js';
import { sha256 } from '../../common/hash.js';
import { IMAGE_RESPONSE, sendImage } from '../../http/image-reply.js';
import { bearer, revokeToken } from '../../auth/tokens.js';
import Type from 'typebox';

/** POST …/typing: no body, or `{typing}` (default true). */
const TypingBody = Type.Union([Type.Object({ typing: Type.Optional(Type.Boolean({ description: 'false: stopped typing; default true' })) }), Type.Null()]);

export interface AgentRouteDeps {
  db: Db;
  events: EventBus;
  agents: AgentService;
  sessions: SessionService;
  /** The agent typing: the same as the socket's chat.typing. */
  typing: AgentTyping;
  logins: LoginLimiter;
  clock: () => number;
}

const security = [{ bearer: [] }];
const errors = { 400: ErrorView, 401: ErrorView, 403: ErrorView, 404: ErrorView, 409: ErrorView, 429: ErrorView };

export async function agentRoutes(app: FastifyInstance, deps: AgentRouteDeps): Promise<void> {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const { agents, sessions } = deps;
  const limiter = deps.logins;

  api.post(
    '/api/v1/agent/login',
    { schema: { tags: ['agent'], summary: 'Log in; the token goes in Authorization: Bearer', body: LoginBody, response: { 200: LoginAnswer, ...errors } } },
    async (request, reply) => {
      const { username, password } = request.body;
      const verdict = await limiter.check(username, request.ip, deps.clock());
      if (!verdict.allowed) return tooManyAttempts(reply, verdict.retryAfterMs, 'failed logins');
      try {
        const { token, expiresAt, agent } = await agents.login(username, password);
        await limiter.succeeded(username);
        return { token, expiresAt, agent: presentAgent(agent, await agents.queueIds(agent.id)) };
      } catch (error) {
        if (error instanceof DomainError && error.code === 'BAD_CREDENTIALS') await limiter.failed(username, request.ip, deps.clock());
        throw error;
      }
    },
  );

  // Everything below needs a valid token.
  await api.register(async (scope) => {
    const authed = scope.withTypeProvider<TypeBoxTypeProvider>();
    requireAgent(authed, deps);

    authed.post('/api/v1/agent/logout', { schema: { tags: ['agent'], summary: 'Revoke this token', security, response: { 204: NoContent, ...errors } } }, async (request, reply) => {
      const token = bearer(request.headers.authorization)!;
      await revokeToken(deps.db, token, deps.clock());
      // Logging out is leaving: no more chats are routed to this agent.
      await agents.setStatus(me(request), 'offline');
      deps.events.emit({ type: 'tokens-revoked', agentId: me(request).id, tokenHash: sha256(token) });
      return reply.code(204).send(null);
    });

    authed.post(
      '/api/v1/agent/password',
      {
        schema: {
          tags: ['agent'],
          summary: 'Change my password (the only thing allowed while it is a one-time one)',
          security,
          body: ChangePasswordBody,
          response: { 204: NoContent, ...errors },
        },
      },
      async (request, reply) => {
        // Guessing the current password here is limited as logging in is: a stolen token must
        // not become a way to try passwords freely.
        const agent = me(request);
        const verdict = await limiter.check(agent.username, request.ip, deps.clock());
        if (!verdict.allowed) return tooManyAttempts(reply, verdict.retryAfterMs, 'wrong passwords');
        try {
          await agents.changePassword(agent, request.body.currentPassword, request.body.newPassword);
        } catch (error) {
          if (error instanceof DomainError && error.code === 'BAD_CREDENTIALS') await limiter.failed(agent.username, request.ip, deps.clock());
          throw error;
        }
        await limiter.succeeded(agent.username);
        return reply.code(204).send(null);
      },
    );

    authed.get('/api/v1/agent/me', { schema: { tags: ['agent'], security, response: { 200: AgentView, ...errors } } }, async (request) => {
      const agent = me(request);
      return presentAgent(agent, await agents.queueIds(agent.id));
    });

    authed.put(
      '/api/v1/agent/status',
      { schema: { tags: ['agent'], summary: 'Go online, away or offline', security, body: StatusBody, response: { 200: AgentView, ...errors } } },
      async (request) => {
        const agent = await agents.setStatus(me(request), request.body.status);
        return presentAgent(agent, await agents.queueIds(agent.id));
      },
    );

    authed.get(
      '/api/v1/agent/sessions',
      {
        schema: {
          tags: ['agent'],
          summary: 'My open sessions with their latest messages (or a page of closed ones)',
          description:
            'Each session carries its latest 500 messages and `hasEarlier`; page older ones with GET /api/v1/agent/sessions/{id}/messages?before=. After a reconnect, fetch this and merge by message id: nothing is missed, nothing doubled.',
          security,
          querystring: SessionsQuery,
          response: { 200: SessionsAnswer, ...errors },
        },
      },
      async (request) => {
        const agent = me(request);
        const status = request.query.status ?? 'open';
        const rows = await agents.sessions(agent.id, status, request.query.limit ?? 50, request.query.before);
        const latest = await agents.latestMessagesOf(rows.map((r) => r.id));
        return { sessions: rows.map((r) => presentSession(r, latest.get(r.id)?.messages ?? [], latest.get(r.id)?.hasEarlier ?? false)) };
      },
    );

    authed.get(
      '/api/v1/agent/sessions/:id',
      { schema: { tags: ['agent'], security, params: SessionParams, response: { 200: SessionView, ...errors } } },
      async (request) => {
        const row = await agents.session(me(request).id, request.params.id);
        const messages = await agents.messagesOf([row.id]);
        return presentSession(row, messages.get(row.id) ?? []);
      },
    );

    authed.get(
      '/api/v1/agent/sessions/:id/messages',
      { schema: { tags: ['agent'], summary: "Page through a session's history", security, params: SessionParams, querystring: MessagesQuery, response: { 200: MessagesAnswer, ...errors } } },
      async (request) => {
        const row = await agents.session(me(request).id, request.params.id);
        const page = await agents.messagePage(row.id, { after: request.query.after, before: request.query.before, limit: request.query.limit ?? 100 });
        return { messages: page.messages.map(presentMessage), hasMore: page.hasMore };
      },
    );

    authed.post(
      '/api/v1/agent/sessions/:id/messages',
      { schema: { tags: ['agent'], summary: 'Send text (emoticons as codes) to the customer', security, params: SessionParams, body: SendBody, response: { 201: MessageView, ...errors } } },
      async (request, reply) => {
        const row = await sessions.agentText(me(request), request.params.id, request.body.text);
        return reply.code(201).send(presentMessage(row));
      },
    );

    authed.post(
      '/api/v1/agent/sessions/:id/rating-request',
      { schema: { tags: ['agent'], summary: 'Ask the customer to rate the service', security, params: SessionParams, response: { 201: MessageView, ...errors } } },
      async (request, reply) => {
        const row = await sessions.agentRatingRequest(me(request), request.params.id);
        return reply.code(201).send(presentMessage(row));
      },
    );

    authed.post(
      '/api/v1/agent/sessions/:id/typing',
      {
        schema: {
          tags: ['agent'],
          summary: 'I am typing (call at most every 3 s while typing): the web chat shows it; TPI channels that asked for `typing` get a notice (5)',
          security,
          params: SessionParams,
          body: TypingBody,
          response: { 204: NoContent, ...errors },
        },
      },
      async (request, reply) => {
        const typing = request.body?.typing ?? true;
        if (!(await deps.typing.typing(me(request), request.params.id, typing))) {
          throw new DomainError('SESSION_NOT_FOUND', `no open session ${request.params.id} of yours`);
        }
        return reply.code(204).send(null);
      },
    );

    authed.post(
      '/api/v1/agent/sessions/:id/close',
      { schema: { tags: ['agent'], summary: 'End the chat', security, params: SessionParams, response: { 200: SessionView, ...errors } } },
      async (request) => {
        const agent = me(request);
        await sessions.agentClose(agent, request.params.id);
        const row = await agents.session(agent.id, request.params.id);
        const messages = await agents.messagesOf([row.id]);
        return presentSession(row, messages.get(row.id) ?? []);
      },
    );

    authed.get(
      '/api/v1/agent/images/:id',
      {
        schema: {
          tags: ['agent'],
          summary: 'An image a customer sent (2002)',
          security,
          params: SessionParams,
          response: { 200: IMAGE_RESPONSE, ...errors },
        },
      },
      async (request, reply) => {
        return sendImage(reply, await agents.image(me(request).id, request.params.id), request.params.id);
      },
    );

    authed.get(
      '/api/v1/agent/files/:id',
      {
        schema: {
          tags: ['agent'],
          summary: "A customer's voice message, video or file (TPI 2003, 2005, 2006): an attachment, except what a browser plays",
          security,
          params: SessionParams,
          response: { 200: FILE_RESPONSE, ...errors },
        },
      },
      async (request, reply) => sendFile(reply, await agents.file(me(request).id, request.params.id)),
    );
  });
}

/** 429 with Retry-After, for a limited login or password change. */
function tooManyAttempts(reply: FastifyReply, retryAfterMs: number, what: string) {
  const seconds = Math.ceil(retryAfterMs / 1000);
  return reply
    .code(429)
    .header('retry-after', String(seconds))
    .send({ error: { code: 'TOO_MANY_ATTEMPTS', message: `too many ${what}; try again in ${seconds} s` } });
}
