/**
 * A store nobody has set up yet still starts as a product someone can use: without any
 * administrator, one is created (username "admin") with a one-time password that the log
 * shows once (id SADMIN, like the example file's); without any queue, a default queue that is
 * always open; without any web chat channel, the web chat `web` offering the first queue, so
 * that customers can reach the agents at /chat/web. None is created again once one of its kind
 * exists; a provisioning file applied later takes the administrator over (same id), with the
 * file's password.
 */
import type { Logger } from 'pino';
import type { Db } from './db/database.js';
import { newOneTimePassword } from './auth/one-time-password.js';
import { hashPassword } from './auth/passwords.js';
import { setAgentQueues, upsertAgent, upsertChannel, upsertQueue } from './modules/directory/index.js';

export const DEFAULT_QUEUE = { id: 1, name: '默认队列 Default' } as const;
export const DEFAULT_WEB_CHANNEL = 'web';

export interface FirstRun {
  /** The administrator created now, with the one-time password shown once. */
  admin?: { username: string; password: string };
  queueCreated: boolean;
  /** The web chat channel created now, if one was. */
  webChannel?: string;
}

export async function prepareFirstRun(db: Db, now: number): Promise<FirstRun> {
  const outcome: FirstRun = { queueCreated: false };
  const anyQueue = await db.selectFrom('queues').select('id').limit(1).executeTakeFirst();
  if (!anyQueue) {
    await upsertQueue(db, DEFAULT_QUEUE.id, { name: DEFAULT_QUEUE.name, hours: null, whenNoAgentOnline: 'wait' }, now);
    outcome.queueCreated = true;
  }
  const anyWeb = await db.selectFrom('channels').select('id').where((eb) => eb.or([eb('kind', '=', 'web'), eb('id', '=', DEFAULT_WEB_CHANNEL)])).limit(1).executeTakeFirst();
  if (!anyWeb) {
    const first = await db.selectFrom('queues').select('id').orderBy('id').limit(1).executeTakeFirstOrThrow();
    await upsertChannel(db, DEFAULT_WEB_CHANNEL, { kind: 'web', web: { queues: [first.id], allowedOrigins: [], identitySecret: null, preChatFields: [] } }, now);
    outcome.webChannel = DEFAULT_WEB_CHANNEL;
  }
  const admin = await db.selectFrom('agents').select('id').where('role', '=', 'admin').where('enabled', '=', 1).limit(1).executeTakeFirst();
  if (admin) return outcome;

  // The same id and username as the example file's administrator, so that a file applied later
  // takes this account over instead of clashing with it.
  const existing = await db.selectFrom('agents').select(['id', 'username']).execute();
  const ids = new Set(existing.map((a) => a.id));
  const usernames = new Set(existing.map((a) => a.username));
  let n = 1;
  while (ids.has(n === 1 ? 'SADMIN' : `SADMIN${n}`) || usernames.has(n === 1 ? 'admin' : `admin${n}`)) n += 1;
  const id = n === 1 ? 'SADMIN' : `SADMIN${n}`;
  const username = n === 1 ? 'admin' : `admin${n}`;
  const password = newOneTimePassword();
  const queues = await db.selectFrom('queues').select('id').orderBy('id').execute();
  await db.transaction().execute(async (trx) => {
    await upsertAgent(trx, id, { username, name: 'Administrator', alias: '管理员', role: 'admin', maxChats: 5 }, await hashPassword(password), now);
    await trx.updateTable('agents').set({ must_change_password: 1 }).where('id', '=', id).execute();
    // So that the first administrator can also take the first chat.
    await setAgentQueues(trx, id, queues.map((q) => q.id));
  });
  outcome.admin = { username, password };
  return outcome;
}

export function logFirstRun(log: Logger, outcome: FirstRun): void {
  if (outcome.queueCreated) log.info({ queueId: DEFAULT_QUEUE.id }, `first start: created the queue ${DEFAULT_QUEUE.id} "${DEFAULT_QUEUE.name}", always open`);
  if (outcome.webChannel) log.info({ channelId: outcome.webChannel }, `first start: created the web chat channel "${outcome.webChannel}": customers chat at /chat/${outcome.webChannel}`);
  if (outcome.admin) {
    const { username, password } = outcome.admin;
    log.warn(
      { username },
      `first start: created the administrator "${username}" with the one-time password ${password} — log in to the console with it and choose your own; it is shown only this once (a new one: npm run reset-password -- ${username})`,
    );
  }
}
