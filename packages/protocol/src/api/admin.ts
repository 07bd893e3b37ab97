/**
 * The admin API (/api/v1/admin/*): queues, agents, channels, shared canned replies and the
 * callback log. Its fields are those of the provisioning file, so both describe one model.
 */
import Type, { type Static } from 'typebox';
import { CALLBACK_NAMES, LATER_CALLBACKS } from '../codes.js';
import { CALLBACK_STATUSES, CHANNEL_KINDS, MAX_UPLOAD_BYTES, QUEUE_ASSIGNMENTS, UPLOAD_TYPES } from '../limits.js';
import { AgentStatusSchema, Password, RoleSchema } from './agent.js';
import { BRIDGE_CALLBACK_NAMES } from './bridge.js';
import { Nullable } from './common.js';

const Periods = Type.Array(Type.String({ maxLength: 11, description: '"HH:MM-HH:MM"; "22:00-02:00" runs past midnight' }), { maxItems: 12 });
/** null: always open. A day not listed: closed. Unknown day names are refused with their name. */
export const WeeklyHours = Nullable(
  Type.Object({
    mon: Type.Optional(Periods),
    tue: Type.Optional(Periods),
    wed: Type.Optional(Periods),
    thu: Type.Optional(Periods),
    fri: Type.Optional(Periods),
    sat: Type.Optional(Periods),
    sun: Type.Optional(Periods),
  }),
);
const ClosedDates = Type.Array(Type.String({ maxLength: 22, description: '"YYYY-MM-DD", or a range "YYYY-MM-DD..YYYY-MM-DD" with both ends included' }), { maxItems: 366 });
const SpecialHours = Type.Record(Type.String({ maxLength: 10 }), Periods, { description: '"YYYY-MM-DD" → periods on that date, winning over the weekly hours and closedDates; [] closes it' });
const NoAgentPolicy = Type.Enum(['refuse', 'wait'] as const, { description: 'a request while no agent of the queue is online: refused (-5) or kept waiting' });

/** The later wire's per-channel settings (docs/configuration.md, channels). */
export const CallbackPath = Type.String({ maxLength: 200, pattern: '^/[^?#\\s]*\\{name\\}[^?#\\s]*$', description: 'where callbacks go under the base, {name} the callback; default /ThirdPartService/{name}' });
export const ChannelLanguage = Type.Enum(['zh-CN', 'en'] as const, { description: 'the language of the position sentences sent to this channel; default zh-CN' });
/** What the channel's customers may upload (tpiu) and send by address; null: images only, up to MAX_IMAGE_BYTES. */
export const ChannelUploads = Type.Object(
  {
    maxBytes: Type.Integer({ minimum: 1, maximum: MAX_UPLOAD_BYTES, description: 'the largest file taken, in bytes' }),
    types: Type.Array(Type.Enum(UPLOAD_TYPES), { minItems: 1, maxItems: UPLOAD_TYPES.length, uniqueItems: true, description: 'formats taken, decided by the bytes, not the name' }),
  },
  { additionalProperties: false },
);
const ChannelLater = {
  laterCallbacks: Type.Optional(Type.Array(Type.Enum(LATER_CALLBACKS), { maxItems: 4, description: 'later callbacks this channel asked for; absent or []: seed callbacks only' })),
  callbackPath: Type.Optional(Nullable(CallbackPath)),
  language: Type.Optional(ChannelLanguage),
  uploads: Type.Optional(Nullable(ChannelUploads)),
};
/** The sentence that tells a customer their place, per language, `{position}` in it. */
export const PositionMessage = Type.Object({
  'zh-CN': Type.String({ minLength: 1, maxLength: 200, pattern: '\\{position\\}' }),
  en: Type.String({ minLength: 1, maxLength: 200, pattern: '\\{position\\}' }),
});

