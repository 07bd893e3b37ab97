/**
 * The only markup message text may carry is a custom emoticon `<img src='...'>`. Its src goes
 * through DOMPurify (an `img` with a `src` and nothing else) and must then be an absolute http(s)
 * URL; anything else is shown as the characters typed.
 */
import { httpUrl } from '@elitewebchat/protocol/browser';
import DOMPurify from 'dompurify';

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The src of a custom emoticon image that is safe to show, or null. */
export function safeEmoticonSrc(src: string): string | null {
  if (!DOMPurify.isSupported) return null;
  const fragment = DOMPurify.sanitize(`<img src="${escapeAttr(src)}">`, {
    ALLOWED_TAGS: ['img'],
    ALLOWED_ATTR: ['src'],
    RETURN_DOM_FRAGMENT: true,
  });
  if (fragment.childNodes.length !== 1) return null;
  const img = fragment.firstChild;
  if (!(img instanceof HTMLImageElement) || img.attributes.length !== 1) return null;
  const clean = img.getAttribute('src');
  return clean === null ? null : httpUrl(clean);
}

const memo = new Map<string, string | null>();

/** safeEmoticonSrc, remembered: the same few emoticons come back in every chat. */
export function cachedEmoticonSrc(src: string): string | null {
  let v = memo.get(src);
  if (v === undefined && !memo.has(src)) {
    v = safeEmoticonSrc(src);
    if (memo.size > 2_000) memo.clear();
    memo.set(src, v);
  }
  return v ?? null;
}
