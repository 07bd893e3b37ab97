/** Where the app runs: its channel (from the path /chat/<channelId>) and whether it is the loader's frame. */

export interface AppEnv {
  channelId: string | null;
  /** In the loader's frame (?embed=1, and framed): it shows a minimise button and talks to the parent. */
  embed: boolean;
  /** The framing page's origin: the only one the frame posts to and listens to. */
  parentOrigin: string | null;
}

export function channelFromPath(pathname: string): string | null {
  const m = /^\/chat\/([^/]+)\/?$/.exec(pathname);
  if (!m) return null;
  let id: string;
  try {
    id = decodeURIComponent(m[1] as string);
  } catch {
    return null;
  }
  return id.length > 0 && id.length <= 64 ? id : null;
}

/** `scheme://host[:port]` of an http(s) URL, or null. */
export function originOf(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : null;
  } catch {
    return null;
  }
}

export function readEnv(loc: Location, framed: boolean, ancestorOrigins: DOMStringList | undefined, referrer: string): AppEnv {
  const embed = framed && new URLSearchParams(loc.search).get('embed') === '1';
  // ancestorOrigins cannot be forged; where a browser lacks it, the loader's frame carries
  // referrerpolicy="origin", so the referrer is the embedding page's origin.
  const parentOrigin = embed ? (originOf(ancestorOrigins?.[0]) ?? originOf(referrer)) : null;
  return { channelId: channelFromPath(loc.pathname), embed, parentOrigin };
}
