/**
 * The web chat's API, /api/v1/webchat/{channelId}/*: what the widget and the hosted page call.
 * A visitor's token (POST …/visitor) goes in Authorization: Bearer and reaches only that
 * visitor's conversation. A browser call from a page that is neither this platform nor one of
 * the channel's allowedOrigins is refused, and every visitor and address is rate limited.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  ConversationAnswer,
  ConversationView,
  ErrorView,
  IntId,
  LeftMessageAnswer,
  LeftMessageBody,
  StartChatBody,
  VisitorAnswer,
  VisitorBody,
  WebChannelView,
  WebImageBody,
  WebMessagesAnswer,
  WebMessagesQuery,
  WebRatingBody,
  WebSendBody,
  WebSentAnswer,
} from '@elitewebchat/protocol';
import Type from 'typebox';
import type { VisitorRow } from '../../db/schema.js';
import type { Db } from '../../db/database.js';
import { ratingScale } from '../directory/index.js';
import { ApiError } from '../../errors.js';
import type { RateLimiter } from '../../cluster/rate-limiter.js';
import { bearer } from '../../auth/tokens.js';
import type { ConversationService } from './conversation.js';
import { presentVisitorMessage } from './presenter.js';
import { transcript } from './transcript.js';
import { describeUserAgent } from './user-agent.js';
import type { VisitorService, WebChannel } from './visitors.js';
import { originAllowed } from './origins.js';
import { IMAGE_RESPONSE, sendImage } from '../../http/image-reply.js';

export interface WebChatRouteDeps {
  db: Db;
  channel: (id: string) => WebChannel | undefined;
  visitors: VisitorService;
  conversations: ConversationService;
  /** Every call of one visitor. */
  visitorRate: RateLimiter;
  /** New visitors and left messages from one address. */
  addressRate: RateLimiter;
  /** The decoded size an image may have; its base64 body is a third larger. */
  maxImageBytes: number;
}

const tags = ['webchat'];
const security = [{ bearer: [] }];
const errors = { 400: ErrorView, 401: ErrorView, 403: ErrorView, 404: ErrorView, 409: ErrorView, 413: ErrorView, 429: ErrorView };
const ChannelParams = Type.Object({ channelId: Type.String({ minLength: 1, maxLength: 64 }) });
const ImageParams = Type.Object({ ...ChannelParams.properties, ...IntId.properties });

declare module 'fastify' {
  interface FastifyRequest {
    webChannel?: WebChannel;
    visitor?: VisitorRow;
  }
}

