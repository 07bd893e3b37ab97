/**
 * Which pages may use a web chat channel from a browser: this platform's own (the hosted page
 * and the widget's frame are served from here) and the channel's allowedOrigins. A call that
 * carries no Origin is not a cross-site browser call (browsers send one on every such call),
 * and is judged by its token alone.
 */
export function originAllowed(origin: string | undefined, host: string | undefined, allowed: readonly string[]): boolean {
  if (origin === undefined) return true;
  if (allowed.includes(origin)) return true;
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && host !== undefined && url.host === host.toLowerCase();
  } catch {
    // "null" (a sandboxed frame, a file) and anything unreadable.
    return false;
  }
}

/** CSP frame-ancestors for the chat page: this platform and the channel's allowed origins. */
export function frameAncestors(allowed: readonly string[]): string {
  // Origins were checked when provisioned (scheme://host[:port]); anything else is dropped here
  // too, since a space or semicolon would change the policy.
  const safe = allowed.filter((o) => /^https?:\/\/[A-Za-z0-9.-]+(:\d+)?$/.test(o));
  return ["'self'", ...safe].join(' ');
}
