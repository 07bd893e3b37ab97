/**
 * Messages written but not yet stored by the server, kept in localStorage so that a reload, a
 * closed lid or a dropped network loses none: each is sent again, with its clientMsgId, until
 * the server has it (a retry is stored once). The outbox belongs to one visitor.
 */
import type { PendingMessage } from './merge';
import type { KeyValue } from './storage';

interface Saved {
  visitorId: string;
  items: PendingMessage[];
}

function isPending(v: unknown): v is PendingMessage {
  if (typeof v !== 'object' || v === null) return false;
  const p = v as Partial<PendingMessage>;
  return typeof p.clientMsgId === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(p.clientMsgId) && (p.kind === 'text' || p.kind === 'image') && typeof p.createdAt === 'number';
}

export class Outbox {
  private items: PendingMessage[];

  constructor(
    private readonly storage: KeyValue,
    private readonly key: string,
    private readonly visitorId: string,
  ) {
    this.items = this.load();
  }

  private load(): PendingMessage[] {
    const raw = this.storage.get(this.key);
    if (!raw) return [];
    try {
      const saved = JSON.parse(raw) as Partial<Saved>;
      // Another visitor's messages (a new token, another identity) are not ours to send.
      if (saved.visitorId !== this.visitorId || !Array.isArray(saved.items)) return [];
      return saved.items.filter(isPending);
    } catch {
      return [];
    }
  }

  /**
   * Changes this tab's items, and the stored ones the same way: other tabs of the visitor may
   * have added theirs since this one last read them, and those must stay until their tab has
   * them stored.
   */
  private change(f: (items: PendingMessage[]) => PendingMessage[]): void {
    const mine = f(this.items);
    if (mine === this.items) return;
    this.items = mine;
    this.save(f(this.load()));
  }

  private save(items: PendingMessage[]): void {
    if (items.length === 0) {
      this.storage.remove(this.key);
      return;
    }
    const saved: Saved = { visitorId: this.visitorId, items };
    // An image may not fit in the quota: then it is kept in memory for this page only.
    if (!this.storage.set(this.key, JSON.stringify(saved))) {
      this.storage.set(this.key, JSON.stringify({ visitorId: this.visitorId, items: items.filter((i) => i.kind === 'text') }));
    }
  }

  list(): readonly PendingMessage[] {
    return this.items;
  }

  add(item: PendingMessage): void {
    this.change((items) => (items.some((i) => i.clientMsgId === item.clientMsgId) ? items : [...items, item]));
  }

  /** The server has it (or the customer gave up on it). */
  remove(clientMsgId: string): void {
    this.settle(new Set([clientMsgId]));
  }

  /** Removes every item whose clientMsgId is in `ids` (stored messages that arrived). */
  settle(ids: ReadonlySet<string>): void {
    this.change((items) => {
      const left = items.filter((i) => !ids.has(i.clientMsgId));
      return left.length === items.length ? items : left;
    });
  }

  update(clientMsgId: string, patch: Partial<Pick<PendingMessage, 'failed'>>): void {
    this.change((items) => {
      if (!items.some((i) => i.clientMsgId === clientMsgId)) return items;
      return items.map((i) => {
        if (i.clientMsgId !== clientMsgId) return i;
        const next: PendingMessage = { ...i, ...patch };
        if (patch.failed === undefined) delete next.failed;
        return next;
      });
    });
  }
}
