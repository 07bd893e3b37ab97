import { describe, expect, it } from 'vitest';
import { moreNeeded, placesByQueue, planAssignments, type RoutableAgent, type WaitingRequest } from './engine.js';

const agent = (id: string, over: Partial<RoutableAgent> = {}): RoutableAgent => ({ id, open: 0, maxChats: 5, idleSince: 0, queueIds: [1], ...over });

describe('planAssignments', () => {
  it('serves the oldest request first', () => {
    const plan = planAssignments([{ id: 9, queueId: 1 }, { id: 3, queueId: 1 }], [agent('A', { maxChats: 1 })], 100);
    expect(plan).toEqual([{ requestId: 3, agentId: 'A' }]);
  });

  it('gives each request to the agent with the fewest open chats', () => {
    const plan = planAssignments([{ id: 1, queueId: 1 }], [agent('A', { open: 2 }), agent('B', { open: 1 }), agent('C', { open: 3 })], 100);
    expect(plan).toEqual([{ requestId: 1, agentId: 'B' }]);
  });

  it('breaks a tie by who has been idle longest, then by id', () => {
    expect(planAssignments([{ id: 1, queueId: 1 }], [agent('A', { idleSince: 50 }), agent('B', { idleSince: 10 })], 100)).toEqual([
      { requestId: 1, agentId: 'B' },
    ]);
    expect(planAssignments([{ id: 1, queueId: 1 }], [agent('B'), agent('A')], 100)).toEqual([{ requestId: 1, agentId: 'A' }]);
  });

  it('spreads a burst across agents and never exceeds anyone\'s maximum', () => {
    const waiting = Array.from({ length: 10 }, (_, i) => ({ id: i + 1, queueId: 1 }));
    const plan = planAssignments(waiting, [agent('A', { maxChats: 2 }), agent('B', { maxChats: 3, open: 1 })], 100);
    const count = (id: string) => plan.filter((p) => p.agentId === id).length;
    expect(count('A')).toBe(2);
    expect(count('B')).toBe(2);
    expect(plan.map((p) => p.requestId)).toEqual([1, 2, 3, 4]);
    // Fewest open first: A (0) takes 1, then A and B are level at 1 and B has been idle longer.
    expect(plan.slice(0, 2)).toEqual([
      { requestId: 1, agentId: 'A' },
      { requestId: 2, agentId: 'B' },
    ]);
  });

  it('only gives a request to agents of its queue', () => {
    const plan = planAssignments([{ id: 1, queueId: 2 }, { id: 2, queueId: 1 }], [agent('A', { queueIds: [1] }), agent('B', { queueIds: [3] })], 100);
    expect(plan).toEqual([{ requestId: 2, agentId: 'A' }]);
  });

  it('plans nothing without capacity', () => {
    expect(planAssignments([{ id: 1, queueId: 1 }], [agent('A', { open: 5 })], 100)).toEqual([]);
    expect(planAssignments([{ id: 1, queueId: 1 }], [], 100)).toEqual([]);
  });
});

describe('placesByQueue', () => {
  it('adds up the free places of each queue\'s agents with room, and names them', () => {
    const places = placesByQueue([
      agent('A', { queueIds: [1, 2], open: 1, maxChats: 3 }),
      agent('B', { queueIds: [2], open: 0, maxChats: 1 }),
      agent('C', { queueIds: [1, 3], open: 2, maxChats: 2 }),
      agent('D', { queueIds: [3], open: 4, maxChats: 2 }),
    ]);
    expect(places.get(1)).toEqual({ free: 2, withRoom: new Set(['A']) });
    expect(places.get(2)).toEqual({ free: 3, withRoom: new Set(['A', 'B']) });
    // Full (C) or past its maximum (D): no room.
    expect(places.has(3)).toBe(false);
  });
});

describe('moreNeeded', () => {
  const places = { free: 3, withRoom: new Set(['A', 'B']) };

  it('wants as many as the queue has free places', () => {
    expect(moreNeeded([], places)).toBe(3);
    expect(moreNeeded([{ id: 1, queueId: 1 }], places)).toBe(2);
    expect(moreNeeded([1, 2, 3, 4].map((id) => ({ id, queueId: 1 })), places)).toBe(0);
    expect(moreNeeded([{ id: 1, queueId: 1 }], undefined)).toBe(0);
  });

  it('does not count requests refused by an agent with room, and counts those refused by others only', () => {
    const read: WaitingRequest[] = [
      { id: 1, queueId: 1, refusedBy: new Set(['A']) },
      { id: 2, queueId: 1, refusedBy: new Set(['Z']) },
      { id: 3, queueId: 1, refusedBy: new Set(['B', 'Z']) },
      { id: 4, queueId: 1 },
    ];
    expect(moreNeeded(read, places)).toBe(1);
    expect(moreNeeded([...read, { id: 5, queueId: 1, refusedBy: new Set() }], places)).toBe(0);
  });

  // A seeded generator: the same worlds on every run.
  const random = (seed: number) => () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };

  it('plans exactly as with every waiting request, from only the oldest of each queue it asks for', () => {
    for (let seed = 1; seed <= 500; seed++) {
      const r = random(seed);
      const int = (n: number) => Math.floor(r() * n);
      const queues = 1 + int(6);
      const agents = Array.from({ length: 1 + int(10) }, (_, i) => {
        const maxChats = 1 + int(4);
        const queueIds = [...new Set(Array.from({ length: 1 + int(3) }, () => 1 + int(queues)))];
        return agent(`A${i}`, { maxChats, open: int(maxChats + 1), idleSince: int(5), queueIds });
      });
      const names = agents.map((a) => a.id);
      // Refusals are heavy at the front of the line, where they change the most.
      const waiting: WaitingRequest[] = Array.from({ length: int(60) }, (_, i) => {
        const refused = r() < (i < 15 ? 0.5 : 0.1) ? new Set(names.filter(() => r() < 0.5)) : undefined;
        return { id: i + 1, queueId: 1 + int(queues), refusedBy: refused };
      });
      const places = placesByQueue(agents);
      // What the router reads: per queue, its oldest until moreNeeded says enough, in pages.
      const window: WaitingRequest[] = [];
      for (let q = 1; q <= queues; q++) {
        const line = waiting.filter((w) => w.queueId === q);
        let read = 0;
        for (let want = places.get(q)?.free ?? 0; want > 0 && read < line.length; want = moreNeeded(line.slice(0, read), places.get(q))) read += want;
        window.push(...line.slice(0, read));
      }
      const all = planAssignments(waiting, agents, 100);
      expect(planAssignments(window, agents, 100), `seed ${seed}`).toEqual(all);
      // And it reads no more of a queue than its places and the requests refused by agents with room.
      for (let q = 1; q <= queues; q++) {
        const read = window.filter((w) => w.queueId === q);
        const skippable = read.filter((w) => [...(w.refusedBy ?? [])].some((id) => places.get(q)?.withRoom.has(id))).length;
        expect(read.length, `seed ${seed} queue ${q}`).toBeLessThanOrEqual((places.get(q)?.free ?? 0) + skippable);
      }
    }
  });
});
