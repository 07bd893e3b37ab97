/**
 * Holidays and special days act as the weekly hours do, everywhere a third party, a web-chat
 * customer or an admin meets them: -3 to a 1000, OFF_HOUR for a waiting request, the web chat's
 * reason, and the admin API that sets them.
 */
import { RequestStatus, ResultCode } from '@elitewebchat/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, manualClock } from '../../test-support/platform.js';
import { agent, startWorld, type World } from '../../test-support/world.js';
import { Visitor } from '../../test-support/visitor-client.js';

// Thursday 2026-12-24 in Shanghai (UTC+8), local times.
const local = (time: string) => Date.parse(`2026-12-${time}+08:00`);

describe('closed dates and special hours', () => {
  let w: World | undefined;
  const clock = manualClock(local('24T10:00'));

  afterEach(async () => {
    await w?.close();
    w = undefined;
  });

  async function start() {
    clock.set(local('24T10:00'));
    w = await startWorld({
      clock: clock.now,
      queues: [
        {
          id: 1,
          name: 'weekdays',
          hours: { mon: ['09:00-18:00'], tue: ['09:00-18:00'], wed: ['09:00-18:00'], thu: ['09:00-18:00'], fri: ['09:00-18:00'] },
          closedDates: ['2026-12-24..2026-12-26'],
          specialHours: { '2026-12-24': ['09:00-12:00'] },
          whenNoAgentOnline: 'wait',
          maxWaitSeconds: 86_400,
        },
        { id: 2, name: 'always, but for New Year', closedDates: ['2027-01-01'], whenNoAgentOnline: 'wait', maxWaitSeconds: 86_400 * 30 },
      ],
      agents: [agent('A', { queues: [1, 2] }), { id: 'ADM', username: 'adm', password: 'adm-password', name: 'Adm', role: 'admin' }],
      more: { channels: [{ id: 'web', kind: 'web', queues: [1, 2] }] },
    });
    return w;
  }

  it('opens on a closed date for its special hours only, and ends what waits when they end', async () => {
    const { p } = await start();
    // Christmas Eve is a closed date with special hours 09:00-12:00: open at 10:00.
    const asked = await p.tpi({ type: 1000, clientId: 'eve', queueId: 1 });
    expect(asked.result).toBe(ResultCode.SUCCESS);
    clock.set(local('24T12:00'));
    await eventually(async () => (await p.tpi({ type: 1001, requestId: asked.requestId })).requestStatus === RequestStatus.OFF_HOUR, 5_000, 'OFF_HOUR');
    expect((await p.tpi({ type: 1000, clientId: 'late', queueId: 1 })).result).toBe(ResultCode.NOT_IN_WORKTIME);
    // Christmas: a Friday, but closed; the 28th, a Monday, open again by the week.
    clock.set(local('25T10:00'));
    expect((await p.tpi({ type: 1000, clientId: 'xmas', queueId: 1 })).result).toBe(ResultCode.NOT_IN_WORKTIME);
    clock.set(local('28T10:00'));
    expect((await p.tpi({ type: 1000, clientId: 'monday', queueId: 1 })).result).toBe(ResultCode.SUCCESS);
    // A queue always open but for New Year's Day, in its own zone.
    clock.set(Date.parse('2026-12-31T16:30:00Z')); // 00:30 on the 1st in Shanghai
    expect((await p.tpi({ type: 1000, clientId: 'ny', queueId: 2 })).result).toBe(ResultCode.NOT_IN_WORKTIME);
    clock.set(Date.parse('2027-01-01T16:00:00Z')); // 00:00 on the 2nd
    expect((await p.tpi({ type: 1000, clientId: 'ny', queueId: 2 })).result).toBe(ResultCode.SUCCESS);
  });

  it('tells the web chat why, and lets an admin set them (and names a bad date)', async () => {
    const { p } = await start();
    clock.set(local('25T10:00'));
    const v = new Visitor(p.url, 'web');
    const channel = await v.expect<{ queues: { id: number; state: string }[] }>(200, 'GET', '/channel');
    expect(channel.queues).toEqual([
      { id: 1, name: 'weekdays', state: 'closed-hours' },
      { id: 2, name: 'always, but for New Year', state: 'open' },
    ]);

    const admin = await p.login('adm', 'adm-password');
    const queue = (await p.api<{ queues: { id: number; closedDates: string[]; specialHours: Record<string, string[]> }[] }>('GET', '/api/v1/admin/queues', admin)).body.queues[0]!;
    expect(queue).toMatchObject({ closedDates: ['2026-12-24..2026-12-26'], specialHours: { '2026-12-24': ['09:00-12:00'] } });
    // Christmas opens 10:00-11:00 after all.
    const put = await p.api('PUT', '/api/v1/admin/queues/1', admin, { name: 'weekdays', whenNoAgentOnline: 'wait', hours: { fri: ['09:00-18:00'] }, closedDates: queue.closedDates, specialHours: { '2026-12-25': ['10:00-11:00'] } });
    expect(put.status).toBe(200);
    expect((await v.expect<{ queues: { id: number; state: string }[] }>(200, 'GET', '/channel')).queues[0]!.state).toBe('open');
    const bad = await p.api<{ error: { message: string } }>('PUT', '/api/v1/admin/queues/1', admin, { name: 'weekdays', closedDates: ['2026-02-30', '2026-12-31..2026-12-01'] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('"2026-02-30" is not a date');
    expect(bad.body.error.message).toContain('"2026-12-31..2026-12-01" ends before it starts');
  });
});
