/**
 * Message text as written: Preact text nodes (never HTML), emoticon codes as their picture with
 * their name, and a custom emoticon image only from an absolute http(s) address. Anything else,
 * markup included, is shown as the characters typed.
 */
import { EMOTICONS, httpUrl, parseMessageWithSource } from '@elitewebchat/protocol/browser';
import type { ComponentChild } from 'preact';
import { useMemo } from 'preact/hooks';
import type { Lang } from '../i18n';

export function renderText(text: string, lang: Lang): ComponentChild[] {
  return parseMessageWithSource(text).map(({ part, source }, i) => {
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
