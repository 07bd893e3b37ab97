/**
 * What keeps the web pages a developer visits away from a mock running on their machine. The
 * control API drives agents and reads every message, so it refuses what only a browser sends
 * (`Origin`, `Sec-Fetch-Site`): a page elsewhere cannot post to it (CSRF). A mock bound to a
 * loopback address also refuses a Host that is not a loopback name or address, so a page
 * whose name was rebound to 127.0.0.1 cannot reach any of it (DNS rebinding).
 */
import type http from 'node:http';

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** Whether the address the mock listens on is a loopback one (127.0.0.0/8, ::1). */
export function isLoopback(address: string): boolean {
  return address === '::1' || address === 'localhost' || /^127\.\d+\.\d+\.\d+$/.test(address);
}

/** Why a request is refused (403), or undefined to serve it. */
export function refusal(req: http.IncomingMessage, path: string, loopbackOnly: boolean): string | undefined {
  if (loopbackOnly) {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    if (!LOOPBACK_NAMES.has(host) && !isLoopback(host)) return `Host ${req.headers.host ?? '(none)'} is not this machine: the mock listens on loopback only`;
  }
  if (path.startsWith('/mock/') || path === '/mock') {
    const site = req.headers['sec-fetch-site'];
    if (req.headers.origin !== undefined || (site !== undefined && site !== 'none')) return 'the control API is for scripts and tests, not for web pages (a request with Origin or Sec-Fetch-Site)';
  }
  return undefined;
}
