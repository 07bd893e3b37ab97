/**
 * The frame's side of the loader's postMessage protocol. The frame posts only to the embedding
 * page's origin and listens only to window.parent from that origin.
 *
 * frame → page: {type:'ewc:ready'}, {type:'ewc:unread', count}, {type:'ewc:close'}
 * page → frame: {type:'ewc:context', page:{url,title}, identity?:{userId,hash}}, {type:'ewc:visible', visible}
 */
import type { IdentityBody, PageInfo } from '@elitewebchat/protocol/browser';

export interface EmbedContext {
  page?: PageInfo;
  identity?: IdentityBody;
}

const str = (v: unknown, max: number): string | undefined => (typeof v === 'string' && v.length <= max ? v : undefined);

/** An ewc:context message as it may be trusted, or null. */
export function parseContext(data: unknown): EmbedContext | null {
  if (typeof data !== 'object' || data === null || (data as { type?: unknown }).type !== 'ewc:context') return null;
  const d = data as { page?: { url?: unknown; title?: unknown }; identity?: { userId?: unknown; hash?: unknown } };
  const out: EmbedContext = {};
  if (typeof d.page === 'object' && d.page !== null) {
    const page: PageInfo = {};
    const url = str(d.page.url, 2_048);
    const title = str(d.page.title, 500);
    if (url !== undefined && /^https?:\/\//i.test(url)) page.url = url;
    if (title !== undefined) page.title = title;
    out.page = page;
  }
  const userId = str(d.identity?.userId, 64);
  const hash = str(d.identity?.hash, 64);
  if (userId && hash && /^[0-9a-fA-F]{64}$/.test(hash)) out.identity = { userId, hash };
  return out;
}

export function parseVisible(data: unknown): boolean | null {
  if (typeof data !== 'object' || data === null) return null;
  const d = data as { type?: unknown; visible?: unknown };
  return d.type === 'ewc:visible' && typeof d.visible === 'boolean' ? d.visible : null;
}

export interface EmbedHandlers {
  context(context: EmbedContext): void;
  visible(visible: boolean): void;
}

export class EmbedBridge {
  private readonly listener: (event: MessageEvent) => void;

  constructor(
    private readonly win: Window,
    private readonly parentOrigin: string,
    handlers: EmbedHandlers,
  ) {
    this.listener = (event) => {
      if (event.source !== win.parent || event.origin !== parentOrigin) return;
      const context = parseContext(event.data);
      if (context) return handlers.context(context);
      const visible = parseVisible(event.data);
      if (visible !== null) handlers.visible(visible);
    };
    win.addEventListener('message', this.listener);
  }

  private post(message: object): void {
    this.win.parent.postMessage(message, this.parentOrigin);
  }

  ready(): void {
    this.post({ type: 'ewc:ready' });
  }

  unread(count: number): void {
    this.post({ type: 'ewc:unread', count });
  }

  close(): void {
    this.post({ type: 'ewc:close' });
  }

  dispose(): void {
    this.win.removeEventListener('message', this.listener);
  }
}
