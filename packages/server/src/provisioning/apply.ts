/**
 * Applies a provisioning file: what it lists is created or updated to match, by id, so a second
 * start with the same file changes nothing. What it does not list is left alone (an operator
 * may have added it since). A password is re-hashed only when it no longer verifies.
 */
import type { Db } from '../db/database.js';
import { hashPassword, verifyPassword } from '../modules/agent/passwords.js';
import { sha256 } from '../modules/agent/tokens.js';
import type { Provisioning } from './schema.js';

export async function applyProvisioning(db: Db, doc: Provisioning, now: number): Promise<{ queues: number; agents: number; channels: number }> {
  const existing = new Map((await db.selectFrom('agents').select(['id', 'password_hash']).execute()).map((a) => [a.id, a.password_hash]));
  const hashes = new Map<string, string>();
  for (const a of doc.agents ?? []) {
    const current = existing.get(a.id);
    hashes.set(a.id, current && (await verifyPassword(current, a.password)) ? current : await hashPassword(a.password));
  }

  await db.transaction().execute(async (trx) => {
    for (const q of doc.queues ?? []) {
      const values = {
        name: q.name,
        timezone: q.timezone ?? 'Asia/Shanghai',
        hours: q.hours ? JSON.stringify(q.hours) : null,
        max_wait_seconds: q.maxWaitSeconds ?? 600,
        max_length: q.maxLength ?? 100,
        when_no_agent_online: q.whenNoAgentOnline ?? 'refuse',
        enabled: q.enabled === false ? 0 : 1,
        updated_at: now,
      };
      await trx
        .insertInto('queues')
        .values({ id: q.id, ...values, created_at: now })
        .onConflict((oc) => oc.column('id').doUpdateSet(values))
        .execute();
    }
    for (const a of doc.agents ?? []) {
      const values = {
        username: a.username,
        password_hash: hashes.get(a.id)!,
        name: a.name,
        alias: a.alias ?? a.name,
        icon: a.icon ?? '',
        comments: a.comments ?? '',
        max_chats: a.maxChats ?? 5,
        role: a.role ?? 'agent',
        updated_at: now,
      };
      await trx
        .insertInto('agents')
        .values({ id: a.id, ...values, status: 'offline', idle_since: now, enabled: 1, created_at: now })
        .onConflict((oc) => oc.column('id').doUpdateSet(values))
        .execute();
      await trx.deleteFrom('agent_queues').where('agent_id', '=', a.id).execute();
      const queues = [...new Set(a.queues ?? [])];
      if (queues.length > 0) await trx.insertInto('agent_queues').values(queues.map((queue_id) => ({ agent_id: a.id, queue_id }))).execute();
    }
    for (const c of doc.channels ?? []) {
      const values = {
        key_hash: c.key ? sha256(c.key) : null,
        callback_base: c.callbackBase ?? null,
        allow_server_addr: JSON.stringify(c.allowServerAddr ?? []),
        updated_at: now,
      };
      await trx
        .insertInto('channels')
        .values({ id: c.id, ...values, created_at: now })
        .onConflict((oc) => oc.column('id').doUpdateSet(values))
        .execute();
    }
  });
  return { queues: doc.queues?.length ?? 0, agents: doc.agents?.length ?? 0, channels: doc.channels?.length ?? 0 };
}
