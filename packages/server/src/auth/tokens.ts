/**
 * Bearer tokens of agents: 32 random bytes, only their sha256 stored, so a copy of the store
 * does not let anyone log in. They expire and can be revoked.
 */
import { randomBytes } from 'node:crypto';
import type { Db } from '../db/database.js';
import type { AgentRow } from '../db/schema.js';
import { sha256 } from '../common/hash.js';

export async function issueToken(db: Db, agentId: string, now: number, ttlMs: number): Promise<{ token: string; expiresAt: number }> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = now + ttlMs;
  await db.insertInto('agent_tokens').values({ token_hash: sha256(token), agent_id: agentId, created_at: now, expires_at: expiresAt }).execute();
  return { token, expiresAt };
}

export async function agentForToken(db: Db, token: string, now: number): Promise<(AgentRow & { token_expires_at: number }) | undefined> {
  if (!token || token.length > 200) return undefined;
  const row = await db
    .selectFrom('agent_tokens')
    .innerJoin('agents', 'agents.id', 'agent_tokens.agent_id')
    .selectAll('agents')
    .select('agent_tokens.expires_at as token_expires_at')
    .where('agent_tokens.token_hash', '=', sha256(token))
    .where('agent_tokens.expires_at', '>', now)
    .where('agent_tokens.revoked_at', 'is', null)
    .where('agents.enabled', '=', 1)
    .executeTakeFirst();
  return row;
}

export async function revokeToken(db: Db, token: string, now: number): Promise<void> {
  await db.updateTable('agent_tokens').set({ revoked_at: now }).where('token_hash', '=', sha256(token)).execute();
}

/** Reads `Authorization: Bearer <token>`. */
export function bearer(header: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return m?.[1];
}
