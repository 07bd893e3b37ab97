/**
 * Queues, agents and channels: written the same way by the provisioning file and the admin
 * API, so both agree on one model (provisioning/schema.ts).
 */
import type { Db } from '../../db/database.js';
import type { ChannelKind, ChannelUploads, LaterCallback, QueueAssignment } from '@elitewebchat/protocol';
import { DEFAULT_CALLBACK_PATH } from '../../delivery/outbox.js';
import type { AgentRole, AgentRow, ChannelRow, QueueRow, WebChannelOptions } from '../../db/schema.js';
import type { WeeklyHours } from '../../routing/hours.js';
import { sha256 } from '../../common/hash.js';

export interface QueueFields {
  name: string;
  timezone?: string | undefined;
  hours?: WeeklyHours | null | undefined;
  maxWaitSeconds?: number | undefined;
  maxLength?: number | undefined;
  whenNoAgentOnline?: 'refuse' | 'wait' | undefined;
  enabled?: boolean | undefined;
  closedDates?: string[] | null | undefined;
  specialHours?: Record<string, string[]> | null | undefined;
  dropAfterSilentSeconds?: number | null | undefined;
  assignment?: QueueAssignment | undefined;
  offerTimeoutSeconds?: number | undefined;
  maxRefusals?: number | undefined;
  /** The position sentence; null: the default; undefined: left as it is. */
  positionMessage?: { 'zh-CN': string; en: string } | null | undefined;
}

export interface AgentFields {
  username: string;
  name: string;
  alias?: string | undefined;
  icon?: string | undefined;
  comments?: string | undefined;
  maxChats?: number | undefined;
  role?: AgentRole | undefined;
  enabled?: boolean | undefined;
  /** The agent bridge the agent works through; null: the console; undefined: left as it is. */
  bridge?: string | null | undefined;
}

export interface ChannelFields {
  /** undefined: keep the current key; null: no key. */
  key?: string | null | undefined;
  callbackBase?: string | null | undefined;
  allowServerAddr?: string[] | undefined;
  /** What a serverAddr outside allowServerAddr gets. */
  serverAddrPolicy?: 'refuse' | 'use-channel-base' | undefined;
  /** CIDRs calls may come from; null: loopback only without a key, anywhere with one. */
  allowFrom?: string[] | null | undefined;
  /** HMAC key of signed TPI requests; null: unsigned. */
  signingSecret?: string | null | undefined;
  /** Standard Webhooks secrets for callbacks, newest first. */
  webhookSecrets?: string[] | undefined;
  kind?: ChannelKind | undefined;
  /** kind web: what it offers; null for a TPI channel. */
  web?: WebChannelOptions | null | undefined;
  /** Later callbacks asked for; undefined: left as they are. */
  laterCallbacks?: readonly string[] | null | undefined;
  /** Where callbacks go under the base; null: the default; undefined: left as it is. */
  callbackPath?: string | null | undefined;
  language?: 'zh-CN' | 'en' | null | undefined;
  /** What customers may upload; null: images only; undefined: left as it is. */
  uploads?: ChannelUploads | null | undefined;
}

export async function upsertQueue(trx: Db, id: number, q: QueueFields, now: number): Promise<void> {
  const values = {
    name: q.name,
    timezone: q.timezone ?? 'Asia/Shanghai',
    hours: q.hours ? JSON.stringify(q.hours) : null,
    max_wait_seconds: q.maxWaitSeconds ?? 600,
    max_length: q.maxLength ?? 100,
    when_no_agent_online: q.whenNoAgentOnline ?? 'refuse',
    enabled: q.enabled === false ? 0 : 1,
    closed_dates: q.closedDates?.length ? JSON.stringify(q.closedDates) : null,
    special_hours: q.specialHours && Object.keys(q.specialHours).length > 0 ? JSON.stringify(q.specialHours) : null,
    drop_after_silent_seconds: q.dropAfterSilentSeconds ?? null,
    assignment: q.assignment ?? 'auto',
    offer_timeout_seconds: q.offerTimeoutSeconds ?? 20,
    max_refusals: q.maxRefusals ?? 3,
    updated_at: now,
  };
  const positionMessage = q.positionMessage ? JSON.stringify(q.positionMessage) : null;
  await trx
    .insertInto('queues')
    .values({ id, ...values, position_message: positionMessage, created_at: now })
    // A form that does not know the sentence leaves it as it is.
    .onConflict((oc) => oc.column('id').doUpdateSet(q.positionMessage !== undefined ? { ...values, position_message: positionMessage } : values))
    .execute();
}

