/** Message text for a screen reader's announcement: emoticons by their name, never markup. */
import { EMOTICONS, parseMessage } from '@elitewebchat/protocol/browser';
import type { Lang } from './i18n';

export function emoticonName(id: number, lang: Lang): string {
  const e = EMOTICONS[id];
  if (!e) return '';
  return lang === 'zh-CN' ? e.zh : e.en;
}

export function speakable(text: string, lang: Lang, imageLabel: string): string {
  let out = '';
  for (const part of parseMessage(text)) {
    if (part.kind === 'text') out += part.text;
    else if (part.kind === 'emoticon') out += ` ${emoticonName(part.id, lang)} `;
    else out += ` ${imageLabel} `;
    if (out.length > 300) break;
  }
  return out.replace(/\s+/g, ' ').trim();
}
