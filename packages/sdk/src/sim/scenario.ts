/**
 * The simulator's scenario file: its schema (defined once, here), its defaults and its loading
 * from YAML. A bad file is refused with a ScenarioError listing every problem by its path.
 */
import { readFile } from 'node:fs/promises';
import { CLIENT_SOURCES } from '@elitewebchat/protocol';
import Type, { type Static } from 'typebox';
import { Compile } from 'typebox/compile';
import { parse as parseYaml } from 'yaml';

/** The most customers one run may play. */
export const MAX_CUSTOMERS = 10_000;
/** The longest run allowed, in seconds. */
export const MAX_SECONDS = 3_600;

const Seconds = Type.Number({ minimum: 0, maximum: MAX_SECONDS });
const Text = Type.String({ minLength: 1, maxLength: 20_000 });
const WaitEvent = Type.Enum(['create', 'msg', 'pushRating', 'close', 'accepted-or-final'] as const);

const WaitFor = Type.Union([
  WaitEvent,
  Type.Object(
    {
      create: Type.Optional(Type.Boolean()),
      msg: Type.Optional(Type.Integer({ minimum: 1, description: 'how many agent messages of this session, in all' })),
      pushRating: Type.Optional(Type.Integer({ minimum: 1 })),
      close: Type.Optional(Type.Boolean()),
      'accepted-or-final': Type.Optional(Type.Boolean()),
      timeoutSeconds: Type.Optional(Seconds),
      pollSeconds: Type.Optional(Type.Number({ minimum: 0.05, maximum: 60 })),
    },
    { additionalProperties: false },
  ),
]);

export const StepSchema = Type.Object(
  {
    request: Type.Optional(
      Type.Object(
        {
          queueId: Type.Union([Type.Integer({ minimum: 1 }), Type.Array(Type.Integer({ minimum: 1 }), { minItems: 1, maxItems: 1_000 })], {
            description: 'the queue; a list spreads the customers over its queues in turn (customer n asks the ((n - 1) mod length)-th)',
          }),
          from: Type.Optional(Type.Enum(CLIENT_SOURCES)),
          nickname: Type.Optional(Type.String({ maxLength: 128 })),
        },
        { additionalProperties: false },
      ),
    ),
    waitFor: Type.Optional(WaitFor),
    preMessage: Type.Optional(Text),
    send: Type.Optional(Text),
    sendImage: Type.Optional(Type.String({ minLength: 1, description: 'tiny-png, a data: URI, or a file path' })),
    pause: Type.Optional(Seconds),
    rate: Type.Optional(Type.Object({ ratingId: Type.Integer({ minimum: -(2 ** 31), maximum: 2 ** 31 - 1 }), comments: Type.Optional(Type.String({ maxLength: 2_000 })) }, { additionalProperties: false })),
    close: Type.Optional(Type.Object({}, { additionalProperties: false })),
    cancel: Type.Optional(Type.Object({}, { additionalProperties: false })),
  },
  { additionalProperties: false },
);

export const ScenarioSchema = Type.Object(
  {
    platform: Type.Object(
      {
        url: Type.String({ pattern: '^https?://' }),
        path: Type.Optional(Type.Enum(['/EliteWebChat/tpi', '/webchat/tpi'] as const)),
        key: Type.Optional(Type.String({ minLength: 1 })),
        channel: Type.Optional(Type.String({ minLength: 1 })),
        signingSecret: Type.Optional(Type.String({ minLength: 1 })),
        webhookSecrets: Type.Optional(Type.Array(Type.String({ pattern: '^whsec_' }), { maxItems: 2 })),
      },
      { additionalProperties: false },
    ),
    callbacks: Type.Object(
      {
        listen: Type.String({ pattern: '^[^:]+:\\d+$', description: 'host:port the receiver listens on' }),
        serverAddr: Type.Optional(Type.String({ pattern: '^https?://' })),
      },
      { additionalProperties: false },
    ),
    customers: Type.Integer({ minimum: 0, maximum: MAX_CUSTOMERS }),
    arrivalPerSecond: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 100_000 })),
    concurrency: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_CUSTOMERS })),
    maxSeconds: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: MAX_SECONDS })),
    settleSeconds: Type.Optional(Seconds),
    summarySeconds: Type.Optional(Type.Number({ minimum: 0.1, maximum: 600 })),
    clientId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    customer: Type.Array(StepSchema, { minItems: 1, maxItems: 1_000 }),
  },
  { additionalProperties: false },
);

export type Step = Static<typeof StepSchema>;
export type StepName = keyof Step;
export type ScenarioInput = Static<typeof ScenarioSchema>;

/** A scenario with its defaults filled in. */
export interface Scenario extends ScenarioInput {
  arrivalPerSecond: number;
  concurrency: number;
  maxSeconds: number;
  settleSeconds: number;
  summarySeconds: number;
  clientId: string;
}

