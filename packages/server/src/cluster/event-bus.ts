/**
 * What happened, told after the transaction that made it happen has committed. Realtime
 * pushes, the router, the callback worker and metrics listen; nothing here is durable (the
 * store is), so a listener that misses an event catches up from the store.
 *
 * One process: InMemoryEventBus. Several processes share one store, and then every event must
 * reach the listeners of every process: a shared bus implements the same interface.
 */
import { EventEmitter } from 'node:events';
import type { AgentStatus, Party } from '@elitewebchat/protocol';
import type { MessageRow } from '../db/schema.js';

export type ChatEvent =
  | { type: 'assigned'; agentId: string; sessionId: number }
  | { type: 'message'; agentId: string; sessionId: number; message: MessageRow }
  | { type: 'closed'; agentId: string; sessionId: number; by: Party }
  | { type: 'agent-status'; agentId: string; status: AgentStatus }
  /** Tokens stopped being valid: one (logout) or all of an agent's (password reset, disabled). */
  | { type: 'tokens-revoked'; agentId: string; tokenHash?: string }
  /** Routing capacity may have appeared: a request arrived, an agent came online, a chat ended. */
  | { type: 'capacity' }
  /** A callback was written to the outbox. */
  | { type: 'outbox' }
  /** Channels were changed by an admin: cached channels are stale. */
  | { type: 'channels-changed' }
  | { type: 'request-ended'; queueId: number; status: number };

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
