/**
 * Everything that lives as long as one login: the live feed, the chat store and its sync, queue
 * counts, canned replies, the web chat's signals (customer typing, read marks), left messages, the
 * requests to take by hand and the rating scale. Made when a token appears, torn down when it goes.
 */
import type { LoginAnswer } from '@elitewebchat/protocol/browser';
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { agentApi } from '../api/agent';
import { authStore } from '../auth/auth-store';
import { CannedStore } from '../chat/canned-store';
import { ChatStore, totalUnread } from '../chat/chat-store';
import { startChatSync } from '../chat/chat-sync';
import { CustomerTyping, listenCustomerTyping } from '../chat/customer-typing';
import { listenDeliveries } from '../chat/deliveries';
import { LeftMessages, listenLeftMessages } from '../chat/left-messages';
import { setTitleBadge, unlockAudioOnGesture } from '../chat/notifier';
import { listenOffers, Offers } from '../chat/offers-store';
import { QueueCounts } from '../chat/queue-counts';
import { RatingScale } from '../chat/ratings';
import { ReadMarks } from '../chat/read-marks';
import { listenWaitingRequests, WaitingRequests } from '../chat/waiting-requests';
import { clearImageCache } from '../messages/image-cache';
import { Realtime } from '../realtime/realtime';

export interface Services {
  realtime: Realtime;
  chats: ChatStore;
  queues: QueueCounts;
  canned: CannedStore;
  /** Sessions a supervisor watches in this tab. */
  watched: Set<number>;
  /** Web-chat customers typing now. */
  customerTyping: CustomerTyping;
  /** The agent's read marks, sent as chats are looked at. */
  readMarks: ReadMarks;
  leftMessages: LeftMessages;
  /** Requests waiting in my manual queues, to take by hand. */
  waiting: WaitingRequests;
  /** Chats offered to me (queues with assignment: offer), to accept or decline. */
  offers: Offers;
  ratings: RatingScale;
}

const ServicesContext = createContext<Services | null>(null);

export function useServices(): Services {
  const services = useContext(ServicesContext);
  if (!services) throw new Error('useServices outside <ServicesProvider>');
  return services;
}

function createServices(auth: LoginAnswer): { services: Services; stop: () => void } {
  const realtime = new Realtime(auth.token, () => authStore.clear('revoked'));
  const chats = new ChatStore();
  const queues = new QueueCounts();
  const canned = new CannedStore();
  const watched = new Set<number>();
  const customerTyping = new CustomerTyping();
  const readMarks = new ReadMarks((sessionId, upTo) => realtime.read(sessionId, upTo));
  const leftMessages = new LeftMessages();
  const waiting = new WaitingRequests(chats);
  const ratings = new RatingScale();
  const stopSync = startChatSync(realtime, chats, queues, { myId: auth.agent.id, isWatched: (id) => watched.has(id) });
  const offTitle = chats.store.subscribe(() => setTitleBadge(totalUnread(chats.state)));
  const offTyping = listenCustomerTyping(realtime, customerTyping);
  const offDeliveries = listenDeliveries(realtime, chats);
  const offLeft = listenLeftMessages(realtime, leftMessages);
  const offWaiting = listenWaitingRequests(realtime, waiting);
  const offers = new Offers(chats);
  const offOffers = listenOffers(realtime, offers);
  // The scale is fetched once; a failed fetch is tried again on the next (re)connect.
  const offRatings = realtime.onResync(() => void ratings.load());
  const offAudio = unlockAudioOnGesture();
  // Status and role may have changed in another tab or by an admin while we were away.
  const offMe = realtime.onResync(() => {
    agentApi.me().then(
      (agent) => authStore.updateAgent(agent),
      () => undefined,
    );
  });
  realtime.start();
  void canned.load();
  return {
    services: { realtime, chats, queues, canned, watched, customerTyping, readMarks, leftMessages, waiting, offers, ratings },
    stop: () => {
      stopSync();
      offTyping();
      offDeliveries();
      offLeft();
      offWaiting();
      offOffers();
      offRatings();
      offTitle();
      offAudio();
      offMe();
      realtime.stop();
      setTitleBadge(0);
      clearImageCache();
    },
  };
}

export function ServicesProvider({ auth, children, fallback }: { auth: LoginAnswer; children: ReactNode; fallback: ReactNode }) {
  const [services, setServices] = useState<Services | null>(null);
  const token = auth.token;
  useEffect(() => {
    const current = authStore.get();
    if (!current || current.token !== token) return;
    const { services: s, stop } = createServices(current);
    setServices(s);
    return () => {
      stop();
      setServices(null);
    };
  }, [token]);
  if (!services) return <>{fallback}</>;
  return <ServicesContext.Provider value={services}>{children}</ServicesContext.Provider>;
}
