/**
 * The test agent feed checks every realtime event against the protocol: proven here with a
 * bare Socket.IO server that emits good and malformed events, as a platform with a broken
 * event payload would.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MessageView } from '@elitewebchat/protocol';
import { Server, type Socket } from 'socket.io';
import { afterEach, describe, expect, it } from 'vitest';
import { connectAgent, type AgentFeed } from './agent-client.js';

const message = (id: number, text: string): MessageView => ({ id, sessionId: 3, sender: 'customer', kind: 'text', text, createdAt: 1_700_000_000_000, clientTime: null });

/** A Socket.IO server on loopback that runs `script` for each connection. */
async function feedServer(script: (socket: Socket) => void): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer();
  const io = new Server(server, { path: '/socket.io', serveClient: false });
  io.on('connection', script);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => void io.close(() => resolve())),
  };
}

describe('the test agent feed', () => {
  const cleanups: (() => Promise<void>)[] = [];

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  /** A feed of a server that runs `script`, once its last event (always queues.changed) has come. */
  async function connect(script: (socket: Socket) => void): Promise<AgentFeed> {
    const server = await feedServer(script);
    cleanups.push(server.close);
    const feed = await connectAgent(server.url, 'any-token');
    cleanups.push(async () => {
      feed.socket.close();
    });
    await feed.waitFor((e) => e.name === 'queues.changed', 'the scripted events');
    return feed;
  }

  it('takes every event of the protocol, records a batch as its messages, and closes cleanly', async () => {
    const feed = await connect((socket) => {
      socket.emit('chat.message', message(1, 'one'));
      socket.emit('chat.messages', [message(2, 'two'), message(3, 'three')]);
      socket.emit('chat.closed', { sessionId: 3, by: 'customer' });
      socket.emit('board.changed');
      socket.emit('queues.changed', { queues: [{ id: 1, name: 'q', waiting: 2 }] });
    });
    expect(feed.violations).toEqual([]);
    expect(feed.events.map((e) => e.name)).toEqual(['chat.message', 'chat.message', 'chat.message', 'chat.closed', 'board.changed', 'queues.changed']);
    expect(feed.of('chat.message').map((m) => m.text)).toEqual(['one', 'two', 'three']);
    expect(() => feed.close()).not.toThrow();
  });

  it('records each malformed event as a violation and fails close() naming each, once', async () => {
    const feed = await connect((socket) => {
      socket.emit('chat.message', { ...message(1, 'one'), sender: 'robot' });
      // A batch is checked whole, before it is split into messages.
      socket.emit('chat.messages', [message(2, 'two'), { ...message(3, 'three'), id: 'three' }]);
      socket.emit('chat.messages', message(4, 'not in an array'));
      socket.emit('chat.closed', { sessionId: 3 });
      socket.emit('chat.closed', { sessionId: 3, by: 'agent' }, 'an extra argument');
      socket.emit('board.changed', { unexpected: true });
      socket.emit('chat.transferred', { sessionId: 3 });
      socket.emit('queues.changed', { queues: [{ id: 1, name: 'q', waiting: 2 }] });
    });
    expect(feed.violations).toHaveLength(7);
    // Still recorded, so that tests see what came.
    expect(feed.of('chat.message').map((m) => m.text)).toEqual(['one', 'two', 'three']);
    expect(feed.of('chat.messages').map((m) => m.text)).toEqual(['not in an array']);

    let error: Error | undefined;
    try {
      feed.close();
    } catch (e) {
      error = e as Error;
    }
    expect(error).toBeInstanceOf(Error);
    const lines = error!.message.split('\n');
    expect(lines[0]).toBe('the agent feed received 7 malformed event(s):');
    expect(lines.slice(1)).toEqual([
      expect.stringMatching(/^- chat\.message: arguments do not match the protocol \(\/0\/sender /),
      expect.stringMatching(/^- chat\.messages: arguments do not match the protocol \(\/0\/1\/id /),
      expect.stringMatching(/^- chat\.messages: arguments do not match the protocol \(\/0 /),
      expect.stringMatching(/^- chat\.closed: arguments do not match the protocol \(.*by/),
      expect.stringMatching(/^- chat\.closed: arguments do not match the protocol .*"an extra argument"/),
      expect.stringMatching(/^- board\.changed: arguments do not match the protocol /),
      expect.stringMatching(/^- "chat\.transferred" is not an event of the protocol/),
    ]);
    // Reported once: closing again (as a world does for every feed) does not throw again.
    expect(() => feed.close()).not.toThrow();
  });
});
