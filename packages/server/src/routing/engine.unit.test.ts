import { describe, expect, it } from 'vitest';
import { planAssignments, type RoutableAgent } from './engine.js';

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
