/**
 * Applies a provisioning file: what it lists is created or updated to match, by id, so a second
 * start with the same file changes nothing. What it does not list is left alone (an operator
 * may have added it since). A password is re-hashed only when it no longer verifies.
 */
import type { Db } from '../db/database.js';
import { hashPassword, verifyPassword } from '../auth/passwords.js';
import { setAgentQueues, setRatingScale, upsertAgent, upsertAgentBridge, upsertChannel, upsertQueue } from '../modules/directory/index.js';
import { ProvisioningError } from './load.js';
import type { AgentSpec, Provisioning } from './schema.js';

/** A hash no password verifies against. */
const NO_PASSWORD = '!';

/** A bridged agent needs no username: one that cannot clash with a person's is made up. */
function usernameOf(a: AgentSpec): string {
  return a.username ?? `bridge:${a.bridge ?? ''}:${a.id}`;
}

export async function applyProvisioning(db: Db, doc: Provisioning, now: number): Promise<{ queues: number; agents: number; channels: number }> {
  const agents = await db.selectFrom('agents').select(['id', 'username', 'password_hash']).execute();
  // A username is unique: one held by another agent in the store would break the start with a
  // bare constraint error, so it is named instead.
  const clashes = (doc.agents ?? []).flatMap((a) => {
    const username = usernameOf(a);
    const holder = agents.find((b) => b.username === username && b.id !== a.id);
    return holder ? [`agent ${a.id}: username "${username}" already belongs to agent ${holder.id} in the store; give the file's agent id ${holder.id}, or another username`] : [];
  });
  if (clashes.length > 0) throw new ProvisioningError(`provisioning:\n  ${clashes.join('\n  ')}`);
  const existing = new Map(agents.map((a) => [a.id, a.password_hash]));
  const hashes = new Map<string, string>();
  for (const a of doc.agents ?? []) {
    // A bridged agent without a password has none that verifies: no console log-in.
    if (a.password === undefined) continue;
    const current = existing.get(a.id);
    hashes.set(a.id, current && (await verifyPassword(current, a.password)) ? current : await hashPassword(a.password));
  }

  await db.transaction().execute(async (trx) => {
    for (const q of doc.queues ?? []) await upsertQueue(trx, q.id, q, now);
    for (const b of doc.agentBridges ?? []) await upsertAgentBridge(trx, b, now);
    for (const a of doc.agents ?? []) {
      await upsertAgent(trx, a.id, { ...a, username: usernameOf(a), bridge: a.bridge ?? null }, hashes.get(a.id) ?? (a.password === undefined ? NO_PASSWORD : undefined), now);
      await setAgentQueues(trx, a.id, a.queues ?? []);
    }
    if (doc.ratings) await setRatingScale(trx, doc.ratings, now);
    for (const c of doc.channels ?? []) {
      const web = c.kind === 'web';
      await upsertChannel(
        trx,
        c.id,
        {
          kind: web ? 'web' : 'tpi',
          web: web
            ? {
                queues: c.queues ?? [],
                allowedOrigins: c.allowedOrigins ?? [],
                identitySecret: c.identitySecret ?? null,
                preChatFields: (c.preChatFields ?? []).map((f) => ({ name: f.name, label: f.label, required: f.required ?? false })),
              }
            : null,
          key: c.key ?? null,
          callbackBase: c.callbackBase ?? null,
          allowServerAddr: c.allowServerAddr ?? [],
          serverAddrPolicy: c.serverAddrPolicy ?? 'refuse',
          allowFrom: c.allowFrom ?? null,
          signingSecret: c.signingSecret ?? null,
          webhookSecrets: c.webhookSecrets ?? [],
          laterCallbacks: c.laterCallbacks ?? [],
          callbackPath: c.callbackPath ?? null,
          language: c.language ?? null,
          uploads: c.uploads ?? null,
        },
        now,
      );
    }
  });
  return { queues: doc.queues?.length ?? 0, agents: doc.agents?.length ?? 0, channels: doc.channels?.length ?? 0 };
}