export async function webChatRoutes(app: FastifyInstance, deps: WebChatRouteDeps): Promise<void> {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const { conversations } = deps;

  const channelOf = (request: FastifyRequest): WebChannel => request.webChannel!;
  const visitorOf = (request: FastifyRequest): VisitorRow => request.visitor!;
  const surroundings = (request: FastifyRequest) => describeUserAgent(request.headers['user-agent']);
  const limited = async (limiter: RateLimiter, key: string, what: string) => {
    if (!(await limiter.take(key))) throw new ApiError('TOO_MANY_ATTEMPTS', `too many ${what}; slow down and try again in a few seconds`);
  };

  // Every route here names a web channel, and a browser may call from nowhere else.
  api.addHook('preHandler', async (request) => {
    const { channelId } = request.params as { channelId: string };
    const channel = deps.channel(channelId);
    if (!channel) throw new ApiError('NOT_FOUND', `no web chat channel ${channelId}`);
    if (!originAllowed(request.headers.origin, request.headers.host, channel.options.allowedOrigins)) {
      throw new ApiError('FORBIDDEN', `pages of ${request.headers.origin} may not use channel ${channelId}: add the origin to the channel's allowedOrigins`);
    }
    request.webChannel = channel;
  });

  api.get(
    '/api/v1/webchat/:channelId/channel',
    { schema: { tags, summary: "What the pre-chat form needs: queues and their state, the rating scale, the form's fields", params: ChannelParams, response: { 200: WebChannelView, ...errors } } },
    async (request) => conversations.channelView(channelOf(request)),
  );

  api.post(
    '/api/v1/webchat/:channelId/visitor',
    { schema: { tags, summary: 'A visitor token: the same visitor again for a valid token, else a new (or the identified) one', params: ChannelParams, body: VisitorBody, response: { 200: VisitorAnswer, ...errors } } },
    async (request) => {
      const channel = channelOf(request);
      return deps.visitors.visit(channel, request.body.token, request.body.identity, () => limited(deps.addressRate, `${channel.row.id}\u0000${request.ip}`, 'new visitors from this address'));
    },
  );

  // Everything below is a visitor's own.
  await api.register(async (scope) => {
    const authed = scope.withTypeProvider<TypeBoxTypeProvider>();
    authed.addHook('preHandler', async (request) => {
      const channel = channelOf(request);
      const token = bearer(request.headers.authorization);
      const found = token ? await deps.visitors.byToken(channel.row.id, token) : undefined;
      if (!found) throw new ApiError('UNAUTHENTICATED', 'missing or expired visitor token: POST /api/v1/webchat/{channelId}/visitor for one');
      await limited(deps.visitorRate, found.visitor.id, 'requests');
      request.visitor = found.visitor;
    });

    const view = (request: FastifyRequest) => conversations.view(channelOf(request), visitorOf(request));

    authed.get(
      '/api/v1/webchat/:channelId/conversation',
      { schema: { tags, security, summary: 'Where my latest request stands, and my latest messages', params: ChannelParams, response: { 200: ConversationAnswer, ...errors } } },
      async (request) => {
        const channel = channelOf(request);
        const visitor = visitorOf(request);
        const [conversation, page] = await Promise.all([view(request), conversations.messages(visitor, { before: Number.MAX_SAFE_INTEGER, limit: 200 })]);
        return { visitorId: visitor.id, conversation, messages: page.messages.map((m) => presentVisitorMessage(m, channel.row.id)), hasEarlier: page.hasMore };
      },
    );

    authed.get(
      '/api/v1/webchat/:channelId/messages',
      { schema: { tags, security, summary: 'My messages after an id (catching up) or before one (paging back)', params: ChannelParams, querystring: WebMessagesQuery, response: { 200: WebMessagesAnswer, ...errors } } },
      async (request) => {
        const { after, before, limit = 200 } = request.query;
        const page = await conversations.messages(visitorOf(request), { after, before, limit });
        return { messages: page.messages.map((m) => presentVisitorMessage(m, channelOf(request).row.id)), hasMore: page.hasMore };
      },
    );

    authed.post(
      '/api/v1/webchat/:channelId/requests',
      { schema: { tags, security, summary: 'Ask for an agent (the pre-chat form)', params: ChannelParams, body: StartChatBody, response: { 201: ConversationView, ...errors } } },
      async (request, reply) => {
        await conversations.start(channelOf(request), visitorOf(request), request.body, surroundings(request));
        return reply.code(201).send(await view(request));
      },
    );

    authed.post(
      '/api/v1/webchat/:channelId/cancel',
      { schema: { tags, security, summary: 'Stop waiting', params: ChannelParams, response: { 200: ConversationView, ...errors } } },
      async (request) => {
        await conversations.cancel(channelOf(request), visitorOf(request));
        return view(request);
      },
    );

    authed.post(
      '/api/v1/webchat/:channelId/messages',
      { schema: { tags, security, summary: 'Send text: a pre-message while waiting, a chat message once accepted; a retry with the same clientMsgId is stored once', params: ChannelParams, body: WebSendBody, response: { 201: WebSentAnswer, ...errors } } },
      async (request, reply) => {
        const sent = await conversations.send(channelOf(request), visitorOf(request), request.body.text, request.body.clientMsgId);
        return reply.code(201).send({ message: presentVisitorMessage(sent.message, channelOf(request).row.id), duplicate: sent.stored === 'duplicate' });
      },
    );

    authed.post(
      '/api/v1/webchat/:channelId/images',
      {
        bodyLimit: Math.ceil((deps.maxImageBytes * 4) / 3) + 64 * 1024,
        schema: { tags, security, summary: 'Send an image (checked as 2002 images are)', params: ChannelParams, body: WebImageBody, response: { 201: WebSentAnswer, ...errors } },
      },
      async (request, reply) => {
        const { name, dataUri, clientMsgId } = request.body;
        const sent = await conversations.image(channelOf(request), visitorOf(request), name, dataUri, clientMsgId);
        return reply.code(201).send({ message: presentVisitorMessage(sent.message, channelOf(request).row.id), duplicate: sent.stored === 'duplicate' });
      },
    );

    authed.get(
      '/api/v1/webchat/:channelId/images/:id',
      {
        schema: {
          tags,
          security,
          summary: 'An image of my conversation',
          params: ImageParams,
          response: { 200: IMAGE_RESPONSE, ...errors },
        },
      },
      async (request, reply) => {
        return sendImage(reply, await conversations.imageFor(visitorOf(request), request.params.id), request.params.id);
      },
    );

    authed.post(
      '/api/v1/webchat/:channelId/close',
      { schema: { tags, security, summary: 'End the chat', params: ChannelParams, response: { 200: ConversationView, ...errors } } },
      async (request) => {
        await conversations.close(channelOf(request), visitorOf(request));
        return view(request);
      },
    );

    authed.post(
      '/api/v1/webchat/:channelId/rating',
      { schema: { tags, security, summary: 'Rate the latest chat on the operator\'s scale', params: ChannelParams, body: WebRatingBody, response: { 200: ConversationView, ...errors } } },
      async (request) => {
        await conversations.rate(channelOf(request), visitorOf(request), request.body.ratingId, request.body.comments ?? '');
        return view(request);
      },
    );

    authed.get(
      '/api/v1/webchat/:channelId/transcript',
      {
        schema: {
          tags,
          security,
          summary: 'The latest chat as a text file',
          params: ChannelParams,
          querystring: Type.Object({ lang: Type.Optional(Type.Enum(['zh-CN', 'en'] as const, { default: 'en' })) }),
          response: { 200: { description: 'plain text', content: { 'text/plain': { schema: { type: 'string' } } } }, ...errors },
        },
      },
      async (request, reply) => {
        const chat = await conversations.latestChat(visitorOf(request));
        return reply
          .header('content-type', 'text/plain; charset=utf-8')
          .header('x-content-type-options', 'nosniff')
          .header('content-disposition', `attachment; filename="chat-${chat.session.id}.txt"`)
          .send(transcript(chat.session, chat.agentName, chat.messages, request.query.lang ?? 'en', await ratingScale(deps.db)) as never);
      },
    );

    authed.post(
      '/api/v1/webchat/:channelId/left-messages',
      { schema: { tags, security, summary: 'Leave a message for the queue (outside hours, or instead of waiting)', params: ChannelParams, body: LeftMessageBody, response: { 201: LeftMessageAnswer, ...errors } } },
      async (request, reply) => {
        const channel = channelOf(request);
        await limited(deps.addressRate, `${channel.row.id}\u0000${request.ip}`, 'messages left from this address');
        const id = await conversations.leaveMessage(channel, visitorOf(request), request.body, surroundings(request));
        return reply.code(201).send({ id });
      },
    );
  });
}
