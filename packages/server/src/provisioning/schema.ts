/**
 * The provisioning file (WEBCHAT_CONFIG). Its field names are a contract: fields may be added,
 * none renamed. examples/webchat.yaml shows every one.
 */
import Type, { type Static } from 'typebox';
import { ChannelUploads, LATER_CALLBACKS } from '@elitewebchat/protocol';

/** A misspelt field is an error, not a silently ignored line. */
const STRICT = { additionalProperties: false } as const;

const Day = Type.Array(Type.String(), { description: 'periods like "09:00-12:00"; "22:00-02:00" runs past midnight' });

export const QueueSpec = Type.Object({
  id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }),
  name: Type.String({ minLength: 1, maxLength: 200 }),
  timezone: Type.Optional(Type.String({ default: 'Asia/Shanghai' })),
  // Weekday names are checked by validateHours, which says which one is wrong.
  hours: Type.Optional(Type.Union([Type.Null(), Type.Record(Type.String(), Day, { description: 'mon..sun → periods' })])),
  maxWaitSeconds: Type.Optional(Type.Integer({ minimum: 1, default: 600 })),
  maxLength: Type.Optional(Type.Integer({ minimum: 1, default: 100 })),
  whenNoAgentOnline: Type.Optional(Type.Union([Type.Literal('refuse'), Type.Literal('wait')], { default: 'refuse' })),
  enabled: Type.Optional(Type.Boolean({ default: true })),
  closedDates: Type.Optional(Type.Array(Type.String(), { description: 'whole days closed: "2026-10-01", or "2026-10-02..2026-10-07" (both ends included)' })),
  specialHours: Type.Optional(Type.Record(Type.String(), Day, { description: 'date → periods, winning over hours and closedDates on that date' })),
  assignment: Type.Optional(Type.Union([Type.Literal('auto'), Type.Literal('offer'), Type.Literal('manual')], { default: 'auto', description: 'auto: routed to the least busy agent; offer: offered to the least busy agent, who accepts or declines; manual: its agents take requests by hand' })),
  offerTimeoutSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 600, default: 20, description: 'with offer: how long an agent has to accept before the offer passes on (and counts as a refusal)' })),
  maxRefusals: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 3, description: 'with offer: after this many declines or time-outs the request ends as REFUSED (2)' })),
  positionMessage: Type.Optional(Type.Object({
    'zh-CN': Type.String({ minLength: 1, maxLength: 200, pattern: '\\{position\\}' }),
    en: Type.String({ minLength: 1, maxLength: 200, pattern: '\\{position\\}' }),
  }, { ...STRICT, description: 'the sentence that tells a later-wire customer their place ({position}); absent: 当前排在第{position}位 / You are number {position} in the queue' })),
  dropAfterSilentSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 86_400, description: 'a waiting request not polled (1001) nor written to (2005) this long ends as DROPPED (4); absent: never' })),
}, STRICT);

export const AgentSpec = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 64 }),
  username: Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: 'console log-in; not needed for an agent with bridge' })),
  password: Type.Optional(Type.String({ minLength: 1, maxLength: 1024, description: 'console log-in; not needed for an agent with bridge' })),
  name: Type.String({ minLength: 1, maxLength: 128, description: 'chat nickname (webchat_alias)' }),
  alias: Type.Optional(Type.String({ maxLength: 128, description: 'staff name' })),
  icon: Type.Optional(Type.String({ maxLength: 2048 })),
  comments: Type.Optional(Type.String({ maxLength: 1000 })),
  maxChats: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 5 })),
  queues: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }))),
  role: Type.Optional(Type.Union([Type.Literal('agent'), Type.Literal('supervisor'), Type.Literal('admin')], { default: 'agent' })),
  enabled: Type.Optional(Type.Boolean({ description: 'absent: left as it is (new agents start enabled)' })),
  bridge: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'the agent bridge (agentBridges) this agent works through, instead of the console' })),
}, STRICT);

export const AgentBridgeSpec = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.-]+$' }),
  key: Type.String({ minLength: 16, maxLength: 256, description: 'sent by the bridge as X-Bridge-Key' }),
  callbackBase: Type.String({ maxLength: 2048, description: 'callbacks go to {callbackBase}/AgentBridge/{offer|assigned|message|closed}' }),
  webhookSecrets: Type.Optional(Type.Array(Type.String({ maxLength: 256 }), { maxItems: 2, description: 'Standard Webhooks secrets (whsec_...), newest first' })),
}, STRICT);