export const DEFAULTS = { arrivalPerSecond: 10, maxSeconds: 60, settleSeconds: 1, summarySeconds: 5, clientId: 'sim-${run}-${n}' } as const;

/** A scenario file that cannot be run; `problems` says each thing wrong, by its path. */
export class ScenarioError extends Error {
  override readonly name = 'ScenarioError';
  constructor(readonly problems: string[]) {
    super(`bad scenario:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

const validator = Compile(ScenarioSchema);
const STEP_NAMES = Object.keys(StepSchema.properties) as StepName[];

/** The schema's errors in words, by path; an unknown field is named with the fields allowed there. */
function schemaProblems(value: unknown): string[] {
  const problems: string[] = [];
  for (const e of validator.Errors(value)) {
    const where = e.instancePath || '(top)';
    const params = e.params as { additionalProperties?: string[]; allowedValues?: unknown[] };
    // The same unknown field again ("schema is false"); "must match a schema in anyOf" after its members' errors.
    if (e.keyword === 'boolean' || e.keyword === 'anyOf') continue;
    if (e.keyword === 'additionalProperties') problems.push(`${where}: unknown field(s) ${(params.additionalProperties ?? []).join(', ')}`);
    else if (e.keyword === 'enum') problems.push(`${where}: must be one of ${(params.allowedValues ?? []).map((v) => JSON.stringify(v)).join(', ')}`);
    else problems.push(`${where}: ${e.message}`);
  }
  return [...new Set(problems)].slice(0, 20);
}

/** Checks a parsed scenario and fills in the defaults; throws ScenarioError. */
export function checkScenario(value: unknown): Scenario {
  if (!validator.Check(value)) {
    throw new ScenarioError(schemaProblems(value));
  }
  const problems: string[] = [];
  value.customer.forEach((step, i) => {
    const keys = Object.keys(step);
    if (keys.length !== 1) problems.push(`/customer/${i}: a step has exactly one of ${STEP_NAMES.join(', ')}; got ${keys.length === 0 ? 'none' : keys.join(', ')}`);
    const w = step.waitFor;
    if (w !== undefined && typeof w === 'object') {
      const events = (['create', 'msg', 'pushRating', 'close', 'accepted-or-final'] as const).filter((k) => w[k] !== undefined && w[k] !== false);
      if (events.length !== 1) problems.push(`/customer/${i}/waitFor: name exactly one of create, msg, pushRating, close, accepted-or-final; got ${events.join(', ') || 'none'}`);
    }
  });
  const first = value.customer.findIndex((s) => s.request !== undefined);
  const needsRequest = value.customer.findIndex((s) => s.send !== undefined || s.sendImage !== undefined || s.waitFor !== undefined || s.rate !== undefined || s.close !== undefined || s.cancel !== undefined || s.preMessage !== undefined);
  if (needsRequest >= 0 && (first < 0 || first > needsRequest)) problems.push(`/customer/${needsRequest}: comes before any request step`);
  if (value.customer.filter((s) => s.request !== undefined).length > 1) problems.push('/customer: only one request step per customer');
  if (value.concurrency !== undefined && value.concurrency > value.customers && value.customers > 0) problems.push(`/concurrency: ${value.concurrency} is more than customers (${value.customers})`);
  if (problems.length > 0) throw new ScenarioError(problems);
  return {
    ...value,
    arrivalPerSecond: value.arrivalPerSecond ?? DEFAULTS.arrivalPerSecond,
    concurrency: value.concurrency ?? Math.max(1, value.customers),
    maxSeconds: value.maxSeconds ?? DEFAULTS.maxSeconds,
    settleSeconds: value.settleSeconds ?? DEFAULTS.settleSeconds,
    summarySeconds: value.summarySeconds ?? DEFAULTS.summarySeconds,
    clientId: value.clientId ?? DEFAULTS.clientId,
  };
}

/** Parses YAML (or JSON) text into a checked scenario; throws ScenarioError. */
export function parseScenario(text: string): Scenario {
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (error) {
    throw new ScenarioError([`not valid YAML: ${(error as Error).message.split('\n')[0]}`]);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ScenarioError(['(top): a scenario is a mapping (platform, callbacks, customers, customer, …)']);
  return checkScenario(value);
}

/** Reads and checks a scenario file; throws ScenarioError (also when it cannot be read). */
export async function loadScenario(file: string): Promise<Scenario> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ScenarioError([`cannot read ${file}: ${(error as Error).message}`]);
  }
  return parseScenario(text);
}

/** Splits `host:port` (the last colon). */
export function hostPort(listen: string): { host: string; port: number } {
  const i = listen.lastIndexOf(':');
  return { host: listen.slice(0, i), port: Number(listen.slice(i + 1)) };
}