/** Creates or updates an agent; a new agent needs a password hash. */
export async function upsertAgent(trx: Db, id: string, a: AgentFields, passwordHash: string | undefined, now: number): Promise<void> {
  const values = {
    username: a.username,
    name: a.name,
    alias: a.alias ?? a.name,
    icon: a.icon ?? '',
    comments: a.comments ?? '',
    max_chats: a.maxChats ?? 5,
    role: a.role ?? 'agent',
    // Left as it is when not given: a restart with the provisioning file must not re-enable
    // an agent an admin disabled.
    ...(a.enabled !== undefined ? { enabled: a.enabled ? 1 : 0 } : {}),
    ...(a.bridge !== undefined ? { bridge_id: a.bridge } : {}),
    updated_at: now,
    // A password written here (provisioning file, admin API) is chosen, not one-time.
    ...(passwordHash ? { password_hash: passwordHash, must_change_password: 0 } : {}),
  };
  await trx
    .insertInto('agents')
    .values({ id, ...values, enabled: a.enabled === false ? 0 : 1, password_hash: passwordHash ?? '!', status: 'offline', idle_since: now, created_at: now })
    .onConflict((oc) => oc.column('id').doUpdateSet(values))
    .execute();
}

export async function upsertAgentBridge(trx: Db, b: { id: string; key: string; callbackBase: string; webhookSecrets?: string[] | undefined }, now: number): Promise<void> {
  const values = { key_hash: sha256(b.key), callback_base: b.callbackBase, webhook_secrets: JSON.stringify(b.webhookSecrets ?? []), updated_at: now };
  await trx
    .insertInto('agent_bridges')
    .values({ id: b.id, ...values, created_at: now })
    .onConflict((oc) => oc.column('id').doUpdateSet(values))
    .execute();
}

export async function setAgentQueues(trx: Db, agentId: string, queueIds: readonly number[]): Promise<void> {
  await trx.deleteFrom('agent_queues').where('agent_id', '=', agentId).execute();
  const unique = [...new Set(queueIds)];
  if (unique.length > 0) await trx.insertInto('agent_queues').values(unique.map((queue_id) => ({ agent_id: agentId, queue_id }))).execute();
}

export async function setQueueAgents(trx: Db, queueId: number, agentIds: readonly string[]): Promise<void> {
  await trx.deleteFrom('agent_queues').where('queue_id', '=', queueId).execute();
  const unique = [...new Set(agentIds)];
  if (unique.length > 0) await trx.insertInto('agent_queues').values(unique.map((agent_id) => ({ agent_id, queue_id: queueId }))).execute();
}

