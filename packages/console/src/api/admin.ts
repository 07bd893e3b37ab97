/** The admin API: /api/v1/admin/* (role admin). Every change takes effect without a restart. */
import { del, get, post, put } from './http';
import type {
  AdminAgent,
  AdminQueue,
  AgentCreateInput,
  AgentUpdateInput,
  Callback,
  CallbackDetail,
  CallbackFilter,
  CannedReply,
  Channel,
  ChannelCreateInput,
  ChannelUpdateInput,
  QueueInput,
} from './types';

const X = '/api/v1/admin';

export const adminApi = {
  queues: () => get<{ queues: AdminQueue[] }>(`${X}/queues`).then((r) => r.queues),
  createQueue: (queue: AdminQueue) => post<AdminQueue>(`${X}/queues`, queue),
  updateQueue: (id: number, queue: QueueInput) => put<AdminQueue>(`${X}/queues/${id}`, queue),

  agents: () => get<{ agents: AdminAgent[] }>(`${X}/agents`).then((r) => r.agents),
  createAgent: (agent: AgentCreateInput) => post<AdminAgent>(`${X}/agents`, agent),
  updateAgent: (id: string, agent: AgentUpdateInput) => put<AdminAgent>(`${X}/agents/${encodeURIComponent(id)}`, agent),
  resetPassword: (id: string, password: string) => post<void>(`${X}/agents/${encodeURIComponent(id)}/password`, { password }),

  channels: () => get<{ channels: Channel[] }>(`${X}/channels`).then((r) => r.channels),
  createChannel: (channel: ChannelCreateInput) => post<Channel>(`${X}/channels`, channel),
  updateChannel: (id: string, channel: ChannelUpdateInput) => put<Channel>(`${X}/channels/${encodeURIComponent(id)}`, channel),

  callbacks: (filter: CallbackFilter) =>
    get<{ callbacks: Callback[] }>(`${X}/callbacks`, {
      status: filter.status,
      channelId: filter.channelId,
      sessionId: filter.sessionId,
      limit: filter.limit,
      before: filter.before,
    }).then((r) => r.callbacks),
  callback: (id: number) => get<CallbackDetail>(`${X}/callbacks/${id}`),

  addSharedReply: (shortcut: string, text: string) => post<CannedReply>(`${X}/canned-replies`, { shortcut, text }),
  deleteSharedReply: (id: number) => del(`${X}/canned-replies/${id}`),
};