const QueueFields = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  timezone: Type.Optional(Type.String({ maxLength: 64, description: 'IANA time zone of the hours; default Asia/Shanghai' })),
  hours: Type.Optional(WeeklyHours),
  maxWaitSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 86_400 })),
  maxLength: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
  whenNoAgentOnline: Type.Optional(NoAgentPolicy),
  enabled: Type.Optional(Type.Boolean()),
  closedDates: Type.Optional(ClosedDates),
  specialHours: Type.Optional(SpecialHours),
  assignment: Type.Optional(Type.Enum(QUEUE_ASSIGNMENTS, { description: 'auto (default): routed to the least busy agent; offer: offered to the least busy agent, who accepts or declines; manual: its agents take requests by hand' })),
  offerTimeoutSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 600, description: 'with offer: seconds an agent has to accept (default 20); unanswered, it passes on and counts as a refusal' })),
  maxRefusals: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'with offer: declines and time-outs after which the request ends as REFUSED (2); default 3' })),
  positionMessage: Type.Optional(Nullable(PositionMessage)),
  dropAfterSilentSeconds: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 86_400, description: 'a waiting request whose third party sends no 1001 or 2005 this long ends as DROPPED (4); null: never' }))),
  agentIds: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 10_000 })),
};
export const QueueCreate = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }), ...QueueFields });
export const QueueUpdate = Type.Object(QueueFields);
export const AdminQueue = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  timezone: Type.String(),
  hours: WeeklyHours,
  maxWaitSeconds: Type.Integer(),
  maxLength: Type.Integer(),
  whenNoAgentOnline: NoAgentPolicy,
  enabled: Type.Boolean(),
  closedDates: ClosedDates,
  specialHours: SpecialHours,
  dropAfterSilentSeconds: Nullable(Type.Integer()),
  assignment: Type.Enum(QUEUE_ASSIGNMENTS),
  offerTimeoutSeconds: Type.Integer(),
  maxRefusals: Type.Integer(),
  positionMessage: Nullable(PositionMessage),
  agentIds: Type.Array(Type.String()),
});
export const AdminQueues = Type.Object({ queues: Type.Array(AdminQueue) });

const AgentFields = {
  username: Type.String({ minLength: 1, maxLength: 128 }),
  name: Type.String({ minLength: 1, maxLength: 128 }),
  alias: Type.Optional(Type.String({ maxLength: 128 })),
  icon: Type.Optional(Type.String({ maxLength: 2048 })),
  comments: Type.Optional(Type.String({ maxLength: 1000 })),
  maxChats: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  queueIds: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }), { maxItems: 1000 })),
  role: Type.Optional(RoleSchema),
};
export const AgentCreate = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.-]+$' }), password: Password, ...AgentFields });
export const AgentUpdate = Type.Object({ ...AgentFields, enabled: Type.Optional(Type.Boolean()) });
export const PasswordBody = Type.Object({ password: Password });
export const AdminAgent = Type.Object({
  id: Type.String(),
  username: Type.String(),
  name: Type.String(),
  alias: Type.String(),
  icon: Type.String(),
  comments: Type.String(),
  maxChats: Type.Integer(),
  queueIds: Type.Array(Type.Integer()),
  role: RoleSchema,
  status: AgentStatusSchema,
  enabled: Type.Boolean(),
});
export const AdminAgents = Type.Object({ agents: Type.Array(AdminAgent) });

