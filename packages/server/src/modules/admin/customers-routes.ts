/** Customers of the later TPI (types 1–4): list and search, create, reset a password, erase. */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { AdminCustomer, AdminCustomers, CustomerCreate, CustomerErased, CustomerPasswordBody, CustomersQuery, IntId } from '@elitewebchat/protocol';
import { hashPassword } from '../../auth/passwords.js';
import { ApiError } from '../../errors.js';
import { createCustomer, eraseCustomer, listCustomers, presentCustomer, setCustomerPassword } from '../customers/index.js';
import { errors, security, tags, type AdminDeps } from './deps.js';

export async function customerRoutes(app: FastifyInstance, deps: AdminDeps): Promise<void> {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = deps;

  api.get(
    '/api/v1/admin/customers',
    { schema: { tags, security, summary: 'Customers who logged in through the later TPI, newest first; q searches clientId and name', querystring: CustomersQuery, response: { 200: AdminCustomers, ...errors } } },
    async (request) => ({ customers: (await listCustomers(db, { ...request.query, limit: request.query.limit ?? 50 })).map(presentCustomer) }),
  );

  api.post(
    '/api/v1/admin/customers',
    { schema: { tags, security, summary: 'Create a customer who logs in with type 1 (loginName, password)', body: CustomerCreate, response: { 201: AdminCustomer, ...errors } } },
    async (request, reply) => {
      const { channelId, loginName, name, password, portraitUri } = request.body;
      const channel = await db.selectFrom('channels').select(['id', 'kind']).where('id', '=', channelId).executeTakeFirst();
      if (!channel || channel.kind !== 'tpi') throw new ApiError('BAD_REQUEST', `no TPI channel ${channelId}`);
      const customer = await createCustomer(db, { channelId, loginName, name, passwordHash: password === undefined ? null : await hashPassword(password), portraitUri: portraitUri ?? null }, deps.clock());
      return reply.code(201).send(presentCustomer(customer));
    },
  );

  api.post(
    '/api/v1/admin/customers/:id/password',
    { schema: { tags, security, summary: "Set or remove a customer's password; their tokens stop working", params: IntId, body: CustomerPasswordBody, response: { 200: AdminCustomer, ...errors } } },
    async (request) => {
      const { password } = request.body;
      return presentCustomer(await setCustomerPassword(db, request.params.id, password === null ? null : await hashPassword(password), deps.clock()));
    },
  );

  api.delete(
    '/api/v1/admin/customers/:id',
    { schema: { tags, security, summary: 'Erase a customer and everything of theirs: requests, sessions, messages, images, callbacks, tokens (409 while they wait or chat)', params: IntId, response: { 200: CustomerErased, ...errors } } },
    async (request) => eraseCustomer(db, request.params.id),
  );
}
