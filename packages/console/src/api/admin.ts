/** The admin API: /api/v1/admin/* (role admin). Every change takes effect without a restart. Its shapes are the protocol's. */
import type {
  AdminAgent,
  AdminQueue,
  AgentCreate,
  AgentUpdate,
  CallbackDetail,
  CallbacksQuery,
  CallbackView,
  CannedBody,
  CannedReply,
  ChannelCreate,
  ChannelUpdate,
  ChannelView,
  QueueCreate,
  QueueUpdate,
} from '@elitewebchat/protocol/browser';
import { del, get, post, put } from './http';

const X = '/api/v1/admin';

export const adminApi = {
  queues: () => get<{ queues: AdminQueue[] }>(`${X}/queues`).then((r) => r.queues),
  createQueue: (queue: QueueCreate) => post<AdminQueue>(`${X}/queues`, queue),
  updateQueue: (id: number, queue: QueueUpdate) => put<AdminQueue>(`${X}/queues/${id}`, queue),
  agents: () => get<{ agents: AdminAgent[] }>(`${X}/agents`).then((r) => r.agents),
  createAgent: (agent: AgentCreate) => post<AdminAgent>(`${X}/agents`, agent),
  updateAgent: (id: string, agent: AgentUpdate) => put<AdminAgent>(`${X}/agents/${encodeURIComponent(id)}`, agent),
  resetPassword: (id: string, password: string) => post<void>(`${X}/agents/${encodeURIComponent(id)}/password`, { password }),
  channels: () => get<{ channels: ChannelView[] }>(`${X}/channels`).then((r) => r.channels),
  createChannel: (channel: ChannelCreate) => post<ChannelView>(`${X}/channels`, channel),
  updateChannel: (id: string, channel: ChannelUpdate) => put<ChannelView>(`${X}/channels/${encodeURIComponent(id)}`, channel),
  callbacks: (query: CallbacksQuery) => get<{ callbacks: CallbackView[] }>(`${X}/callbacks`, query).then((r) => r.callbacks),
  callback: (id: number) => get<CallbackDetail>(`${X}/callbacks/${id}`),
  addSharedReply: (shortcut: string, text: string) => post<CannedReply>(`${X}/canned-replies`, { shortcut, text } satisfies CannedBody),
  deleteSharedReply: (id: number) => del(`${X}/canned-replies/${id}`),
};
