/**
 * The mock's configuration: one TypeBox schema for the YAML file and for startMock(), so that a
 * file is checked with messages that name the bad field, and the code's type is the file's.
 * docs/mock.md describes every field.
 */
import { LATER_CALLBACKS, MAX_UPLOAD_BYTES, UPLOAD_TYPES, type UploadType } from '@elitewebchat/protocol';
import Type, { type Static } from 'typebox';
import { Compile } from 'typebox/compile';

const Seconds = (description: string) => Type.Number({ minimum: 0, description });
const Strict = { additionalProperties: false } as const;

/** One canned message of the agent: its text, sent afterSeconds after the previous one (or the event). */
export const ScriptedReply = Type.Union([
  Type.String({ minLength: 1 }),
  Type.Object({ text: Type.String({ minLength: 1, description: '{text} is replaced by what the customer wrote (in replies)' }), afterSeconds: Type.Optional(Seconds('wait before it, from the previous reply or the event; default 0')) }, Strict),
]);

export const MockAgent = Type.Object(
  {
    id: Type.String({ minLength: 1, description: 'agentId in callbacks, e.g. SELITE' }),
    name: Type.String({ description: 'chat nickname: agentName, agent.name' }),
    alias: Type.Optional(Type.String({ description: 'staff name: agent.alias' })),
    icon: Type.Optional(Type.String({ description: 'avatar URL: agent.icon, agentHeadimg' })),
    comments: Type.Optional(Type.String({ description: 'remarks: agent.commonts, agentComment' })),
    maxChats: Type.Optional(Type.Integer({ minimum: 1, description: 'maxActiveSessions in 5004; default 5' })),
  },
  Strict,
);

export const MockQueue = Type.Object(
  {
    id: Type.Integer({ minimum: 1, description: 'queueId' }),
    name: Type.Optional(Type.String()),
    agentId: Type.Optional(Type.String({ description: "the agent who takes this queue's chats; default the first agent" })),
    refuse: Type.Optional(Type.Union([Type.Literal('noAgent'), Type.Literal('offHours'), Type.Literal('invalidQueue')], { description: 'answer every 1000 at once: -5, -3 or -4' })),
    acceptAfterSeconds: Type.Optional(Seconds('an agent takes a waiting request after this long (create callback); absent: it waits')),
    timeoutAfterSeconds: Type.Optional(Seconds('a request still waiting after this long ends TIMEOUT (3)')),
    offHoursAfterSeconds: Type.Optional(Seconds('a request still waiting after this long ends OFF_HOUR (6)')),
    greeting: Type.Optional(Type.Array(ScriptedReply, { description: "the agent's messages after create, in order" })),
    replies: Type.Optional(Type.Array(ScriptedReply, { description: 'the agent\'s messages after each customer message, in order' })),
    pushRatingAfterSeconds: Type.Optional(Seconds('the agent asks for a rating this long after create')),
    closeAfterSeconds: Type.Optional(Seconds('the agent closes the chat this long after create (close callback)')),
    positionMessage: Type.Optional(Type.String({ description: 'positionInQueueMessage of a later 1000; {position} is the place' })),
  },
  Strict,
);

/** What a channel's customers may upload (tpiu) and name in later calls, as the platform's `uploads`. */
export const MockUploads = Type.Object(
  {
    types: Type.Optional(Type.Array(Type.Enum(UPLOAD_TYPES), { minItems: 1, uniqueItems: true, description: 'formats taken, decided by the bytes, not the name; default png, jpg, gif, webp' })),
    maxBytes: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_UPLOAD_BYTES, description: 'the largest file taken, in bytes; default 5 MiB' })),
  },
  Strict,
);

export const MockChannel = Type.Object(
  {
    id: Type.String({ minLength: 1, description: 'X-Webchat-Channel' }),
    key: Type.Optional(Type.String({ minLength: 16, maxLength: 256, description: 'X-Webchat-Key; absent: a keyless channel' })),
    callbackBase: Type.Optional(Type.String({ description: 'base URL of callbacks when a 1000 gives no serverAddr' })),
    signingSecret: Type.Optional(Type.String({ minLength: 32, maxLength: 256, description: 'HMAC-SHA256 key: every call (TPI and tpiu) must be signed with it' })),
    webhookSecrets: Type.Optional(Type.Array(Type.String({ pattern: '^whsec_' }), { description: 'whsec_… secrets: callbacks are signed with each' })),
    laterCallbacks: Type.Optional(Type.Array(Type.Enum(LATER_CALLBACKS), { description: 'updateRequestStatus is sent; the others are accepted and not used' })),
    uploads: Type.Optional(MockUploads),
  },
  Strict,
);

export const MockCustomer = Type.Object(
  {
    loginName: Type.String({ minLength: 1 }),
    password: Type.Optional(Type.String({ description: 'for type 1; absent: only an empty password matches' })),
    name: Type.Optional(Type.String()),
  },
  Strict,
);

