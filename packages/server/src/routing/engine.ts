/**
 * The routing decision, with no I/O: which waiting request goes to which agent.
 *
 * Oldest request first (by id, which grows with arrival). Each goes to the online agent of its
 * queue with the fewest open chats; ties go to the agent idle longest, then by id so the result
 * never depends on input order. An agent at its maximum takes nothing more; an agent who just
 * took one is no longer idle; an agent who refused a request is never given it.
 */

export interface WaitingRequest {
  id: number;
  queueId: number;
  /** Agents who declined it or let its offer run out: it never goes to them. */
  refusedBy?: ReadonlySet<string> | undefined;
}

export interface RoutableAgent {
  id: string;
  open: number;
  maxChats: number;
  idleSince: number;
  queueIds: readonly number[];
}

export interface Assignment {
  requestId: number;
  agentId: string;
}

export function planAssignments(waiting: readonly WaitingRequest[], agents: readonly RoutableAgent[], now: number): Assignment[] {
  const load = new Map(agents.map((a) => [a.id, { ...a }]));
  const byQueue = new Map<number, { id: string; open: number; maxChats: number; idleSince: number }[]>();
  for (const agent of load.values()) {
    for (const q of agent.queueIds) {
      let list = byQueue.get(q);
      if (!list) byQueue.set(q, (list = []));
      list.push(agent);
    }
  }
  const plan: Assignment[] = [];
  for (const request of [...waiting].sort((a, b) => a.id - b.id)) {
    let best: { id: string; open: number; maxChats: number; idleSince: number } | undefined;
    for (const agent of byQueue.get(request.queueId) ?? []) {
      if (agent.open >= agent.maxChats || request.refusedBy?.has(agent.id)) continue;
      if (
        !best ||
        agent.open < best.open ||
        (agent.open === best.open && (agent.idleSince < best.idleSince || (agent.idleSince === best.idleSince && agent.id < best.id)))
      ) best = agent;
    }
    if (!best) continue;
    best.open += 1;
    best.idleSince = now;
    plan.push({ requestId: request.id, agentId: best.id });
  }
  return plan;
}
