/**
 * The later wire's customers: log-in (type 1), log-in or register (3), an anonymous visitor by
 * GUID (4), log-out (2), and what a later call's `token` stands for. A token belongs to one
 * channel and one customer, is kept only as its SHA-256, expires, and is revoked by type 2.
 */
import { randomBytes } from 'node:crypto';
import { LaterResultCode } from '@elitewebchat/protocol';
import type { Db } from '../../db/database.js';
import type { ChannelRow, CustomerKind, CustomerRow } from '../../db/schema.js';
import { sha256 } from '../../common/hash.js';
import { dummyHash, verifyPassword } from '../../auth/passwords.js';
import { TpiError } from '../../errors.js';
import { isUniqueViolation } from '../../common/store-errors.js';

export interface IssuedToken {
  clientId: string;
  token: string;
  expiresAt: number;
}

/** Whom a later call is about. */
export interface TokenCustomer {
  customerId: number;
  clientId: string;
  name: string;
}

export class CustomerService {
  constructor(
    private readonly db: Db,
    private readonly clock: () => number,
    private readonly ttlMs: number,
  ) {}

  /** Type 1: the customer's password (none set: only an empty one matches); -20 otherwise. */
  async logon(channel: ChannelRow, loginName: string, password: string): Promise<IssuedToken> {
    const customer = await this.db
      .selectFrom('customers')
      .selectAll()
      .where('channel_id', '=', channel.id)
      .where('client_id', '=', loginName)
      .where('kind', '=', 'account')
      .executeTakeFirst();
    const ok = customer
      ? customer.password_hash === null
        ? password === ''
        : await verifyPassword(customer.password_hash, password)
      : // As long as a wrong password: who exists is not told by the time it takes.
        (await verifyPassword(await dummyHash(), password), false);
    if (!customer || !ok) throw new TpiError(LaterResultCode.INVALID_LOGINNAME_OR_PASSWORD, 'unknown loginName or wrong password');
    return this.issue(customer);
  }

  /** Type 3: logs the customer in, registering them (without a password) if new. */
  async logonOrRegister(channel: ChannelRow, loginName: string, name: string, portraitUri: string | undefined): Promise<IssuedToken> {
    return this.issue(await this.upsert(channel, loginName, 'account', name, portraitUri ?? null));
  }

  /** Type 4: an anonymous visitor, known by the GUID the third party keeps for them. */
  async visitorLogon(channel: ChannelRow, visitorId: string): Promise<IssuedToken> {
    const guid = visitorId.toLowerCase();
    return this.issue(await this.upsert(channel, guid, 'visitor', guid, null));
  }

  /** Type 2: the token stops working; -15 when it is not one of this channel's. */
  async logout(channel: ChannelRow, token: string): Promise<void> {
    const now = this.clock();
    const revoked = await this.db
      .updateTable('customer_tokens')
      .set({ revoked_at: now })
      .where('token_hash', '=', sha256(token))
      .where('channel_id', '=', channel.id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (Number(revoked.numUpdatedRows) === 0) throw new TpiError(LaterResultCode.INVALID_TOKEN, 'unknown, expired or already revoked token');
  }

  /** The customer a later call's token stands for; -15 when it is unknown, expired, revoked or another channel's. */
  async resolve(channel: ChannelRow, token: string): Promise<TokenCustomer> {
    const row = await this.db
      .selectFrom('customer_tokens as t')
      .innerJoin('customers as c', 'c.id', 't.customer_id')
      .select(['t.channel_id', 't.expires_at', 't.revoked_at', 'c.id', 'c.client_id', 'c.name'])
      .where('t.token_hash', '=', sha256(token))
      .executeTakeFirst();
    if (!row || row.channel_id !== channel.id) throw new TpiError(LaterResultCode.INVALID_TOKEN, 'unknown token (log in with type 1, 3 or 4 on this channel)');
    if (row.revoked_at !== null) throw new TpiError(LaterResultCode.INVALID_TOKEN, 'this token was logged out (type 2): log in again');
    if (row.expires_at <= this.clock()) throw new TpiError(LaterResultCode.INVALID_TOKEN, 'this token expired: log in again');
    return { customerId: Number(row.id), clientId: row.client_id, name: row.name };
  }

  private async upsert(channel: ChannelRow, clientId: string, kind: CustomerKind, name: string, portraitUri: string | null): Promise<CustomerRow> {
    const now = this.clock();
    const existing = await this.db.selectFrom('customers').selectAll().where('channel_id', '=', channel.id).where('client_id', '=', clientId).executeTakeFirst();
    if (existing) {
      if (existing.kind !== kind) {
        throw new TpiError(LaterResultCode.INVALID_LOGINNAME_OR_PASSWORD, `${clientId} is ${existing.kind === 'visitor' ? 'a visitor' : 'an account'} on this channel`);
      }
      return this.db
        .updateTable('customers')
        .set({ name, portrait_uri: portraitUri ?? existing.portrait_uri, updated_at: now })
        .where('id', '=', existing.id)
        .returningAll()
        .executeTakeFirstOrThrow();
    }
    try {
      return await this.db
        .insertInto('customers')
        .values({ channel_id: channel.id, client_id: clientId, kind, name, portrait_uri: portraitUri, password_hash: null, created_at: now, updated_at: now, last_login_at: null })
        .returningAll()
        .executeTakeFirstOrThrow();
    } catch (error) {
      // Registered at the same moment by another call: that one stands.
      if (!isUniqueViolation(error)) throw error;
      return this.upsert(channel, clientId, kind, name, portraitUri);
    }
  }

  private async issue(customer: CustomerRow): Promise<IssuedToken> {
    const now = this.clock();
    const token = randomBytes(24).toString('base64url');
    const expiresAt = now + this.ttlMs;
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('customer_tokens').values({ token_hash: sha256(token), customer_id: customer.id, channel_id: customer.channel_id, created_at: now, expires_at: expiresAt, revoked_at: null }).execute();
      await trx.updateTable('customers').set({ last_login_at: now }).where('id', '=', customer.id).execute();
    });
    return { clientId: customer.client_id, token, expiresAt };
  }
}
