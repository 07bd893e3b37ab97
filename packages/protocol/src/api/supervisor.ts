/** The supervisor API (/api/v1/supervisor/*): the live board and read-only sessions. */
import Type, { type Static } from 'typebox';
import { AgentStatusSchema } from './agent.js';
import { Nullable } from './common.js';

export const BoardQueue = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  waiting: Type.Integer(),
  longestWaitMs: Type.Integer({ description: 'how long the oldest waiting request has waited' }),
  agentsOnline: Type.Integer(),
  load: Type.Object({ open: Type.Integer({ description: "open chats of the queue's online agents" }), capacity: Type.Integer({ description: 'the sum of their maxChats' }) }),
  estimatedWaitSeconds: Nullable(Type.Integer({ description: 'what a request joining the queue now would be told (docs/tpi.md, "Estimated wait"); null: no recent history' })),
  leftMessagesOpen: Type.Integer({ description: 'messages left outside hours (web chat) not yet handled' }),
});

export const BoardAgent = Type.Object({
  id: Type.String(),
  name: Type.String(),
  alias: Type.String(),
  status: AgentStatusSchema,
  openChats: Type.Integer(),
  maxChats: Type.Integer(),
  queueIds: Type.Array(Type.Integer()),
  awayReason: Nullable(Type.Enum(['not-responding'] as const, { description: 'not-responding: set away by the platform after letting offers run out' })),
  bridge: Nullable(Type.String({ description: 'the agent bridge this agent answers through' })),
  openOffers: Type.Integer({ description: 'chats offered to the agent now' }),
});

export const Board = Type.Object({
  queues: Type.Array(BoardQueue),
  agents: Type.Array(BoardAgent),
  today: Type.Object({
    since: Type.Integer({ description: "midnight in REPORT_TIMEZONE, ms since the epoch" }),
    requestsByState: Type.Record(Type.String(), Type.Integer(), { description: 'requests made today, by state name' }),
    averageWaitMs: Nullable(Type.Integer()),
    ratings: Type.Object({ count: Type.Integer(), byRatingId: Type.Record(Type.String(), Type.Integer()) }),
  }),
});

export const AssignBody = Type.Object({ agentId: Type.String({ minLength: 1, maxLength: 64 }) });
export const MoveBody = Type.Object({ toAgentId: Type.String({ minLength: 1, maxLength: 64 }), note: Type.Optional(Type.String({ maxLength: 1000 })) });

export type AssignBody = Static<typeof AssignBody>;
export type MoveBody = Static<typeof MoveBody>;
export type BoardQueue = Static<typeof BoardQueue>;
export type BoardAgent = Static<typeof BoardAgent>;
export type Board = Static<typeof Board>;
