/** Admin: third-party channels. Secrets are write-only; changes are in force when answered. */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { ChannelCreate, ChannelUpdate, ChannelView, ChannelViews, StringId } from '@elitewebchat/protocol';
import { ApiError } from '../../errors.js';
import { presentChannel, upsertChannel } from '../directory/index.js';
import { conflict } from './deps.js';
import { checkChannelSecurity, checkUrls } from './validate.js';
import { errors, security, tags, type AdminDeps } from './deps.js';

export async function channelRoutes(app: FastifyInstance, deps: AdminDeps): Promise<void> {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const { db, clock } = deps;
  api.get('/api/v1/admin/channels', { schema: { tags, security, response: { 200: ChannelViews, ...errors } } }, async () => ({
    channels: (await db.selectFrom('channels').selectAll().orderBy('id').execute()).map(presentChannel),
  }));

  api.post('/api/v1/admin/channels', { schema: { tags, security, body: ChannelCreate, response: { 201: ChannelView, ...errors } } }, async (request, reply) => {
    const { id, ...fields } = request.body;
    checkUrls([fields.callbackBase, ...(fields.allowServerAddr ?? [])]);
    checkChannelSecurity(fields);
    if (await db.selectFrom('channels').select('id').where('id', '=', id).executeTakeFirst()) throw new ApiError('CONFLICT', `channel ${id} already exists`);
    await upsertChannel(db, id, { ...fields, key: fields.key ?? null, callbackBase: fields.callbackBase ?? null, allowServerAddr: fields.allowServerAddr ?? [] }, clock()).catch(
      (e: unknown) => conflict(e, 'a channel with this key'),
    );
    await deps.changed('channels');
    return reply.code(201).send(presentChannel(await db.selectFrom('channels').selectAll().where('id', '=', id).executeTakeFirstOrThrow()));
  });

  api.put('/api/v1/admin/channels/:id', { schema: { tags, security, params: StringId, body: ChannelUpdate, response: { 200: ChannelView, ...errors } } }, async (request) => {
    const { id } = request.params;
    const existing = await db.selectFrom('channels').select(['id', 'kind']).where('id', '=', id).executeTakeFirst();
    if (!existing) throw new ApiError('NOT_FOUND', `no channel ${id}`);
    // A third party's settings would mean nothing on it, and could let TPI calls in.
    if (existing.kind === 'web') throw new ApiError('CONFLICT', `channel ${id} is a web chat: its settings come from the provisioning file (kind: web)`);
    checkUrls([request.body.callbackBase, ...(request.body.allowServerAddr ?? [])]);
    checkChannelSecurity(request.body);
    await upsertChannel(db, id, request.body, clock()).catch((e: unknown) => conflict(e, 'a channel with this key'));
    await deps.changed('channels');
    return presentChannel(await db.selectFrom('channels').selectAll().where('id', '=', id).executeTakeFirstOrThrow());
  });
}
