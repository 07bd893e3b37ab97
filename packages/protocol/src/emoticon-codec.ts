/**
 * Reading and writing message text: emoticon codes and the custom emoticon image tag.
 *
 * Message text is never HTML (PROTOCOL.md "Emoticons"): codes such as `/::<`, `/:<W>` or `/:&-(`
 * contain `<`, `>` and `&` as ordinary characters, and the only markup ever recognised is the
 * custom emoticon `<img src='...'>`. Anything else is literal text.
 *
 * Scanning is linear: codes are matched with a trie (longest match at each position), and the image
 * tag is tried only where a `<` starts, with a sticky regular expression whose src part cannot run
 * past the next `<`.
 */

import type { Emoticon } from './emoticons.js';
import { EMOTICONS, EMOTICON_ALIASES, emoticonById } from './emoticons.js';

export type MessagePart =
  | { kind: 'text'; text: string }
  | { kind: 'emoticon'; id: number; code: string }
  | { kind: 'image'; src: string };

interface TrieNode {
  /** Id of the emoticon whose code ends here, if any. */
  id: number | undefined;
  next: Map<string, TrieNode>;
}

const newNode = (): TrieNode => ({ id: undefined, next: new Map() });

const TRIE: TrieNode = (() => {
  const root = newNode();
  const add = (code: string, id: number): void => {
    let node = root;
    for (let i = 0; i < code.length; i++) {
      const ch = code[i] as string;
      let child = node.next.get(ch);
      if (child === undefined) {
        child = newNode();
        node.next.set(ch, child);
      }
      node = child;
    }
    if (node.id !== undefined && node.id !== id) throw new Error(`emoticon code ${code} is ambiguous`);
    node.id = id;
  };
  for (const e of EMOTICONS) add(e.code, e.id);
  for (const [alias, id] of Object.entries(EMOTICON_ALIASES)) add(alias, id);
  return root;
})();

/** First character of every code (all codes start with `/:`). */
const CODE_START = new Set([...TRIE.next.keys()]);

/**
 * `<img src='SRC'>` or `<img src="SRC">`, with optional whitespace before `>` and an optional `/`
 * self-close, `img`/`src` in any case, no other attributes. SRC is non-empty and holds no quote,
 * `<`, `>` or whitespace.
 */
const IMG_TAG = /<img\s+src\s*=\s*(?:'([^'"<>\s]+)'|"([^'"<>\s]+)")\s*\/?>/iy;

/** A src that `formatMessage` may write, i.e. one that `parseMessage` reads back. */
const VALID_SRC = /^[^'"<>\s]+$/;

/** The longest emoticon code starting at `pos`: its id and length, or undefined. */
function matchCode(text: string, pos: number): { id: number; length: number } | undefined {
  let node: TrieNode | undefined = TRIE;
  let best: { id: number; length: number } | undefined;
  for (let i = pos; i < text.length; i++) {
    node = node.next.get(text[i] as string);
    if (node === undefined) break;
    if (node.id !== undefined) best = { id: node.id, length: i - pos + 1 };
  }
  return best;
}

/** The custom emoticon image tag starting at `pos`: its src and length, or undefined. */
function matchImage(text: string, pos: number): { src: string; length: number } | undefined {
  IMG_TAG.lastIndex = pos;
  const m = IMG_TAG.exec(text);
  if (m === null) return undefined;
  return { src: (m[1] ?? m[2]) as string, length: m[0].length };
}

type Token =
  | { kind: 'text'; start: number; end: number }
  | { kind: 'emoticon'; id: number; start: number; end: number }
  | { kind: 'image'; src: string; start: number; end: number };

/** Splits `text` into maximal text runs, emoticons and image tags, by position. */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let textStart = 0;
  const flushText = (end: number): void => {
    if (end > textStart) tokens.push({ kind: 'text', start: textStart, end });
  };
  let pos = 0;
  while (pos < text.length) {
    const ch = text[pos] as string;
    if (CODE_START.has(ch)) {
      const code = matchCode(text, pos);
      if (code !== undefined) {
        flushText(pos);
        tokens.push({ kind: 'emoticon', id: code.id, start: pos, end: pos + code.length });
        pos += code.length;
        textStart = pos;
        continue;
      }
    } else if (ch === '<') {
      const img = matchImage(text, pos);
      if (img !== undefined) {
        flushText(pos);
        tokens.push({ kind: 'image', src: img.src, start: pos, end: pos + img.length });
        pos += img.length;
        textStart = pos;
        continue;
      }
    }
    pos++;
  }
  flushText(text.length);
  return tokens;
}

function emoticonAt(id: number): Emoticon {
  const e = emoticonById(id);
  if (e === undefined) throw new RangeError(`unknown emoticon id ${id}`);
  return e;
}

/**
 * Splits message text into text, emoticon and custom-image parts. At each position the longest
 * emoticon code wins; the en-dash spelling of code 17 is read as id 17 with the canonical code.
 * Adjacent text is merged and no text part is empty.
 */
export function parseMessage(text: string): MessagePart[] {
  return tokenize(text).map((t): MessagePart => {
    switch (t.kind) {
      case 'text':
        return { kind: 'text', text: text.slice(t.start, t.end) };
      case 'emoticon':
        return { kind: 'emoticon', id: t.id, code: emoticonAt(t.id).code };
      case 'image':
        return { kind: 'image', src: t.src };
    }
  });
}

/**
 * parseMessage, with the exact characters each part was read from: what a view shows instead of
 * a part it will not render (an unsafe custom image, an unknown emoticon).
 */
export function parseMessageWithSource(text: string): { part: MessagePart; source: string }[] {
  const parts = parseMessage(text);
  return tokenize(text).map((t, i) => ({ part: parts[i]!, source: text.slice(t.start, t.end) }));
}

/**
 * An absolute http: or https: URL without credentials, normalised; null otherwise. Credentials in
 * an image or page URL serve no one and would be sent to a stranger's host.
 */
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

/**
 * Writes parts back as message text: emoticons by the canonical code of their id, images as
 * `<img src='SRC'>`. Throws a RangeError for an unknown emoticon id or for an image src that could
 * not be read back (empty, or holding a quote, `<`, `>` or whitespace).
 */
export function formatMessage(parts: readonly MessagePart[]): string {
  let out = '';
  for (const part of parts) {
    switch (part.kind) {
      case 'text':
        out += part.text;
        break;
      case 'emoticon':
        out += emoticonAt(part.id).code;
        break;
      case 'image':
        if (!VALID_SRC.test(part.src)) throw new RangeError(`invalid custom emoticon src: ${JSON.stringify(part.src)}`);
        out += `<img src='${part.src}'>`;
        break;
    }
  }
  return out;
}

/**
 * Replaces every emoticon code (longest match, alias included) with its Unicode rendering. Everything
 * else, custom emoticon image tags included, is kept exactly as written.
 */
export function emoticonToUnicode(text: string): string {
  let out = '';
  for (const t of tokenize(text)) {
    out += t.kind === 'emoticon' ? emoticonAt(t.id).unicode : text.slice(t.start, t.end);
  }
  return out;
}
