/**
 * The hosted chat page (/chat/<channelId>), also the loader's frame (?embed=1). Reads where it
 * is, picks the language, and in a frame waits a moment for the page's context (its address,
 * and a signed identity that decides which visitor this is) before it asks for a visitor.
 */
import type { IdentityBody } from '@elitewebchat/protocol/browser';
import { render } from 'preact';
import { WebChatApi } from './api';
import { ChatController } from './controller';
import { EmbedBridge, type EmbedContext } from './embed';
import { readEnv } from './env';
import { socketFeed } from './feed';
import { chooseLanguage, translator } from './i18n';
import { PageContext } from './page-context';
import { safeStorage } from './storage';
import { realTimers } from './typing';
import { App } from './ui/App';
import { AppContext } from './ui/context';
import './styles.css';

/** How long a frame waits for the page's context before it goes on without. */
const CONTEXT_WAIT_MS = 1_500;

function start(): void {
  const root = document.getElementById('app') as HTMLElement;
  const lang = chooseLanguage(navigator.languages?.length ? navigator.languages : [navigator.language]);
  const t = translator(lang);
  document.documentElement.lang = lang;
  document.title = t('title');

  const framed = window.parent !== window;
  const env = readEnv(location, framed, location.ancestorOrigins, document.referrer);
  if (!env.channelId) {
    render(
      <main class="app center">
        <h1>{t('title')}</h1>
        <p role="alert">{t('noChannel')}</p>
      </main>,
      root,
    );
    return;
  }
  const channelId = env.channelId;

  let controller: ChatController | null = null;
  const storage = safeStorage(() => window.localStorage);
  const api = new WebChatApi({
    channelId,
    storage,
    identity: (): IdentityBody | undefined => pageContext.identity,
    onVisitorChanged: (v) => void controller?.visitorChanged(v),
  });
  const c = new ChatController({
    api,
    channelId,
    storage,
    t,
    lang,
    language: navigator.language,
    feed: (handlers) => socketFeed(() => api.token, handlers),
    origin: location.origin,
  });
  controller = c;
  if (!env.embed && document.referrer) c.page = { url: document.referrer };

  const pageContext: PageContext = new PageContext({ boot: () => c.boot(), visitAgain: () => api.visit(), timers: realTimers });
  let bridge: EmbedBridge | null = null;
  if (env.embed && env.parentOrigin) {
    bridge = new EmbedBridge(window, env.parentOrigin, {
      context(context: EmbedContext) {
        if (context.page) c.page = context.page;
        pageContext.arrived(context.identity);
      },
      visible: (visible) => c.setVisible(visible),
    });
    let lastUnread = -1;
    c.store.subscribe((s) => {
      if (s.unread === lastUnread) return;
      lastUnread = s.unread;
      bridge?.unread(s.unread);
    });
    bridge.ready();
    pageContext.start(CONTEXT_WAIT_MS);
  } else {
    pageContext.arrived(undefined);
  }

  const onMinimise = bridge ? () => bridge?.close() : undefined;
  render(
    <AppContext.Provider value={{ c, t, lang }}>
      <App onMinimise={onMinimise} />
    </AppContext.Provider>,
    root,
  );


  window.addEventListener('online', () => c.wake());
  c.setPageVisible(document.visibilityState === 'visible');
  document.addEventListener('visibilitychange', () => {
    c.setPageVisible(document.visibilityState === 'visible');
    if (document.visibilityState === 'visible') c.wake();
  });
}

start();
