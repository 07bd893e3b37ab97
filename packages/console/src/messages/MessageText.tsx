/**
 * Message text as the customer typed it: React text nodes (never HTML), emoticon codes as their
 * Unicode picture with the Chinese name as tooltip, and safe custom emoticon images.
 */
import { EMOTICONS, parseMessage, parseMessageWithSource } from '@elitewebchat/protocol/browser';
import { Fragment, memo, useMemo, type ReactNode } from 'react';
import { cachedEmoticonSrc } from './safe-image';

function render(text: string): ReactNode[] {
  return parseMessageWithSource(text).map(({ part, source }, i) => {
    switch (part.kind) {
      case 'text':
        return <Fragment key={i}>{part.text}</Fragment>;
      case 'emoticon': {
        const e = EMOTICONS[part.id];
        if (!e) return <Fragment key={i}>{source}</Fragment>;
        return (
          <span key={i} className="emo" role="img" title={e.zh} aria-label={e.zh} data-emoticon-id={e.id}>
            {e.unicode}
          </span>
        );
      }
      case 'image': {
        const src = cachedEmoticonSrc(part.src);
        if (src === null) return <Fragment key={i}>{source}</Fragment>;
        return <img key={i} className="custom-emo" src={src} alt="" referrerPolicy="no-referrer" loading="lazy" decoding="async" data-testid="custom-emoticon" />;
      }
    }
  });
}

export const MessageText = memo(function MessageText({ text }: { text: string }) {
  const nodes = useMemo(() => render(text), [text]);
  return <span className="msg-text">{nodes}</span>;
});

/** A one-line preview for lists: emoticons as their pictures, images as a marker, plain text. */
export function previewText(text: string, imageLabel: string): string {
  let out = '';
  for (const part of parseMessage(text)) {
    if (part.kind === 'text') out += part.text;
    else if (part.kind === 'emoticon') out += EMOTICONS[part.id]?.unicode ?? part.code;
    else out += imageLabel;
    if (out.length > 120) break;
  }
  return out.replace(/\s+/g, ' ').trim();
}