export const ChannelSpec = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.-]+$' }),
  key: Type.Optional(Type.String({ minLength: 16, maxLength: 256, description: 'sent as X-Webchat-Key; absent: the channel takes calls that send no key' })),
  callbackBase: Type.Optional(Type.String({ maxLength: 2048 })),
  allowServerAddr: Type.Optional(Type.Array(Type.String({ maxLength: 2048 }))),
  serverAddrPolicy: Type.Optional(Type.Union([Type.Literal('refuse'), Type.Literal('use-channel-base')], { description: 'a serverAddr outside allowServerAddr: refuse (-8) or use callbackBase' })),
  allowFrom: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { description: 'CIDRs calls may come from; absent: loopback only for a keyless channel, anywhere for a keyed one' })),
  signingSecret: Type.Optional(Type.String({ minLength: 32, maxLength: 256, description: 'HMAC-SHA256 key: calls must be signed' })),
  webhookSecrets: Type.Optional(Type.Array(Type.String({ maxLength: 256 }), { maxItems: 2, description: 'Standard Webhooks secrets (whsec_...), newest first' })),
  laterCallbacks: Type.Optional(Type.Array(Type.Enum(LATER_CALLBACKS), { maxItems: 4, description: 'later-wire callbacks this channel asks for; absent: seed callbacks only' })),
  callbackPath: Type.Optional(Type.String({ maxLength: 200, pattern: '^/[^?#\\s]*\\{name\\}[^?#\\s]*$', description: 'where callbacks go under the base; default /ThirdPartService/{name}' })),
  language: Type.Optional(Type.Union([Type.Literal('zh-CN'), Type.Literal('en')], { description: 'of the position sentences sent to this channel; default zh-CN' })),
  uploads: Type.Optional(ChannelUploads),
  kind: Type.Optional(Type.Union([Type.Literal('tpi'), Type.Literal('web')], { default: 'tpi', description: "web: the platform's own web chat; tpi: a third party" })),
  // kind: web only.
  queues: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }), { minItems: 1, description: 'web: the queues offered to customers, the first by default' })),
  allowedOrigins: Type.Optional(Type.Array(Type.String({ maxLength: 2048 }), { description: "web: pages that may embed the chat, besides the platform's own origin" })),
  identitySecret: Type.Optional(Type.String({ minLength: 16, maxLength: 256, description: "web: verifies identities passed by the site (HMAC-SHA256 of the user id)" })),
  preChatFields: Type.Optional(Type.Array(Type.Object({
    name: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }),
    label: Type.Object({ 'zh-CN': Type.String({ minLength: 1, maxLength: 200 }), en: Type.String({ minLength: 1, maxLength: 200 }) }, STRICT),
    required: Type.Optional(Type.Boolean({ default: false })),
  }, STRICT), { maxItems: 10, description: 'web: optional fields of the pre-chat form' })),
}, STRICT);

export const RatingSpec = Type.Object({
  id: Type.Integer({ minimum: -2_147_483_648, maximum: 2_147_483_647 }),
  label: Type.Object({ 'zh-CN': Type.String({ minLength: 1, maxLength: 100 }), en: Type.String({ minLength: 1, maxLength: 100 }) }, STRICT),
}, STRICT);

export const Provisioning = Type.Object({
  queues: Type.Optional(Type.Array(QueueSpec)),
  agents: Type.Optional(Type.Array(AgentSpec)),
  channels: Type.Optional(Type.Array(ChannelSpec)),
  agentBridges: Type.Optional(Type.Array(AgentBridgeSpec, { description: 'agents who answer from another workplace app (originally Enterprise WeChat)' })),
  ratings: Type.Optional(Type.Array(RatingSpec, { description: "what 5001's ratingId means; offered by the web chat, shown by the console" })),
}, STRICT);

export type QueueSpec = Static<typeof QueueSpec>;
export type AgentSpec = Static<typeof AgentSpec>;
export type ChannelSpec = Static<typeof ChannelSpec>;
export type AgentBridgeSpec = Static<typeof AgentBridgeSpec>;
export type RatingSpec = Static<typeof RatingSpec>;
export type Provisioning = Static<typeof Provisioning>;
