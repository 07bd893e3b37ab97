import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import en from '../i18n/en.json';
import zhCN from '../i18n/zh-CN.json';
import { conflictOf, explainConflict } from './conflicts';

// The server's messages, as its routes word them (queue-routes.ts, offer-routes.ts, transfers.ts).
const CASES: [string, string | undefined, string, Record<string, string>][] = [
  ['request 7 was taken by T1 first', undefined, 'takenBy', { agent: 'T1' }],
  ['request 7 is no longer waiting', undefined, 'gone', {}],
  ['request 7 is not offered to you (any more): its offer ran out, was withdrawn or went to someone else', undefined, 'notOffered', {}],
  ['you have no room for another chat (maxChats), or went offline', undefined, 'noRoomOrOffline', {}],
  ['you have no room for another chat (maxChats)', undefined, 'noRoom', {}],
  ['go online to take chats', undefined, 'offline', {}],
  ['you must be online to take chats', undefined, 'offline', {}],
  ['queue 3 routes its requests itself (assignment: auto)', undefined, 'notManual', {}],
  ['no request 7 in your queues', undefined, 'notInQueues', {}],
  ['agent C1 has no room: 2 chats and 1 offers of 3 (maxChats)', 'CONFLICT', 'agentNoRoom', { agent: 'C1' }],
  ['C1 has no room for another chat (maxChats)', 'CONFLICT', 'agentNoRoom', { agent: 'C1' }],
  ['agent C1 is away: a chat goes only to an online agent', 'CONFLICT', 'agentNotOnline', { agent: 'C1' }],
  ['C1 must be online to take chats', 'CONFLICT', 'agentNotOnline', { agent: 'C1' }],
  ['no agent C9', 'NOT_FOUND', 'noAgent', { agent: 'C9' }],
  ["session 12 is already C1's", 'CONFLICT', 'alreadyTheirs', { agent: 'C1' }],
  ['queue 2 is outside its working hours (Asia/Shanghai)', 'OUTSIDE_WORKING_HOURS', 'queueClosed', {}],
  ['queue 2 has no agents', 'QUEUE_UNAVAILABLE', 'queueUnavailable', {}],
  ['session 12 is closed: only an open chat can be transferred', 'SESSION_CLOSED', 'chatNotOpen', {}],
];

const tr = (lng: string) => {
  const i18n = i18next.createInstance();
  void i18n.init({ resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } }, lng, interpolation: { escapeValue: false }, initAsync: false });
  return i18n.t;
};

describe('a refusal from the server in our words', () => {
  it.each(CASES)('%s', (message, code, key, values) => {
    expect(conflictOf(message, code)).toEqual({ key, values });
  });

  it('has words in both languages for every case, naming the agent where there is one', () => {
    for (const lng of ['en', 'zh-CN']) {
      const t = tr(lng);
      for (const [message, code, key] of CASES) {
        const text = explainConflict(t, message, code);
        expect(text, `${lng} ${key}`).not.toBe(`conflict.${key}`);
        expect(text).not.toContain('{{');
      }
    }
    expect(explainConflict(tr('zh-CN'), 'request 7 was taken by T1 first')).toBe('已被其他坐席（T1）抢先接入');
    expect(explainConflict(tr('en'), 'agent C1 is offline: a chat goes only to an online agent')).toBe('C1 is not online: chats go only to online agents');
  });

  it('leaves what it does not know to the server’s own words', () => {
    expect(conflictOf('something new went wrong')).toBeNull();
    expect(explainConflict(tr('en'), 'something new went wrong', 'CONFLICT')).toBeNull();
  });
});
