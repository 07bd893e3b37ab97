/**
 * Message text as written: Preact text nodes (never HTML), emoticon codes as their picture with
 * their name, and a custom emoticon image only from an absolute http(s) address. Anything else,
 * markup included, is shown as the characters typed.
 */
import { EMOTICONS, parseMessage, type MessagePart } from '@elitewebchat/protocol/browser';
import type { ComponentChild } from 'preact';
import { useMemo } from 'preact/hooks';
import type { Lang } from '../i18n';

/** An absolute http: or https: URL without credentials, normalised; null otherwise. */
export function httpUrl(src: string): string | null {
  let url: URL;
  try {
    url = new URL(src);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.username !== '' || url.password !== '') return null;
  return url.href;
}

/** Each part with the exact characters it was read from (for an image shown as text). */
function withSource(text: string, parts: MessagePart[]): { part: MessagePart; source: string }[] {
  const out: { part: MessagePart; source: string }[] = [];
  let pos = 0;
  for (const part of parts) {
    let end: number;
    switch (part.kind) {
      case 'text':
        end = pos + part.text.length;
        break;
      case 'emoticon':
        // The en-dash alias of code 17 has the canonical code's length.
        end = pos + part.code.length;
        break;
      case 'image': {
        const close = text.indexOf('>', pos);
        end = close < 0 ? text.length : close + 1;
        break;
      }
    }
    out.push({ part, source: text.slice(pos, end) });
    pos = end;
  }
  return out;
}

export function renderText(text: string, lang: Lang): ComponentChild[] {
  return withSource(text, parseMessage(text)).map(({ part, source }, i) => {
    switch (part.kind) {
      case 'text':
        return part.text;
      case 'emoticon': {
        const e = EMOTICONS[part.id];
        if (!e) return source;
        const name = lang === 'zh-CN' ? e.zh : e.en;
        return (
          <span key={i} class="emo" role="img" title={name} aria-label={name} data-emoticon-id={e.id}>
            {e.unicode}
          </span>
        );
      }
      case 'image': {
        const src = httpUrl(part.src);
        if (src === null) return source;
        return <img key={i} class="custom-emo" src={src} alt="" referrerpolicy="no-referrer" loading="lazy" decoding="async" />;
      }
    }
  });
}

export function MessageText({ text, lang }: { text: string; lang: Lang }) {
  const nodes = useMemo(() => renderText(text, lang), [text, lang]);
  return <span class="msg-text">{nodes}</span>;
}
