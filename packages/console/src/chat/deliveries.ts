/** Delivery marks of the agent's replies, live: `message.delivery` applied to the chat store. */
import { ServerEvent } from '@elitewebchat/protocol/browser';
import type { Realtime } from '../realtime/realtime';
import type { ChatStore } from './chat-store';

/** Returns what stops it. A mark of a chat we do not hold (a watched one) changes nothing here. */
export function listenDeliveries(realtime: Realtime, chats: ChatStore): () => void {
  return realtime.on(ServerEvent.MESSAGE_DELIVERY, ({ sessionId, messageId, delivery }) => chats.setDelivery(sessionId, messageId, delivery));
}
