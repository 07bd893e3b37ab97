/** A connected agent for tests: the agent API token plus a live Socket.IO feed, recorded. */
import { io, type Socket } from 'socket.io-client';

export interface AgentFeed {
  socket: Socket;
  events: { name: string; data: Record<string, unknown> }[];
  of(name: string): Record<string, unknown>[];
  waitFor(predicate: (e: { name: string; data: Record<string, unknown> }) => boolean, what?: string, timeoutMs?: number): Promise<Record<string, unknown>>;
  close(): void;
}

export async function connectAgent(url: string, token: string): Promise<AgentFeed> {
  const socket = io(url, { path: '/socket.io', auth: { token }, transports: ['websocket'], reconnection: false });
  const events: AgentFeed['events'] = [];
  socket.onAny((name: string, data: unknown) => {
    // A batch is recorded as the messages it carries, in order.
    if (name === 'chat.messages') for (const m of data as Record<string, unknown>[]) events.push({ name: 'chat.message', data: m });
    else events.push({ name, data: data as Record<string, unknown> });
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (error) => reject(error));
  });
  return {
    socket,
    events,
    of: (name) => events.filter((e) => e.name === name).map((e) => e.data),
    async waitFor(predicate, what = 'agent event', timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const hit = events.find(predicate);
        if (hit) return hit.data;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; got ${JSON.stringify(events.map((e) => e.name))}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close: () => socket.close(),
  };
}
