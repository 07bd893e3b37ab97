/** Bodies of the admin API: the provisioning file's model, with memberships from either side. */
import Type from 'typebox';

const Periods = Type.Array(Type.String({ maxLength: 11 }), { maxItems: 12 });
export const Hours = Type.Union([Type.Null(), Type.Record(Type.String(), Periods)]);

const QueueFields = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  timezone: Type.Optional(Type.String({ maxLength: 64 })),
  hours: Type.Optional(Hours),
  maxWaitSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 86_400 })),
  maxLength: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
  whenNoAgentOnline: Type.Optional(Type.Union([Type.Literal('refuse'), Type.Literal('wait')])),
  enabled: Type.Optional(Type.Boolean()),
  agentIds: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 10_000 })),
};
export const QueueCreate = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }), ...QueueFields });
export const QueueUpdate = Type.Object(QueueFields);

const Role = Type.Union([Type.Literal('agent'), Type.Literal('supervisor'), Type.Literal('admin')]);
const AgentFields = {
  username: Type.String({ minLength: 1, maxLength: 128 }),
  name: Type.String({ minLength: 1, maxLength: 128 }),
  alias: Type.Optional(Type.String({ maxLength: 128 })),
  icon: Type.Optional(Type.String({ maxLength: 2048 })),
  comments: Type.Optional(Type.String({ maxLength: 1000 })),
  maxChats: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  queueIds: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }), { maxItems: 1000 })),
  role: Type.Optional(Role),
};
export const Password = Type.String({ minLength: 8, maxLength: 1024 });
export const AgentCreate = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.-]+$' }), password: Password, ...AgentFields });
export const AgentUpdate = Type.Object({ ...AgentFields, enabled: Type.Optional(Type.Boolean()) });
export const PasswordBody = Type.Object({ password: Password });

const Url = Type.String({ maxLength: 2048 });
/** The same fields as a channel of the provisioning file; secrets are write-only. */
const ChannelSecurity = {
  serverAddrPolicy: Type.Optional(Type.Union([Type.Literal('refuse'), Type.Literal('use-channel-base')])),
  allowFrom: Type.Optional(Type.Union([Type.Array(Type.String({ maxLength: 64 }), { maxItems: 100 }), Type.Null()], { description: 'CIDRs; null: the default' })),
  signingSecret: Type.Optional(Type.Union([Type.String({ minLength: 32, maxLength: 256 }), Type.Null()], { description: 'null: calls are not signed' })),
  webhookSecrets: Type.Optional(Type.Array(Type.String({ maxLength: 256 }), { maxItems: 2, description: 'whsec_..., newest first' })),
};
export const ChannelCreate = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.-]+$' }),
  key: Type.Optional(Type.String({ minLength: 16, maxLength: 256 })),
  callbackBase: Type.Optional(Type.Union([Url, Type.Null()])),
  allowServerAddr: Type.Optional(Type.Array(Url, { maxItems: 100 })),
  ...ChannelSecurity,
});
export const ChannelUpdate = Type.Object({
  key: Type.Optional(Type.Union([Type.String({ minLength: 16, maxLength: 256 }), Type.Null()], { description: 'null removes the key; absent keeps it' })),
  callbackBase: Type.Optional(Type.Union([Url, Type.Null()])),
  allowServerAddr: Type.Optional(Type.Array(Url, { maxItems: 100 })),
  ...ChannelSecurity,
});

export const IntId = Type.Object({ id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) });
export const StringId = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
export const CallbacksQuery = Type.Object({
  status: Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('dead')])),
  channelId: Type.Optional(Type.String({ maxLength: 64 })),
  sessionId: Type.Optional(Type.Integer({ minimum: 1 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  before: Type.Optional(Type.Integer({ minimum: 1 })),
});
export const CannedBody = Type.Object({ shortcut: Type.String({ minLength: 1, maxLength: 32, pattern: '^\\S+$' }), text: Type.String({ minLength: 1, maxLength: 5000 }) });
