/** What an agent does in a chat: send text, images and files, ask for a rating, close. Results go into the store. */
import type { MessageView } from '@elitewebchat/protocol/browser';
import { agentApi } from '../api/agent';
import type { Progress } from '../api/upload';
import type { ChatStore } from './chat-store';

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

// One send at a time per chat, text or file, so messages reach the customer in the order sent.
const queues = new Map<number, Promise<void>>();

/** Runs `task` after the chat's earlier sends (whatever became of them); answers its result. */
function inTurn<T>(sessionId: number, task: () => Promise<T>): Promise<T> {
  const previous = queues.get(sessionId) ?? Promise.resolve();
  const result = previous.then(task);
  const next = result.then(
    () => undefined,
    () => undefined,
  );
  queues.set(sessionId, next);
  void next.finally(() => {
    if (queues.get(sessionId) === next) queues.delete(sessionId);
  });
  return result;
}

/**
 * Sends an image or a file after the chat's earlier sends; the answer joins the chat as a sent
 * text does (once, whether it or its `chat.message` comes first). Rejects with the ApiError.
 */
export async function sendFile(chats: ChatStore, sessionId: number, file: File, onProgress?: Progress): Promise<MessageView> {
  const message = await inTurn(sessionId, () => agentApi.sendFile(sessionId, file, file.name || 'file', onProgress));
  chats.addMessage(message);
  return message;
}

export function sendMessage(chats: ChatStore, sessionId: number, text: string): void {
  const localId = chats.addPending(sessionId, text);
  deliver(chats, sessionId, localId, text);
}

export function retryMessage(chats: ChatStore, sessionId: number, localId: number, text: string): void {
  chats.removePending(sessionId, localId);
  sendMessage(chats, sessionId, text);
}

function deliver(chats: ChatStore, sessionId: number, localId: number, text: string): void {
  void inTurn(sessionId, async () => {
    try {
      const message = await agentApi.send(sessionId, text);
      chats.confirmPending(sessionId, localId, message);
    } catch (error) {
      chats.failPending(sessionId, localId, errorText(error));
    }
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
