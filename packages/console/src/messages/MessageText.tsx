/**
 * Message text as the customer typed it: React text nodes (never HTML), emoticon codes as their
 * Unicode picture with the Chinese name as tooltip, and safe custom emoticon images.
 */
import { EMOTICONS, parseMessage, type MessagePart } from '@elitewebchat/protocol/browser';
import { Fragment, memo, useMemo, type ReactNode } from 'react';
import { cachedEmoticonSrc } from './safe-image';

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

function render(text: string): ReactNode[] {
  return withSource(text, parseMessage(text)).map(({ part, source }, i) => {
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
