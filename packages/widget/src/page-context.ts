/**
 * The embedding page's context in a frame: its address, and a signed identity that decides which
 * visitor this is. The visitor is asked for once the context came, or after a moment without it
 * (a page that sends none still gets its chat). An identity that comes only after that, from a
 * busy page, asks again as that person, once the first answer is in: the server then answers
 * with the identified visitor and the chat shows their conversation, instead of going on as an
 * anonymous visitor until the next page load.
 */
import type { IdentityBody } from '@elitewebchat/protocol/browser';
import type { Timers } from './typing';

export interface PageContextDeps {
  /** Asks for the visitor and loads the chat. */
  boot(): Promise<void>;
  /** Asks for the visitor again (with the identity now known). */
  visitAgain(): Promise<unknown>;
  timers: Timers;
}

const same = (a: IdentityBody | undefined, b: IdentityBody | undefined) => a?.userId === b?.userId && a?.hash === b?.hash;

export class PageContext {
  /** The identity the page gave, if any: sent with every request for the visitor. */
  identity: IdentityBody | undefined;
  /** Set once the visitor has been asked for. */
  private booted: Promise<void> | null = null;
  private wait: unknown = null;

  constructor(private readonly deps: PageContextDeps) {}

  /** Waits up to `waitMs` for the context, then asks for the visitor. */
  start(waitMs: number): void {
    this.wait = this.deps.timers.set(() => this.boot(), waitMs);
  }

  /** The page's context came (again, on every opening of the chat). */
  arrived(identity: IdentityBody | undefined): void {
    const changed = identity !== undefined && !same(identity, this.identity);
    if (identity) this.identity = identity;
    if (!this.booted) return this.boot();
    if (changed) void this.booted.then(() => this.deps.visitAgain()).catch(() => undefined);
  }

  private boot(): void {
    if (this.booted) return;
    if (this.wait !== null) this.deps.timers.clear(this.wait);
    this.booted = this.deps.boot();
  }
}
