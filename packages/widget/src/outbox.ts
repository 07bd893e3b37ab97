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

  private save(): void {
    if (this.items.length === 0) {
      this.storage.remove(this.key);
      return;
    }
    const saved: Saved = { visitorId: this.visitorId, items: this.items };
    // An image may not fit in the quota: then it is kept in memory for this page only.
    if (!this.storage.set(this.key, JSON.stringify(saved))) {
      this.storage.set(this.key, JSON.stringify({ visitorId: this.visitorId, items: this.items.filter((i) => i.kind === 'text') }));
    }
  }

  list(): readonly PendingMessage[] {
    return this.items;
  }

  add(item: PendingMessage): void {
    if (this.items.some((i) => i.clientMsgId === item.clientMsgId)) return;
    this.items = [...this.items, item];
    this.save();
  }

  /** The server has it (or the customer gave up on it). */
  remove(clientMsgId: string): void {
    const left = this.items.filter((i) => i.clientMsgId !== clientMsgId);
    if (left.length === this.items.length) return;
    this.items = left;
    this.save();
  }

  /** Removes every item whose clientMsgId is in `ids` (stored messages that arrived). */
  settle(ids: ReadonlySet<string>): void {
    const left = this.items.filter((i) => !ids.has(i.clientMsgId));
    if (left.length === this.items.length) return;
    this.items = left;
    this.save();
  }

  update(clientMsgId: string, patch: Partial<Pick<PendingMessage, 'failed'>>): void {
    let changed = false;
    this.items = this.items.map((i) => {
      if (i.clientMsgId !== clientMsgId) return i;
      changed = true;
      const next: PendingMessage = { ...i, ...patch };
      if (patch.failed === undefined) delete next.failed;
      return next;
    });
    if (changed) this.save();
  }
}
