/**
 * Chat events to the agent's room (every tab of the agent) and to the room of the session
 * (supervisors watching it): `chat.assigned` (the session, pre-messages first), `chat.message`,
 * `chat.messages` (several written together, in order), `chat.closed` and `message.delivery`
 * (a reply's delivery mark changed).
 *
 * Per agent, pushes leave in the order the events happened, even when one needs a read first.
 * Messages written together (a group of 2001s: their events come one after another, before the
 * agent's next push runs) leave together, in one `chat.messages` frame.
 */
import { ServerEvent, type MessageView } from '@elitewebchat/protocol';
import type { Logger } from 'pino';
import type { EventBus } from '../cluster/event-bus.js';
import { presentMessage, presentSession, type AgentService } from '../modules/agent/index.js';
import { agentRoom, hasMembers, sessionRoom, type AgentServer } from './io.js';

/** Returns what stops it. */
export function fanOutChatEvents(
  io: AgentServer,
  deps: { events: EventBus; agents: Pick<AgentService, 'session' | 'latestMessagesOf'>; log: Logger },
): () => void {
  const chains = new Map<string, Promise<void>>();
  /** Runs after the agent's earlier pushes. */
  const push = (agentId: string, task: () => Promise<void> | void) => {
    const next = (chains.get(agentId) ?? Promise.resolve())
      .then(task)
      .catch((error: unknown) => deps.log.error({ err: error, agentId }, 'realtime push failed'));
    chains.set(agentId, next);
    void next.finally(() => {
      if (chains.get(agentId) === next) chains.delete(agentId);
    });
  };

  /** agent id → the messages its next push will carry. */
  const batches = new Map<string, MessageView[]>();

  return deps.events.on((event) => {
    switch (event.type) {
      case 'message': {
        const view = presentMessage(event.message);
        const watchers = sessionRoom(event.sessionId);
        if (hasMembers(io, watchers)) io.to(watchers).except(agentRoom(event.agentId)).emit(ServerEvent.CHAT_MESSAGE, view);
        let batch = batches.get(event.agentId);
        if (!batch) {
          const views: MessageView[] = [];
          batch = views;
          batches.set(event.agentId, views);
          push(event.agentId, () => {
            batches.delete(event.agentId);
            if (views.length === 1) io.to(agentRoom(event.agentId)).emit(ServerEvent.CHAT_MESSAGE, views[0]!);
            else io.to(agentRoom(event.agentId)).emit(ServerEvent.CHAT_MESSAGES, views);
          });
        }
        batch.push(view);
        break;
      }
      case 'closed': {
        // A transferred chat is closed for the agent it left, not for those watching it.
        const to = event.transferred ? [agentRoom(event.agentId)] : [agentRoom(event.agentId), sessionRoom(event.sessionId)];
        push(event.agentId, () => void io.to(to).emit(ServerEvent.CHAT_CLOSED, { sessionId: event.sessionId, by: event.by }));
        break;
      }
      case 'delivery': {
        // After the agent's earlier pushes: a reply's mark never arrives before the reply.
        const to = [agentRoom(event.agentId), sessionRoom(event.sessionId)];
        push(event.agentId, () => {
          for (const messageId of event.messageIds) io.to(to).emit(ServerEvent.MESSAGE_DELIVERY, { sessionId: event.sessionId, messageId, delivery: event.delivery });
        });
        break;
      }
      case 'assigned':
        push(event.agentId, async () => {
          const session = await deps.agents.session(event.agentId, event.sessionId);
          const latest = (await deps.agents.latestMessagesOf([session.id])).get(session.id);
          io.to(agentRoom(event.agentId)).emit(ServerEvent.CHAT_ASSIGNED, presentSession(session, latest?.messages ?? [], latest?.hasEarlier ?? false));
        });
        break;
      default:
        break;
    }
  });
}
