/**
 * The embed loader, /widget.js: a launcher button in a closed shadow root (the host page's CSS
 * and scripts cannot restyle or reach it) that opens the chat in a frame from the platform.
 *
 *   <script src="https://PLATFORM/widget.js" data-channel="web" async></script>
 *   optional: data-user-id + data-user-hash (signed identity), data-position="left"
 *
 * postMessage, always to an explicit origin and checked on arrival: the frame says
 * {type:'ewc:ready'}, {type:'ewc:unread', count}, {type:'ewc:close'}; the page answers ready with
 * {type:'ewc:context', page:{url,title}, identity?} and tells {type:'ewc:visible', visible}.
 *
 * Plain DOM, no framework, no imports: it must stay a few kilobytes.
 */
(() => {
  const d = document;
  const script =
    (d.currentScript as HTMLScriptElement | null) ??
    [...d.querySelectorAll<HTMLScriptElement>('script[src]')].reverse().find((s) => /\/widget\.js([?#]|$)/.test(s.src));
  if (!script) return;
  const data = script.dataset;
  const origin = new URL(script.src, location.href).origin;
  const channel = data.channel || 'web';
  const marker = `ewc-${channel}`;
  // Loaded twice on one page: one launcher is enough.
  if (d.querySelector(`[data-ewc="${CSS.escape(channel)}"]`)) return;

  const zh = /^zh\b/i.test(navigator.language);
  const L = zh
    ? { open: '打开在线客服', close: '关闭在线客服', unread: '条未读消息', frame: '在线客服' }
    : { open: 'Open the chat', close: 'Close the chat', unread: ' unread', frame: 'Customer service chat' };
  const key = `ewc:open:${channel}`;
  const store = (value?: string): string | null => {
    try {
      if (value !== undefined) sessionStorage.setItem(key, value);
      return sessionStorage.getItem(key);
    } catch {
      return null;
    }
  };

  const side = data.position === 'left' ? 'left' : 'right';
  const host = d.createElement('div');
  host.setAttribute('data-ewc', channel);
  host.id = marker;
  // data-shadow="open" lets a browser test reach inside; pages have no reason to set it.
  const root = host.attachShadow({ mode: data.shadow === 'open' ? 'open' : 'closed' });
  const style = d.createElement('style');
  style.textContent =
    `:host{all:initial}` +
    `.l{position:fixed;${side}:20px;bottom:20px;z-index:2147483000;width:60px;height:60px;border-radius:50%;border:0;padding:0;` +
    `background:#1a5fb4;color:#fff;box-shadow:0 4px 14px rgba(0,0,0,.3);cursor:pointer;display:flex;align-items:center;justify-content:center}` +
    `.l:hover{background:#123f7a}.l:focus-visible{outline:3px solid #1a5fb4;outline-offset:3px}` +
    `.b{position:absolute;top:-4px;right:-4px;min-width:22px;height:22px;padding:0 6px;box-sizing:border-box;border-radius:11px;` +
    `background:#b42318;color:#fff;font:700 12px/22px system-ui,sans-serif;text-align:center}` +
    `.f{position:fixed;${side}:20px;bottom:92px;z-index:2147483000;width:380px;height:min(640px,calc(100vh - 112px));` +
    `border:0;border-radius:12px;box-shadow:0 8px 30px rgba(0,0,0,.3);background:#fff}` +
    `[hidden]{display:none!important}` +
    `@media (max-width:480px){.f{inset:0;width:100%;height:100%;border-radius:0}.o .l{display:none}}`;
  const wrap = d.createElement('div');
  const button = d.createElement('button');
  button.type = 'button';
  button.className = 'l';
  button.setAttribute('data-testid', 'ewc-launcher');
  button.setAttribute('aria-expanded', 'false');
  // Static pictures: nothing from the page or the network goes into markup.
  const svg = (d: string) => `<svg viewBox="0 0 24 24" width="30" height="30" aria-hidden="true"><path fill="currentColor" d="${d}"/></svg>`;
  const CHAT = svg('M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z');
  const CLOSE = svg('M6.4 5L12 10.6 17.6 5 19 6.4 13.4 12 19 17.6 17.6 19 12 13.4 6.4 19 5 17.6 10.6 12 5 6.4z');
  const icon = d.createElement('span');
  icon.style.display = 'flex';
  const badge = d.createElement('span');
  badge.className = 'b';
  badge.hidden = true;
  badge.setAttribute('aria-hidden', 'true');
  badge.setAttribute('data-testid', 'ewc-badge');
  button.append(icon, badge);
  wrap.append(button);
  root.append(style, wrap);

  let frame: HTMLIFrameElement | null = null;
  let open = false;
  let unread = 0;
  // Until the frame says ready it may still be about:blank, which is this page's origin.
  let ready = false;

  const post = (message: object) => ready && frame?.contentWindow?.postMessage(message, origin);
  const label = () => {
    button.setAttribute('aria-label', open ? L.close : unread > 0 ? `${L.open} (${unread}${L.unread})` : L.open);
    badge.textContent = unread > 99 ? '99+' : String(unread);
    badge.hidden = open || unread === 0;
    icon.innerHTML = open ? CLOSE : CHAT;
  };
  const context = () => {
    const identity = data.userId && data.userHash ? { userId: data.userId, hash: data.userHash } : undefined;
    post({ type: 'ewc:context', page: { url: location.href, title: d.title }, identity });
  };

  const makeFrame = () => {
    if (frame) return;
    frame = d.createElement('iframe');
    frame.className = 'f';
    frame.title = L.frame;
    frame.hidden = true;
    frame.setAttribute('data-testid', 'ewc-frame');
    // The frame learns this page's origin from it (where ancestorOrigins is missing).
    frame.referrerPolicy = 'origin';
    frame.src = `${origin}/chat/${encodeURIComponent(channel)}?embed=1`;
    wrap.append(frame);
  };

  const setOpen = (value: boolean, focus: boolean) => {
    open = value;
    if (open) makeFrame();
    if (frame) frame.hidden = !open;
    wrap.className = open ? 'o' : '';
    button.setAttribute('aria-expanded', String(open));
    store(open ? '1' : '0');
    if (open) unread = 0;
    label();
    post({ type: 'ewc:visible', visible: open });
    if (open) context();
    if (focus) (open ? frame : button)?.focus();
  };

  button.addEventListener('click', () => setOpen(!open, open));

  window.addEventListener('message', (event: MessageEvent) => {
    if (!frame || event.source !== frame.contentWindow || event.origin !== origin) return;
    const m = event.data as { type?: unknown; count?: unknown } | null;
    if (!m || typeof m !== 'object') return;
    if (m.type === 'ewc:ready') {
      ready = true;
      context();
      post({ type: 'ewc:visible', visible: open });
    } else if (m.type === 'ewc:unread' && typeof m.count === 'number') {
      unread = open ? 0 : Math.max(0, Math.floor(m.count));
      label();
    } else if (m.type === 'ewc:close') {
      setOpen(false, true);
    }
  });

  const mount = () => {
    d.body.append(host);
    // Opened before in this tab: back as it was. Closed after opening: the frame is kept
    // (hidden), so that agent messages still count as unread on the badge.
    const was = store();
    if (was === '1') setOpen(true, false);
    else {
      if (was === '0') makeFrame();
      label();
    }
  };
  if (d.body) mount();
  else d.addEventListener('DOMContentLoaded', mount);
})();
