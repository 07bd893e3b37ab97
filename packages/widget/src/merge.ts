/**
 * The conversation as the customer sees it: stored messages by id (the server's sequence), and
 * after them the ones still on their way (the outbox). A message is shown once however often it
 * arrives (socket, catch-up, the answer to its own POST), and a pending one disappears when the
 * stored message with its clientMsgId arrives.
 */
import type { VisitorMessage } from '@elitewebchat/protocol/browser';

export interface PendingMessage {
  clientMsgId: string;
  kind: 'text' | 'image';
  text?: string;
  /** An image as a data: URI, and its file name. */
  dataUri?: string;
  name?: string;
  createdAt: number;
  /** Why the server refused it for good (it will not be retried by itself). */
  failed?: string;
}

function isSorted(list: readonly VisitorMessage[]): boolean {
  for (let i = 1; i < list.length; i++) if ((list[i - 1] as VisitorMessage).id >= (list[i] as VisitorMessage).id) return false;
  return true;
}

/**
 * The union of `list` (sorted by id, no repeats) and `incoming` (any order). `list` itself when
 * nothing is new, so a view that compares by reference skips the work.
 */
export function mergeMessages(list: readonly VisitorMessage[], incoming: readonly VisitorMessage[]): readonly VisitorMessage[] {
  if (incoming.length === 0) return list;
  const last = list[list.length - 1];
  // The usual case: newer messages in order.
  if (isSorted(incoming) && (last === undefined || (incoming[0] as VisitorMessage).id > last.id)) return [...list, ...incoming];
  const byId = new Map<number, VisitorMessage>();
  for (const m of list) byId.set(m.id, m);
  let added = false;
  for (const m of incoming) {
    if (!byId.has(m.id)) {
      byId.set(m.id, m);
      added = true;
    }
  }
  if (!added) return list;
  return [...byId.values()].sort((a, b) => a.id - b.id);
}

/** The highest id of a list sorted by id (0 for none). */
export function highestId(list: readonly VisitorMessage[]): number {
  return list.length === 0 ? 0 : (list[list.length - 1] as VisitorMessage).id;
}

/** The pending messages that have no stored message yet; `pending` itself when none has. */
export function unsettled(pending: readonly PendingMessage[], stored: readonly VisitorMessage[]): readonly PendingMessage[] {
  if (pending.length === 0) return pending;
  const ids = new Set<string>();
  for (const m of stored) if (m.clientMsgId) ids.add(m.clientMsgId);
  const left = pending.filter((p) => !ids.has(p.clientMsgId));
  return left.length === pending.length ? pending : left;
}

/** A new clientMsgId: 32 hex digits (matches ^[A-Za-z0-9_-]+$). */
export function newClientMsgId(random: () => string = () => crypto.randomUUID()): string {
  return random().replace(/-/g, '');
}
