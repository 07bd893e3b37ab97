/**
 * Images and files an agent sent. The platform serves them at `/webchat/files/<random id>` to
 * whoever holds the link (the id is the capability): no token goes with them, so they are used
 * as they are, from the platform's origin. The chat always runs on the platform (the embed
 * loader opens it in a frame from there), whichever site the launcher sits on.
 */

const AGENT_FILE = /^\/webchat\/files\/[A-Za-z0-9_-]{16,64}$/;

/** The address of an agent's file on the platform, or null for any other url (never a token's). */
export function agentFileUrl(url: string, platformOrigin: string): string | null {
  return AGENT_FILE.test(url) ? platformOrigin + url : null;
}
