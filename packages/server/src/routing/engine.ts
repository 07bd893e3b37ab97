/**
 * The routing decision, with no I/O: which waiting request goes to which agent.
 *
 * Oldest request first (by id, which grows with arrival). Each goes to the online agent of its
 * queue with the fewest open chats; ties go to the agent idle longest, then by id so the result
 * never depends on input order. An agent at its maximum takes nothing more; an agent who just
 * took one is no longer idle; an agent who refused a request is never given it.
 *
 * The plan needs only the oldest few requests of each queue (see moreNeeded), so the router
 * reads no more of a deep backlog than its agents can take.
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

/** A queue's room: the free places of its agents with room (maxChats − open), and who they are. */
export interface QueuePlaces {
  free: number;
  withRoom: ReadonlySet<string>;
}

/** The room of every queue that has an agent with a free place; a queue that is not here routes nothing. */
export function placesByQueue(agents: readonly RoutableAgent[]): Map<number, QueuePlaces> {
  const places = new Map<number, { free: number; withRoom: Set<string> }>();
  for (const agent of agents) {
    const free = agent.maxChats - agent.open;
    if (free <= 0) continue;
    for (const q of agent.queueIds) {
      let p = places.get(q);
      if (!p) places.set(q, (p = { free: 0, withRoom: new Set() }));
      if (p.withRoom.has(agent.id)) continue;
      p.free += free;
      p.withRoom.add(agent.id);
    }
  }
  return places;
}

/**
 * How many more of a queue's waiting requests, after `read` (its oldest, in order of id, none of
 * them held by an open offer), planAssignments could need; 0: none, the plan is the same as with
 * every request of the queue. Each request of the queue that no agent with room refused either
 * gets one of the queue's free places, or finds none left, and then nothing after it can get one:
 * once as many of those were read as the queue has free places, no later request of the queue
 * gets anything, and so none changes what the others get. (Its agents' places go to other queues'
 * requests in the same order either way.) Requests that someone with room refused may be passed
 * over while room is left, so they do not count.
 */
export function moreNeeded(read: readonly WaitingRequest[], places: QueuePlaces | undefined): number {
  if (!places) return 0;
  let sure = 0;
  for (const request of read) {
    if (!request.refusedBy || ![...request.refusedBy].some((id) => places.withRoom.has(id))) sure += 1;
    if (sure >= places.free) return 0;
  }
  return places.free - sure;
}
