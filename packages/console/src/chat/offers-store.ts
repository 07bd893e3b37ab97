/**
 * Chats offered to me (queues with `assignment: offer`), until I accept or decline them or their
 * deadline passes: fed by `offer.new` / `offer.ended`, and fetched on every (re)connect since an
 * event may be missed while the feed is down. A fetch answers the server's state when it ran:
 * the events that arrived while it was under way are applied again on top of its answer, so an
 * offer that ended meanwhile does not come back and one that came meanwhile is not lost.
 *
 * While something is offered it is also fetched every few seconds: the server pushes an offer
 * once, as it was when made, and what the customer types after that reaches the card this way.
 *
 * Accepting puts the chat in the chat store and makes it the active one (as a take does); a
 * refusal by the server (409: it went to someone else, ran out, no room) is kept as a note.
 */
import { ServerEvent, type OfferEndedEvent, type OfferView, type SessionView } from '@elitewebchat/protocol/browser';
import { agentApi } from '../api/agent';
import { ApiError } from '../api/http';
import { Coalesced } from '../app/coalesced';
import { createStore, type Store } from '../app/store';
import type { Realtime } from '../realtime/realtime';
import type { ChatStore } from './chat-store';
import { beep } from './notifier';

export type OfferEvent = { kind: 'new'; offer: OfferView } | { kind: 'ended'; requestId: number; reason: OfferEndedEvent['reason'] };

/** Why the last accept or decline did not happen. */
export interface OfferNote {
  requestId: number;
  nickname: string;
  action: 'accept' | 'decline';
  /** The server's message, or the network error. */
  message: string;
  code: string;
}

export interface OffersState {
  /** Oldest offer first. */
  offers: readonly OfferView[];
  /** The first fetch answered. */
  loaded: boolean;
  /** The last fetch failed. */
  error: string | null;
  note: OfferNote | null;
  /** The offer being accepted or declined now. */
  busy: number | null;
  /**
   * This browser's clock minus the server's, as last seen on an `offer.new` (offeredAt is the
   * server's now): deadlines are the server's times, and an agent's clock may be off.
   */
  skewMs: number;
}

/** One event on a list of offers: a new (or repeated) one in its place, an ended one gone. */
export function applyOfferEvent(offers: readonly OfferView[], event: OfferEvent): readonly OfferView[] {
  if (event.kind === 'ended') {
    return offers.some((o) => o.requestId === event.requestId) ? offers.filter((o) => o.requestId !== event.requestId) : offers;
  }
  const rest = offers.filter((o) => o.requestId !== event.offer.requestId);
  return [...rest, event.offer].sort((a, b) => a.offeredAt - b.offeredAt || a.requestId - b.requestId);
}

/** A fetched list with the events that arrived while the fetch ran applied on top, in order. */
export function mergeFetched(fetched: readonly OfferView[], since: readonly OfferEvent[]): readonly OfferView[] {
  const sorted = [...fetched].sort((a, b) => a.offeredAt - b.offeredAt || a.requestId - b.requestId);
  return since.reduce(applyOfferEvent, sorted);
}

/** Whole seconds left until `deadline` (server time), never below 0. */
export function secondsLeft(deadline: number, now: number, skewMs: number): number {
  return Math.max(0, Math.ceil((deadline - (now - skewMs)) / 1000));
}