export const MockConfig = Type.Object(
  {
    port: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535, description: 'default 8080 for the CLI, 0 (any) for startMock' })),
    host: Type.Optional(Type.String({ description: 'default 127.0.0.1' })),
    channels: Type.Optional(Type.Array(MockChannel, { description: 'default: one keyless channel "mock" without callbackBase' })),
    agents: Type.Optional(Type.Array(MockAgent, { description: 'default: one agent SELITE' })),
    queues: Type.Optional(Type.Array(MockQueue, { description: 'default: queue 1, accepted after 1 s' })),
    customers: Type.Optional(Type.Array(MockCustomer, { description: 'who may log in with type 1' })),
    callbacks: Type.Optional(
      Type.Object(
        {
          backoffMs: Type.Optional(Type.Integer({ minimum: 1, description: 'first wait before a retry; doubles each time (±20 %); default 200' })),
          maxBackoffMs: Type.Optional(Type.Integer({ minimum: 1, description: 'longest wait between retries; default 5000' })),
          timeoutMs: Type.Optional(Type.Integer({ minimum: 1, description: 'one attempt, to the last byte of the answer; default 5000' })),
        },
        Strict,
      ),
    ),
    tokenTtlSeconds: Type.Optional(Type.Integer({ minimum: 1, description: 'how long a log-in token lasts; default 86400' })),
  },
  Strict,
);

export type ScriptedReply = Static<typeof ScriptedReply>;
export type MockAgent = Static<typeof MockAgent>;
export type MockQueue = Static<typeof MockQueue>;
export type MockChannel = Static<typeof MockChannel>;
export type MockUploads = Static<typeof MockUploads>;
export type MockCustomer = Static<typeof MockCustomer>;
export type MockConfig = Static<typeof MockConfig>;

const validator = Compile(MockConfig);

/** A channel without `uploads` (or without its fields) takes images up to 5 MiB, as the platform's default MAX_IMAGE_BYTES. */
export const DEFAULT_UPLOAD_TYPES: readonly UploadType[] = ['png', 'jpg', 'gif', 'webp'];
export const DEFAULT_UPLOAD_MAX_BYTES = 5 * 1024 * 1024;

/** What a channel takes: its formats and its largest file. */
export function allowanceOf(channel: MockChannel): { types: ReadonlySet<UploadType>; maxBytes: number } {
  return { types: new Set(channel.uploads?.types ?? DEFAULT_UPLOAD_TYPES), maxBytes: channel.uploads?.maxBytes ?? DEFAULT_UPLOAD_MAX_BYTES };
}

/** A configuration that does not match the schema; `problems` names each bad field. */
export class MockConfigError extends Error {
  override readonly name = 'MockConfigError';
  constructor(readonly problems: string[]) {
    super(`invalid mock configuration:\n${problems.map((p) => `- ${p}`).join('\n')}`);
  }
}

export const DEFAULT_AGENT: MockAgent = { id: 'SELITE', name: 'Elite', alias: '坐席A', icon: '', comments: '' };
export const DEFAULT_QUEUE: MockQueue = { id: 1, name: 'default', acceptAfterSeconds: 1, greeting: ['您好，请问有什么可以帮您？'], replies: [{ afterSeconds: 1, text: '收到：{text}' }] };
export const DEFAULT_CHANNEL: MockChannel = { id: 'mock' };

/** Everything filled in: what the mock runs with. */
export interface ResolvedConfig {
  channels: MockChannel[];
  agents: MockAgent[];
  queues: MockQueue[];
  customers: MockCustomer[];
  callbacks: { backoffMs: number; maxBackoffMs: number; timeoutMs: number };
  tokenTtlSeconds: number;
}

/** Checks a configuration (from YAML, JSON or code) and fills in the defaults; throws MockConfigError. */
export function resolveConfig(value: unknown): ResolvedConfig {
  const input = value ?? {};
  if (!validator.Check(input)) {
    const problems = validator.Errors(input).slice(0, 20).map((e) => `${e.instancePath || '(top level)'}: ${e.message}`);
    throw new MockConfigError([...new Set(problems)]);
  }
  const config = input;
  const agents = config.agents && config.agents.length > 0 ? config.agents : [DEFAULT_AGENT];
  const queues = config.queues ?? [DEFAULT_QUEUE];
  const channels = config.channels && config.channels.length > 0 ? config.channels : [DEFAULT_CHANNEL];
  const problems: string[] = [];
  const duplicates = (what: string, ids: (string | number)[]) => {
    const seen = new Set<string | number>();
    for (const id of ids) {
      if (seen.has(id)) problems.push(`${what} ${JSON.stringify(id)} is defined twice`);
      seen.add(id);
    }
  };
  duplicates('agent', agents.map((a) => a.id));
  duplicates('queue', queues.map((q) => q.id));
  duplicates('channel', channels.map((c) => c.id));
  duplicates('channel key', channels.flatMap((c) => (c.key ? [c.key] : [])));
  queues.forEach((q, i) => {
    if (q.agentId !== undefined && !agents.some((a) => a.id === q.agentId)) problems.push(`/queues/${i}/agentId: no agent ${JSON.stringify(q.agentId)} in agents`);
  });
  channels.forEach((c, i) => {
    if (c.callbackBase !== undefined && !/^https?:\/\/[^/]/.test(c.callbackBase)) problems.push(`/channels/${i}/callbackBase: must be an http(s) URL`);
  });
  if (problems.length > 0) throw new MockConfigError(problems);
  return {
    channels,
    agents,
    queues,
    customers: config.customers ?? [],
    callbacks: { backoffMs: config.callbacks?.backoffMs ?? 200, maxBackoffMs: config.callbacks?.maxBackoffMs ?? 5000, timeoutMs: config.callbacks?.timeoutMs ?? 5000 },
    tokenTtlSeconds: config.tokenTtlSeconds ?? 86_400,
  };
}
