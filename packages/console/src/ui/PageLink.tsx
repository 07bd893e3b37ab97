/**
 * A page a web-chat customer was on, as the customer's browser reported it: its title (or its
 * address) linked to it in a new window when the address is an absolute http(s) URL, plain text
 * otherwise. Both come from the customer: never markup, never a `javascript:` link, and the page
 * learns nothing of the console (noopener, noreferrer).
 */
import { httpUrl } from '@elitewebchat/protocol/browser';

/** The href to link a reported page address to, or null when it must stay text. */
export function pageHref(url: string | null): string | null {
  return url === null ? null : httpUrl(url.trim());
}

export function PageLink({ url, title, hint }: { url: string | null; title: string | null; hint?: string }) {
  const href = pageHref(url);
  const text = title?.trim() || url || '';
  if (href === null) {
    return (
      <span className="page-text" title={url ?? undefined} data-testid="visitor-page-text">
        {text}
      </span>
    );
  }
  return (
    <a href={href} target="_blank" rel="noopener noreferrer" referrerPolicy="no-referrer" title={hint ? `${hint}\n${href}` : href} data-testid="visitor-page-link">
      {text}
    </a>
  );
}
