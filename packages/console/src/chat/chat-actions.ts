/** What an agent does in a chat: send, ask for a rating, close. Results go into the store. */
import { agentApi } from '../api/agent';
import type { ChatStore } from './chat-store';

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

// One send at a time per chat, so messages reach the customer in the order typed.
const queues = new Map<number, Promise<void>>();

export function sendMessage(chats: ChatStore, sessionId: number, text: string): void {
  const localId = chats.addPending(sessionId, text);
  deliver(chats, sessionId, localId, text);
}

export function retryMessage(chats: ChatStore, sessionId: number, localId: number, text: string): void {
  chats.removePending(sessionId, localId);
  sendMessage(chats, sessionId, text);
}

function deliver(chats: ChatStore, sessionId: number, localId: number, text: string): void {
  const previous = queues.get(sessionId) ?? Promise.resolve();
  const next = previous.then(async () => {
    try {
      const message = await agentApi.send(sessionId, text);
      chats.confirmPending(sessionId, localId, message);
    } catch (error) {
      chats.failPending(sessionId, localId, errorText(error));
    }
  });
  queues.set(sessionId, next);
  void next.finally(() => {
    if (queues.get(sessionId) === next) queues.delete(sessionId);
  });
}

export async function requestRating(chats: ChatStore, sessionId: number): Promise<void> {
  const message = await agentApi.requestRating(sessionId);
  chats.addMessage(message);
}

export async function closeChat(chats: ChatStore, sessionId: number): Promise<void> {
  const session = await agentApi.close(sessionId);
  chats.upsertSessions([session], { announce: false });
}

/** How many earlier messages one "show earlier" fetches from the server. */
export const EARLIER_PAGE = 100;

/** Fetches the page of messages before the first one held (the chat's hasEarlier). */
export async function loadEarlier(chats: ChatStore, sessionId: number): Promise<void> {
  const first = chats.chat(sessionId)?.messages[0];
  if (!first) return;
  const page = await agentApi.messagesBefore(sessionId, first.id, EARLIER_PAGE);
  chats.addEarlier(sessionId, page.messages, page.hasMore);
}
