/**
 * Delivery marks in lists of messages: a reply's mark changes (`message.delivery`) while the
 * message itself never does. Unchanged inputs give the same array back, so React skips what did
 * not change.
 */
import type { DeliveryView, MessageView } from '@elitewebchat/protocol/browser';

function sameDelivery(a: DeliveryView | undefined, b: DeliveryView | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  return a.state === b.state && a.attempts === b.attempts && a.lastError === b.lastError && a.callbackId === b.callbackId;
}

/** Index of the message with this id in an id-sorted list, or -1. */
function indexOf(list: readonly MessageView[], id: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const v = (list[mid] as MessageView).id;
    if (v === id) return mid;
    if (v < id) lo = mid + 1;
    else hi = mid;
  }
  return -1;
}

/** `list` with the message `messageId` given this mark; `list` itself if it holds no such reply or the mark is the same. */
export function withDelivery(list: readonly MessageView[], messageId: number, delivery: DeliveryView): readonly MessageView[] {
  const i = indexOf(list, messageId);
  const m = list[i];
  if (!m || !m.delivery || sameDelivery(m.delivery, delivery)) return list;
  const next = [...list];
  next[i] = { ...m, delivery };
  return next;
}

/**
 * `held` with the marks a fetch brought for the replies it holds: the fetch is the newer word
 * (marks may have moved while the feed was away), and a merge keeps held messages as they were.
 */
export function withFetchedDeliveries(held: readonly MessageView[], fetched: readonly MessageView[]): readonly MessageView[] {
  let out = held;
  for (const f of fetched) if (f.delivery) out = withDelivery(out, f.id, f.delivery);
  return out;
}
