/**
 * One-time passwords: the first administrator's, and any an operator resets from the command
 * line. Printed once, stored only as a hash, and nothing but changing it is allowed until then.
 */
import { randomBytes } from 'node:crypto';
import type { Db } from '../db/database.js';
import { hashPassword } from './passwords.js';

/** 18 random bytes: 24 characters a person can copy, with no look-alikes to worry about. */
export function newOneTimePassword(): string {
  return randomBytes(18).toString('base64url');
}

/**
 * Gives the agent a new one-time password and ends every session of theirs; answers it, or
 * undefined when there is no such username.
 */
export async function resetToOneTimePassword(db: Db, username: string, now: number): Promise<string | undefined> {
  const password = newOneTimePassword();
  const hash = await hashPassword(password);
  return db.transaction().execute(async (trx) => {
    const agent = await trx
      .updateTable('agents')
      .set({ password_hash: hash, must_change_password: 1, enabled: 1, updated_at: now })
      .where('username', '=', username)
      .returning('id')
      .executeTakeFirst();
    if (!agent) return undefined;
    await trx.updateTable('agent_tokens').set({ revoked_at: now }).where('agent_id', '=', agent.id).where('revoked_at', 'is', null).execute();
    return password;
  });
}