const Url = Type.String({ maxLength: 2048 });
const ServerAddrPolicy = Type.Enum(['refuse', 'use-channel-base'] as const, { description: 'a serverAddr outside allowServerAddr: refused (-8), or the channel base used instead' });
/** The same fields as a channel of the provisioning file; secrets are write-only. */
const ChannelSecurity = {
  serverAddrPolicy: Type.Optional(ServerAddrPolicy),
  // null first: the API coerces a lone value into an array, and would read null as [""] if the array came first.
  allowFrom: Type.Optional(Type.Union([Type.Null(), Type.Array(Type.String({ maxLength: 64 }), { maxItems: 100, description: 'CIDRs; null: the default' })])),
  signingSecret: Type.Optional(Nullable(Type.String({ minLength: 32, maxLength: 256, description: 'null: calls are not signed' }))),
  webhookSecrets: Type.Optional(Type.Array(Type.String({ maxLength: 256 }), { maxItems: 2, description: 'whsec_..., newest first' })),
};
export const ChannelCreate = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.-]+$' }),
  key: Type.Optional(Type.String({ minLength: 16, maxLength: 256 })),
  callbackBase: Type.Optional(Nullable(Url)),
  allowServerAddr: Type.Optional(Type.Array(Url, { maxItems: 100 })),
  ...ChannelSecurity,
  ...ChannelLater,
});
export const ChannelUpdate = Type.Object({
  key: Type.Optional(Nullable(Type.String({ minLength: 16, maxLength: 256, description: 'null removes the key; absent keeps it' }))),
  callbackBase: Type.Optional(Nullable(Url)),
  allowServerAddr: Type.Optional(Type.Array(Url, { maxItems: 100 })),
  ...ChannelSecurity,
  ...ChannelLater,
});
/** Secrets are never shown: only whether they are set, and how many. */
export const ChannelView = Type.Object({
  id: Type.String(),
  hasKey: Type.Boolean(),
  callbackBase: Nullable(Type.String()),
  allowServerAddr: Type.Array(Type.String()),
  serverAddrPolicy: ServerAddrPolicy,
  allowFrom: Nullable(Type.Array(Type.String())),
  signsRequests: Type.Boolean(),
  webhookSecrets: Type.Integer({ description: 'how many callback signing secrets are set' }),
  laterCallbacks: Type.Array(Type.Enum(LATER_CALLBACKS)),
  callbackPath: Type.String(),
  language: ChannelLanguage,
  uploads: Nullable(ChannelUploads),
  kind: Type.Enum(CHANNEL_KINDS, { description: "tpi: a third party; web: the platform's web chat (set up in the provisioning file)" }),
  web: Nullable(
    Type.Object({
      queues: Type.Array(Type.Integer()),
      allowedOrigins: Type.Array(Type.String()),
      verifiesIdentities: Type.Boolean({ description: 'an identitySecret is set' }),
      preChatFields: Type.Array(Type.String(), { description: 'the names of the form\'s fields' }),
    }),
  ),
});
export const ChannelViews = Type.Object({ channels: Type.Array(ChannelView) });

