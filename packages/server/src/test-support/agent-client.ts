/**
 * A connected agent for tests: the agent API token plus a live Socket.IO feed, recorded.
 *
 * Every event is checked against the protocol's arguments of its name (SERVER_EVENT_ARGS): an
 * unknown name or arguments that do not match are violations, and close() throws naming each.
 */
import { SERVER_EVENT_ARGS } from '@elitewebchat/protocol';
import { io, type Socket } from 'socket.io-client';
import { Compile } from 'typebox/compile';

const validators = new Map(Object.entries(SERVER_EVENT_ARGS).map(([name, schema]) => [name, Compile(schema)]));

/** Why an event's arguments do not match the protocol, or undefined when they do. */
export function eventViolation(name: string, args: unknown[]): string | undefined {
  const validator = validators.get(name);
  let shown = JSON.stringify(args) ?? String(args);
  if (shown.length > 300) shown = `${shown.slice(0, 300)}…`;
  if (!validator) return `${JSON.stringify(name)} is not an event of the protocol (expected one of ${[...validators.keys()].join(', ')}); arguments ${shown}`;
  if (validator.Check(args)) return undefined;
  const errors = validator.Errors(args).map((e) => `${e.instancePath || '(arguments)'} ${e.message}`);
  return `${name}: arguments do not match the protocol (${errors.join('; ')}): ${shown}`;
}

export interface AgentFeed {
  socket: Socket;
  events: { name: string; data: Record<string, unknown> }[];
  /** Every event that did not match the protocol, said in words; close() throws if any. */
  violations: string[];
  of(name: string): Record<string, unknown>[];
  waitFor(predicate: (e: { name: string; data: Record<string, unknown> }) => boolean, what?: string, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Disconnects; then throws if any event it received was malformed (once: a second close does not throw again). */
  close(): void;
}

export async function connectAgent(url: string, token: string): Promise<AgentFeed> {
  const socket = io(url, { path: '/socket.io', auth: { token }, transports: ['websocket'], reconnection: false });
  const events: AgentFeed['events'] = [];
  const violations: string[] = [];
  socket.onAny((name: string, ...args: unknown[]) => {
    // Checked as sent: a batch is one array argument.
    const violation = eventViolation(name, args);
    if (violation !== undefined) violations.push(violation);
    const data = args[0];
    // A batch is recorded as the messages it carries, in order.
    if (name === 'chat.messages' && Array.isArray(data)) for (const m of data as Record<string, unknown>[]) events.push({ name: 'chat.message', data: m });
    else events.push({ name, data: data as Record<string, unknown> });
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (error) => reject(error));
  });
  let reported = false;
  return {
    socket,
    events,
    violations,
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
    close() {
      socket.close();
      if (reported || violations.length === 0) return;
      reported = true;
      throw new Error(`the agent feed received ${violations.length} malformed event(s):\n${violations.map((v) => `- ${v}`).join('\n')}`);
    },
  };
}
