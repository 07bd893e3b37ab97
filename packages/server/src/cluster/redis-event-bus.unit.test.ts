import { describe, expect, it } from 'vitest';
import type { ChatEvent } from './event-bus.js';
import { decodeEvent, encodeEvent } from './redis-event-bus.js';

const row = {
  id: 7,
  request_id: null,
  session_id: 3,
  sender: 'customer',
  kind: 'text',
  text: '你好 /::) "q" \u0000 \u2028 😀',
  image_id: null,
  event: null,
  client_msg_id: null,
  file_id: null,
  media: '{"seconds":3}',
  extra: null,
  revoked_at: null,
  client_time: null,
  created_at: 1_800_000_000_123,
} as const;

describe('the event codec of RedisEventBus', () => {
  it('sends plain events as plain JSON, and reads them back strictly equal', () => {
    const events: ChatEvent[] = [
      { type: 'message', agentId: 'A', sessionId: 3, message: { ...row } },
      { type: 'delivery', sessionId: 3, agentId: 'A', messageIds: [1, 2], delivery: { state: 'retrying', attempts: 2, lastError: 'HTTP 500', callbackId: 9 } },
      { type: 'closed', agentId: 'A', sessionId: 3, by: 'agent', transferred: true },
      { type: 'capacity' },
    ];
    for (const event of events) {
      expect(encodeEvent(event)).toBe(JSON.stringify(event));
      expect(decodeEvent(encodeEvent(event))).toStrictEqual(event);
    }
  });

  it('carries what JSON would change: bigint, bytes, dates, non-finite numbers; drops undefined fields', () => {
    const odd = {
      type: 'message',
      agentId: 'A',
      sessionId: 3,
      message: { ...row, id: 2n ** 63n, bytes: Buffer.from([0, 1, 255]), view: new Uint8Array([9, 8]).subarray(1), at: new Date(1_800_000_000_000), inf: -Infinity, nan: NaN, gone: undefined },
    } as unknown as ChatEvent;
    const back = decodeEvent(encodeEvent(odd)) as unknown as { message: Record<string, unknown> };
    expect(back.message.id).toBe(2n ** 63n);
    expect(back.message.bytes).toEqual(Buffer.from([0, 1, 255]));
    expect(back.message.view).toEqual(Buffer.from([8]));
    expect(back.message.at).toEqual(new Date(1_800_000_000_000));
    expect(back.message.inf).toBe(-Infinity);
    expect(back.message.nan).toBeNaN();
    expect('gone' in back.message).toBe(false);
    expect(back.message.text).toBe(row.text);
  });
});