export async function upsertChannel(trx: Db, id: string, c: ChannelFields, now: number): Promise<void> {
  const values = {
    ...(c.key !== undefined ? { key_hash: c.key ? sha256(c.key) : null } : {}),
    ...(c.callbackBase !== undefined ? { callback_base: c.callbackBase } : {}),
    ...(c.allowServerAddr !== undefined ? { allow_server_addr: JSON.stringify(c.allowServerAddr) } : {}),
    ...(c.serverAddrPolicy !== undefined ? { server_addr_policy: c.serverAddrPolicy } : {}),
    ...(c.allowFrom !== undefined ? { allow_from: c.allowFrom === null ? null : JSON.stringify(c.allowFrom) } : {}),
    ...(c.signingSecret !== undefined ? { signing_secret: c.signingSecret } : {}),
    ...(c.webhookSecrets !== undefined ? { webhook_secrets: JSON.stringify(c.webhookSecrets) } : {}),
    ...(c.kind !== undefined ? { kind: c.kind } : {}),
    ...(c.web !== undefined ? { web: c.web === null ? null : JSON.stringify(c.web) } : {}),
    ...(c.laterCallbacks !== undefined ? { later_callbacks: c.laterCallbacks?.length ? JSON.stringify([...new Set(c.laterCallbacks)]) : null } : {}),
    ...(c.callbackPath !== undefined ? { callback_path: c.callbackPath } : {}),
    ...(c.language !== undefined ? { language: c.language } : {}),
    ...(c.uploads !== undefined ? { uploads: c.uploads === null ? null : JSON.stringify(c.uploads) } : {}),
    updated_at: now,
  };
  await trx
    .insertInto('channels')
    .values({
      id,
      key_hash: c.key ? sha256(c.key) : null,
      callback_base: c.callbackBase ?? null,
      allow_server_addr: JSON.stringify(c.allowServerAddr ?? []),
      server_addr_policy: c.serverAddrPolicy ?? 'refuse',
      allow_from: c.allowFrom ? JSON.stringify(c.allowFrom) : null,
      signing_secret: c.signingSecret ?? null,
      webhook_secrets: JSON.stringify(c.webhookSecrets ?? []),
      kind: c.kind ?? 'tpi',
      web: c.web ? JSON.stringify(c.web) : null,
      later_callbacks: c.laterCallbacks?.length ? JSON.stringify([...new Set(c.laterCallbacks)]) : null,
      callback_path: c.callbackPath ?? null,
      language: c.language ?? null,
      uploads: c.uploads ? JSON.stringify(c.uploads) : null,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.column('id').doUpdateSet(values))
    .execute();
}

// ---- views for the admin API ----

export async function queueViews(db: Db, ids?: number[]) {
  const queues = await db
    .selectFrom('queues')
    .selectAll()
    .$if(ids !== undefined, (q) => q.where('id', 'in', ids!.length ? ids! : [-1]))
    .orderBy('id')
    .execute();
  const members = await db.selectFrom('agent_queues').selectAll().orderBy('agent_id').execute();
  return queues.map((q) => presentQueue(q, members.filter((m) => m.queue_id === q.id).map((m) => m.agent_id)));
}

export function presentQueue(q: QueueRow, agentIds: string[]) {
  return {
    id: q.id,
    name: q.name,
    timezone: q.timezone,
    hours: q.hours ? (JSON.parse(q.hours) as WeeklyHours) : null,
    maxWaitSeconds: q.max_wait_seconds,
    maxLength: q.max_length,
    whenNoAgentOnline: q.when_no_agent_online,
    enabled: q.enabled === 1,
    closedDates: q.closed_dates ? (JSON.parse(q.closed_dates) as string[]) : [],
    specialHours: q.special_hours ? (JSON.parse(q.special_hours) as Record<string, string[]>) : {},
    dropAfterSilentSeconds: q.drop_after_silent_seconds,
    assignment: q.assignment,
    offerTimeoutSeconds: q.offer_timeout_seconds,
    maxRefusals: q.max_refusals,
    positionMessage: q.position_message === null ? null : (JSON.parse(q.position_message) as { 'zh-CN': string; en: string }),
    agentIds,
  };
}

export async function agentViews(db: Db, ids?: string[]) {
  const agents = await db
    .selectFrom('agents')
    .selectAll()
    .$if(ids !== undefined, (q) => q.where('id', 'in', ids!.length ? ids! : ['']))
    .orderBy('id')
    .execute();
  const members = await db.selectFrom('agent_queues').selectAll().orderBy('queue_id').execute();
  return agents.map((a) => presentAdminAgent(a, members.filter((m) => m.agent_id === a.id).map((m) => m.queue_id)));
}

export function presentAdminAgent(a: AgentRow, queueIds: number[]) {
  return {
    id: a.id,
    username: a.username,
    name: a.name,
    alias: a.alias,
    icon: a.icon,
    comments: a.comments,
    maxChats: a.max_chats,
    queueIds,
    role: a.role,
    status: a.status,
    enabled: a.enabled === 1,
  };
}

/** Secrets are never shown: only whether they are set, and how many. */
export function presentChannel(c: ChannelRow) {
  return {
    id: c.id,
    hasKey: c.key_hash !== null,
    callbackBase: c.callback_base,
    allowServerAddr: JSON.parse(c.allow_server_addr) as string[],
    serverAddrPolicy: c.server_addr_policy,
    allowFrom: c.allow_from === null ? null : (JSON.parse(c.allow_from) as string[]),
    signsRequests: c.signing_secret !== null,
    webhookSecrets: (JSON.parse(c.webhook_secrets) as string[]).length,
    laterCallbacks: c.later_callbacks === null ? [] : (JSON.parse(c.later_callbacks) as LaterCallback[]),
    callbackPath: c.callback_path ?? DEFAULT_CALLBACK_PATH,
    language: c.language === 'en' ? ('en' as const) : ('zh-CN' as const),
    uploads: c.uploads === null ? null : (JSON.parse(c.uploads) as ChannelUploads),
    kind: c.kind,
    web: c.web === null ? null : presentWebOptions(JSON.parse(c.web) as WebChannelOptions),
  };
}

/** A web channel's settings without its identity secret. */
function presentWebOptions(o: WebChannelOptions) {
  return { queues: o.queues, allowedOrigins: o.allowedOrigins, verifiesIdentities: o.identitySecret !== null, preChatFields: o.preChatFields.map((f) => f.name) };
}