/** A countdown as agents read it: "0:09", "1:05". */
export function formatCountdown(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** How often what is offered is fetched again while a card shows. */
export const OFFER_POLL_MS = 4_000;

export type OfferResult = { ok: true; session: SessionView } | { ok: false; note: OfferNote };

export class Offers {
  readonly store: Store<OffersState> = createStore<OffersState>({ offers: [], loaded: false, error: null, note: null, busy: null, skewMs: 0 });
  /** Events since the running fetch began; null while none runs. */
  private since: OfferEvent[] | null = null;
  private readonly fetches = new Coalesced(() => this.fetch());

  constructor(
    private readonly chats: ChatStore,
    private readonly clock: () => number = Date.now,
  ) {}

  get state(): OffersState {
    return this.store.get();
  }

  /** A live event: applied now, and again on top of a fetch under way. */
  receive(event: OfferEvent): void {
    this.since?.push(event);
    this.store.set((s) => {
      const offers = applyOfferEvent(s.offers, event);
      const skewMs = event.kind === 'new' ? this.clock() - event.offer.offeredAt : s.skewMs;
      return offers === s.offers && skewMs === s.skewMs ? s : { ...s, offers, skewMs };
    });
  }

  /** Fetches again; calls while a fetch runs make one more afterwards. */
  refresh(): Promise<void> {
    return this.fetches.run();
  }

  private async fetch(): Promise<void> {
    const since: OfferEvent[] = [];
    this.since = since;
    try {
      const fetched = await agentApi.offers();
      this.store.set((s) => ({ ...s, offers: mergeFetched(fetched, since), loaded: true, error: null }));
    } catch (error) {
      this.store.set((s) => ({ ...s, error: error instanceof Error ? error.message : String(error) }));
    } finally {
      if (this.since === since) this.since = null;
    }
  }

  /** Accepts an offer: on success the chat is in the chat store and active, and the card gone. */
  async accept(requestId: number): Promise<OfferResult> {
    const offer = this.begin(requestId);
    try {
      const session = await agentApi.acceptOffer(requestId);
      this.receive({ kind: 'ended', requestId, reason: 'accepted' });
      // `chat.assigned` brings the same session: merged by id, whichever comes first.
      this.chats.upsertSessions([session], { announce: false, fresh: false });
      this.chats.setActive(session.id);
      return { ok: true, session };
    } catch (error) {
      return { ok: false, note: this.fail(requestId, offer, 'accept', error) };
    } finally {
      this.end(requestId);
    }
  }

  /** Declines an offer, with a reason or none: it passes to someone else and never comes back to me. */
  async decline(requestId: number, reason: string): Promise<{ ok: boolean }> {
    const offer = this.begin(requestId);
    try {
      await agentApi.declineOffer(requestId, reason.trim());
      this.receive({ kind: 'ended', requestId, reason: 'declined' });
      return { ok: true };
    } catch (error) {
      this.fail(requestId, offer, 'decline', error);
      return { ok: false };
    } finally {
      this.end(requestId);
    }
  }

  dismissNote(): void {
    this.store.set((s) => (s.note === null ? s : { ...s, note: null }));
  }

  private begin(requestId: number): OfferView | undefined {
    this.store.set((s) => ({ ...s, busy: requestId, note: null }));
    return this.state.offers.find((o) => o.requestId === requestId);
  }

  private end(requestId: number): void {
    this.store.set((s) => (s.busy === requestId ? { ...s, busy: null } : s));
  }

  private fail(requestId: number, offer: OfferView | undefined, action: OfferNote['action'], error: unknown): OfferNote {
    const note: OfferNote = {
      requestId,
      nickname: offer ? offer.nickname || offer.clientId : `#${requestId}`,
      action,
      message: error instanceof Error ? error.message : String(error),
      code: error instanceof ApiError ? error.code : '',
    };
    this.store.set((s) => ({ ...s, note }));
    // Most 409s mean it is not offered to me any more (offer.ended may have been missed), but not
    // all (no room: it stays offered): the server's list decides whether the card stays.
    if (error instanceof ApiError && error.status !== 0) void this.refresh();
    return note;
  }
}

/**
 * Feeds the offers from the live feed, and fetches them on every (re)connect and every few seconds
 * while a card shows. Answers what stops it.
 */
export function listenOffers(realtime: Realtime, offers: Offers): () => void {
  const poll = window.setInterval(() => {
    if (offers.state.offers.length > 0) void offers.refresh();
  }, OFFER_POLL_MS);
  const offs = [
    realtime.onResync(() => void offers.refresh()),
    realtime.on(ServerEvent.OFFER_NEW, (offer) => {
      const known = offers.state.offers.some((o) => o.requestId === offer.requestId);
      offers.receive({ kind: 'new', offer });
      if (!known) beep('chat');
    }),
    realtime.on(ServerEvent.OFFER_ENDED, ({ requestId, reason }) => offers.receive({ kind: 'ended', requestId, reason })),
  ];
  return () => {
    window.clearInterval(poll);
    for (const off of offs) off();
  };
}
