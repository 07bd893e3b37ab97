/**
 * What happened, told after the transaction that made it happen has committed. Realtime
 * pushes, the router, the callback worker and metrics listen; nothing here is durable (the
 * store is), so a listener that misses an event catches up from the store.
 *
 * One process: InMemoryEventBus. Several processes share one store, and then every event must
 * reach the listeners of every process: a shared bus implements the same interface.
 */
import { EventEmitter } from 'node:events';
import type { AgentStatus, DeliveryView, Party } from '@elitewebchat/protocol';
import type { MessageRow } from '../db/schema.js';

export type ChatEvent =
  | { type: 'assigned'; agentId: string; sessionId: number }
  | { type: 'message'; agentId: string; sessionId: number; message: MessageRow }
  /** The chat ended, or (transferred) left this agent for another agent or a queue. */
  | { type: 'closed'; agentId: string; sessionId: number; by: Party; transferred?: boolean }
  | { type: 'agent-status'; agentId: string; status: AgentStatus }
  /** Tokens stopped being valid: one (logout) or all of an agent's (password reset, disabled). */
  | { type: 'tokens-revoked'; agentId: string; tokenHash?: string }
  /** Routing capacity may have appeared: a request arrived, an agent came online, a chat ended. */
  | { type: 'capacity' }
  /** A callback was written to the outbox. */
  | { type: 'outbox' }
  /** Channels were changed by an admin: cached channels are stale. */
  | { type: 'channels-changed' }
  | { type: 'request-ended'; queueId: number; status: number; /** The web chat's visitor who asked, if one did. */ visitorId: string | null; requestId?: number }
  /** A web-chat visitor's pre-message: no agent has the request yet, the visitor's other tabs see it. */
  | { type: 'visitor-message'; visitorId: string; message: MessageRow }
  /** Someone started or stopped typing in a session. */
  | { type: 'typing'; sessionId: number; agentId: string; party: 'customer' | 'agent'; typing: boolean }
  /** What the customer of a session is typing, not yet sent (TPI 2021). */
  | { type: 'preview'; sessionId: number; agentId: string; text: string }
  /** The agent read the customer's messages of a session up to a message id. */
  | { type: 'read'; sessionId: number; upTo: number }
  /** Whether the customer's side has these replies of a session changed (all to the same mark). */
  | { type: 'delivery'; sessionId: number; agentId: string; messageIds: number[]; delivery: DeliveryView }
  /** A message was left outside hours in a queue, or one was handled. */
  | { type: 'left-messages'; queueId: number }
  /** A request was offered to an agent, or an offer to them ended. */
  | { type: 'offer'; agentId: string; requestId: number; change: 'new' | 'accepted' | 'declined' | 'expired' | 'withdrawn' };

export interface EventBus {
  emit(event: ChatEvent): void;
  /** Listens to every event; returns what stops listening. */
  on(listener: (event: ChatEvent) => void): () => void;
}

export class InMemoryEventBus implements EventBus {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(50);
  }

  emit(event: ChatEvent): void {
    this.emitter.emit('event', event);
  }

  on(listener: (event: ChatEvent) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }
}
