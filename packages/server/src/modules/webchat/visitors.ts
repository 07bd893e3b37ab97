/**
 * Web chat visitors and their tokens. A token is 32 random bytes, stored as its sha256, bound
 * to one visitor of one channel: everything it reaches is that visitor's own conversation.
 *
 * A visitor is anonymous (stable on one browser, as long as it keeps its token) or identified:
 * the site vouches for its user id with an HMAC made with the channel's identity secret, and
 * then every device of that user is the same visitor.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IdentityBody, VisitorAnswer } from '@elitewebchat/protocol';
import type { Db } from '../../db/database.js';
import type { ChannelRow, VisitorRow, WebChannelOptions } from '../../db/schema.js';
import { sha256 } from '../../common/hash.js';
import { isUniqueViolation } from '../../common/store-errors.js';
import { ApiError } from '../../errors.js';

export const VISITOR_TOKEN_TTL_MS = 30 * 24 * 3600_000;

export interface WebChannel {
  row: ChannelRow;
  options: WebChannelOptions;
}

export function identityHash(secret: string, userId: string): string {
  return createHmac('sha256', secret).update(userId, 'utf8').digest('hex');
}

export class VisitorService {
  constructor(
    private readonly db: Db,
    private readonly clock: () => number,
  ) {}

  /**
   * The visitor this browser is: the one its token names when still valid and consistent with
   * the identity given (or its absence), else a new or the identified one, with a new token.
   */
  async visit(channel: WebChannel, token: string | undefined, identity: IdentityBody | undefined, beforeNewToken: () => Promise<void>): Promise<VisitorAnswer> {
    const now = this.clock();
    const externalId = identity ? this.verifiedUserId(channel, identity) : null;
    if (token) {
      const known = await this.byToken(channel.row.id, token);
      // A token of an identified user is not reused without that identity (a shared computer
      // after a log-out), nor an anonymous one once the user is known.
      if (known && known.visitor.external_id === externalId) {
        // Not a write on every page load: an hour is precise enough for "last seen".
        if (now - known.visitor.seen_at > 3600_000) {
          await this.db.updateTable('visitors').set({ seen_at: now }).where('id', '=', known.visitor.id).execute();
          known.visitor.seen_at = now;
        }
        return { token, visitorId: known.visitor.id, expiresAt: known.expiresAt, identified: externalId !== null };
      }
    }
    // Whatever token was sent (none, or a made-up one), a new one is what gets limited.
    await beforeNewToken();
    const visitor = externalId === null ? await this.create(channel.row.id, null, now) : await this.identified(channel.row.id, externalId, now);
    const fresh = randomBytes(32).toString('base64url');
    const expiresAt = now + VISITOR_TOKEN_TTL_MS;
    await this.db.insertInto('visitor_tokens').values({ token_hash: sha256(fresh), visitor_id: visitor.id, created_at: now, expires_at: expiresAt }).execute();
    return { token: fresh, visitorId: visitor.id, expiresAt, identified: externalId !== null };
  }

  /**
   * Tokens seen lately, by hash: every call of a chatting visitor carries one, and nothing
   * revokes a visitor token before it expires (which is checked on every use).
   */
  private readonly recent = new Map<string, { visitor: VisitorRow; expiresAt: number }>();

  /** The visitor a bearer token names on this channel; undefined when it names none. */
  async byToken(channelId: string | undefined, token: string): Promise<{ visitor: VisitorRow; expiresAt: number } | undefined> {
    if (!token || token.length > 200) return undefined;
    const hash = sha256(token);
    const now = this.clock();
    let found = this.recent.get(hash);
    if (!found || found.expiresAt <= now) {
      found = await this.lookUp(hash, now);
      if (!found) return undefined;
      if (this.recent.size >= 10_000) this.recent.clear();
      this.recent.set(hash, found);
    }
    if (channelId !== undefined && found.visitor.channel_id !== channelId) return undefined;
    return found;
  }

  private async lookUp(hash: string, now: number): Promise<{ visitor: VisitorRow; expiresAt: number } | undefined> {
    const row = await this.db
      .selectFrom('visitor_tokens')
      .innerJoin('visitors', 'visitors.id', 'visitor_tokens.visitor_id')
      .selectAll('visitors')
      .select('visitor_tokens.expires_at as token_expires_at')
      .where('visitor_tokens.token_hash', '=', hash)
      .where('visitor_tokens.expires_at', '>', now)
      .executeTakeFirst();
    if (!row) return undefined;
    const { token_expires_at: expiresAt, ...visitor } = row;
    return { visitor, expiresAt };
  }

  private verifiedUserId(channel: WebChannel, identity: IdentityBody): string {
    const secret = channel.options.identitySecret;
    if (!secret) throw new ApiError('BAD_REQUEST', `channel ${channel.row.id} takes no identities: it has no identitySecret`);
    const expected = Buffer.from(identityHash(secret, identity.userId), 'hex');
    const given = Buffer.from(identity.hash.toLowerCase(), 'hex');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new ApiError('UNAUTHENTICATED', 'the identity hash does not match the user id: it must be the hex HMAC-SHA256 of the user id with the channel\'s identitySecret');
    }
    return identity.userId;
  }

  private async create(channelId: string, externalId: string | null, now: number): Promise<VisitorRow> {
    const visitor: VisitorRow = { id: `v_${randomBytes(12).toString('base64url')}`, channel_id: channelId, external_id: externalId, created_at: now, seen_at: now };
    await this.db.insertInto('visitors').values(visitor).execute();
    return visitor;
  }

  private async identified(channelId: string, externalId: string, now: number): Promise<VisitorRow> {
    const find = () => this.db.selectFrom('visitors').selectAll().where('channel_id', '=', channelId).where('external_id', '=', externalId).executeTakeFirst();
    const existing = await find();
    if (existing) return existing;
    try {
      return await this.create(channelId, externalId, now);
    } catch (error) {
      // The same user on two devices at once: the other one created it.
      if (!isUniqueViolation(error)) throw error;
      const other = await find();
      if (!other) throw error;
      return other;
    }
  }
}
