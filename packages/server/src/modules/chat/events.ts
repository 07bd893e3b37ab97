/**
 * What happened, told in-process after the transaction that made it happen has committed.
 * Realtime pushes, the router, the callback worker and metrics listen; nothing here is durable
 * (the store is), so a listener that misses an event catches up from the store.
 */
import { EventEmitter } from 'node:events';
import type { AgentStatus, MessageRow, Party } from '../../db/schema.js';

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
  | { type: 'request-ended'; queueId: number; status: number };

export class ChatEvents {
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