const CallbackStatusSchema = Type.Enum(CALLBACK_STATUSES);
export const CallbacksQuery = Type.Object({
  status: Type.Optional(CallbackStatusSchema),
  channelId: Type.Optional(Type.String({ maxLength: 64 })),
  sessionId: Type.Optional(Type.Integer({ minimum: 1 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  before: Type.Optional(Type.Integer({ minimum: 1 })),
});
export const CallbackView = Type.Object({
  id: Type.Integer(),
  sessionId: Type.Integer({ description: 'the session it is about; below zero, an agent bridge\'s ordering key (−session id, or −(2^45 + request id) for an offer)' }),
  channelId: Type.String({ description: 'the channel, or bridge:{id} for an agent bridge\'s callbacks' }),
  name: Type.Union([Type.Enum(CALLBACK_NAMES), Type.Enum(BRIDGE_CALLBACK_NAMES)]),
  url: Type.String(),
  status: CallbackStatusSchema,
  attempts: Type.Integer(),
  nextAttemptAt: Type.Integer(),
  lastError: Nullable(Type.String()),
  createdAt: Type.Integer(),
  deliveredAt: Nullable(Type.Integer()),
});
export const CallbackViews = Type.Object({ callbacks: Type.Array(CallbackView) });
export const CallbackAttemptView = Type.Object({
  id: Type.Integer(),
  startedAt: Type.Integer(),
  durationMs: Nullable(Type.Integer()),
  httpStatus: Nullable(Type.Integer()),
  error: Nullable(Type.String()),
  response: Nullable(Type.String({ description: 'the start of what the third party answered' })),
});
export const CallbackDetail = Type.Object({
  ...CallbackView.properties,
  body: Type.String({ description: 'the JSON body sent' }),
  attempts: Type.Array(CallbackAttemptView),
});

export type WeeklyHours = Static<typeof WeeklyHours>;
export type QueueCreate = Static<typeof QueueCreate>;
export type QueueUpdate = Static<typeof QueueUpdate>;
export type AdminQueue = Static<typeof AdminQueue>;
export type AdminQueues = Static<typeof AdminQueues>;
export type AgentCreate = Static<typeof AgentCreate>;
export type AgentUpdate = Static<typeof AgentUpdate>;
export type AdminAgent = Static<typeof AdminAgent>;
export type AdminAgents = Static<typeof AdminAgents>;
export type PasswordBody = Static<typeof PasswordBody>;
export type ChannelCreate = Static<typeof ChannelCreate>;
export type ChannelUpdate = Static<typeof ChannelUpdate>;
export type ChannelView = Static<typeof ChannelView>;
export type ChannelViews = Static<typeof ChannelViews>;
export type CallbacksQuery = Static<typeof CallbacksQuery>;
export type CallbackView = Static<typeof CallbackView>;
export type CallbackViews = Static<typeof CallbackViews>;
export type CallbackAttemptView = Static<typeof CallbackAttemptView>;
export type CallbackDetail = Static<typeof CallbackDetail>;

// ---- customers of the later TPI (types 1–4) ----

export const AdminCustomer = Type.Object({
  id: Type.Integer(),
  channelId: Type.String(),
  clientId: Type.String({ description: 'the TPI clientId: the login name, or the visitor GUID' }),
  kind: Type.Enum(['account', 'visitor'] as const),
  name: Type.String(),
  portraitUri: Nullable(Type.String()),
  hasPassword: Type.Boolean({ description: 'false: only an empty password logs them in (type 1)' }),
  createdAt: Type.Integer(),
  lastLoginAt: Nullable(Type.Integer()),
});
export const AdminCustomers = Type.Object({ customers: Type.Array(AdminCustomer, { description: 'newest first' }) });
export const CustomersQuery = Type.Object({
  channelId: Type.Optional(Type.String({ maxLength: 64 })),
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: 'part of the clientId or the name (case-insensitive, literal)' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  before: Type.Optional(Type.Integer({ minimum: 1, description: 'customers with ids below this' })),
});
export const CustomerCreate = Type.Object({
  channelId: Type.String({ minLength: 1, maxLength: 64 }),
  loginName: Type.String({ minLength: 1, maxLength: 128, pattern: '^[^\\u0000-\\u001f\\u007f]+$' }),
  name: Type.String({ minLength: 1, maxLength: 128 }),
  password: Type.Optional(Password),
  portraitUri: Type.Optional(Type.String({ maxLength: 2048 })),
});
export const CustomerPasswordBody = Type.Object({
  password: Type.Union([Password, Type.Null()], { description: 'null: no password (only an empty one logs them in)' }),
});
export const CustomerErased = Type.Object({
  sessions: Type.Integer({ description: 'sessions deleted, with their messages, images and callbacks' }),
  requests: Type.Integer(),
});

export type AdminCustomer = Static<typeof AdminCustomer>;
export type AdminCustomers = Static<typeof AdminCustomers>;
export type CustomersQuery = Static<typeof CustomersQuery>;
export type CustomerCreate = Static<typeof CustomerCreate>;
export type CustomerPasswordBody = Static<typeof CustomerPasswordBody>;
export type CustomerErased = Static<typeof CustomerErased>;
export type ChannelUploads = Static<typeof ChannelUploads>;
