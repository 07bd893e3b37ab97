/**
 * Customers as an admin sees them: listed and searched, created with a password, their
 * password reset (which logs them out everywhere), and erased with everything they said.
 */
import { RequestStatus, type AdminCustomer } from '@elitewebchat/protocol';
import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import type { CustomerRow } from '../../db/schema.js';
import { DomainError } from '../../common/domain-error.js';
import { isUniqueViolation } from '../../common/store-errors.js';
import { bridgeOrderKey } from '../../delivery/bridge-outbox.js';

export function presentCustomer(c: CustomerRow): AdminCustomer {
  return {
    id: Number(c.id),
    channelId: c.channel_id,
    clientId: c.client_id,
    kind: c.kind,
    name: c.name,
    portraitUri: c.portrait_uri,
    hasPassword: c.password_hash !== null,
    createdAt: c.created_at,
    lastLoginAt: c.last_login_at,
  };
}

export async function listCustomers(db: Db, q: { channelId?: string | undefined; q?: string | undefined; limit: number; before?: number | undefined }): Promise<CustomerRow[]> {
  const like = q.q === undefined ? undefined : `%${q.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return db
    .selectFrom('customers')
    .selectAll()
    .$if(q.channelId !== undefined, (b) => b.where('channel_id', '=', q.channelId!))
    .$if(like !== undefined, (b) => b.where((eb) => eb.or([eb(sql`lower(client_id)`, 'like', sql`${like} escape '\\'`), eb(sql`lower(name)`, 'like', sql`${like} escape '\\'`)])))
    .$if(q.before !== undefined, (b) => b.where('id', '<', q.before!))
    .orderBy('id', 'desc')
    .limit(q.limit)
    .execute();
}

export async function createCustomer(db: Db, c: { channelId: string; loginName: string; name: string; passwordHash: string | null; portraitUri: string | null }, now: number): Promise<CustomerRow> {
  try {
    return await db
      .insertInto('customers')
      .values({ channel_id: c.channelId, client_id: c.loginName, kind: 'account', name: c.name, portrait_uri: c.portraitUri, password_hash: c.passwordHash, created_at: now, updated_at: now, last_login_at: null })
      .returningAll()
      .executeTakeFirstOrThrow();
  } catch (error) {
    if (isUniqueViolation(error)) throw new DomainError('CONFLICT', `channel ${c.channelId} already has a customer ${c.loginName}`);
    throw error;
  }
}

/** Sets or removes a customer's password; every token of theirs stops working. */
export async function setCustomerPassword(db: Db, id: number, passwordHash: string | null, now: number): Promise<CustomerRow> {
  return db.transaction().execute(async (trx) => {
    const customer = await trx.updateTable('customers').set({ password_hash: passwordHash, updated_at: now }).where('id', '=', id).where('kind', '=', 'account').returningAll().executeTakeFirst();
    if (!customer) throw new DomainError('NOT_FOUND', `no customer ${id} with a log-in name`);
    await trx.updateTable('customer_tokens').set({ revoked_at: now }).where('customer_id', '=', id).where('revoked_at', 'is', null).execute();
    return customer;
  });
}

/**
 * Erases a customer and everything of theirs on their channel: requests, sessions, messages,
 * images, files (uploads, voice, video), callbacks, offers and tokens. Refused (409) while they are waiting or chatting.
 */
export async function eraseCustomer(db: Db, id: number): Promise<{ sessions: number; requests: number }> {
  return db.transaction().execute(async (trx) => {
    const customer = await trx.selectFrom('customers').selectAll().where('id', '=', id).executeTakeFirst();
    if (!customer) throw new DomainError('NOT_FOUND', `no customer ${id}`);
    const sessions = await trx.selectFrom('sessions').select(['id', 'status']).where('channel_id', '=', customer.channel_id).where('client_id', '=', customer.client_id).execute();
    const requests = await trx.selectFrom('chat_requests').select(['id', 'status']).where('channel_id', '=', customer.channel_id).where('client_id', '=', customer.client_id).execute();
    if (sessions.some((s) => s.status !== 'closed') || requests.some((r) => r.status === RequestStatus.WAITING)) {
      throw new DomainError('CONFLICT', `customer ${customer.client_id} is waiting or chatting now: end that first`);
    }
    const sessionIds = sessions.map((s) => Number(s.id));
    const requestIds = requests.map((r) => Number(r.id));
    // Callbacks about them: the third party's, and an agent bridge's (its own ordering keys, offers included).
    const keys = [...sessionIds, ...sessionIds.map(bridgeOrderKey.session), ...requestIds.map(bridgeOrderKey.offer)];
    if (keys.length > 0) {
      const callbacks = trx.selectFrom('callbacks').select('id').where('session_id', 'in', keys);
      await trx.deleteFrom('callback_attempts').where('callback_id', 'in', callbacks).execute();
      await trx.deleteFrom('callbacks').where('session_id', 'in', keys).execute();
    }
    if (sessionIds.length > 0) {
      await trx.deleteFrom('images').where('session_id', 'in', sessionIds).execute();
      await trx.deleteFrom('messages').where('session_id', 'in', sessionIds).execute();
    }
    if (requestIds.length > 0) {
      await trx.deleteFrom('messages').where('request_id', 'in', requestIds).execute();
      await trx.deleteFrom('offers').where('request_id', 'in', requestIds).execute();
    }
    if (sessionIds.length > 0) await trx.deleteFrom('sessions').where('id', 'in', sessionIds).execute();
    if (requestIds.length > 0) await trx.deleteFrom('chat_requests').where('id', 'in', requestIds).execute();
    // Their files, by owner: uploads not yet sent in a message too.
    await trx.deleteFrom('files').where('channel_id', '=', customer.channel_id).where('client_id', '=', customer.client_id).execute();
    await trx.deleteFrom('customer_tokens').where('customer_id', '=', id).execute();
    await trx.deleteFrom('customers').where('id', '=', id).execute();
    return { sessions: sessionIds.length, requests: requestIds.length };
  });
}
