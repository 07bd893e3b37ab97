/**
 * The control API, for the integrator's own tests (docs/mock.md, "Control API"): play the agent
 * by hand and read what the mock holds. Answers `{ok: true, …}` with 200, or `{ok: false, error}`
 * with 400 (bad body), 404 (unknown id) or 409 (not possible in its state).
 */
import { RequestStatus } from '@elitewebchat/protocol';
import type { MockPlatform } from './mock-platform.js';
import type { MockSession } from './state.js';

export interface ControlAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** The outcome of one control call, whatever serves it (HTTP or the programmatic handle). */
export class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const ENDINGS = new Set<number>([RequestStatus.REFUSED, RequestStatus.TIMEOUT, RequestStatus.DROPPED, RequestStatus.NO_AGENT_ONLINE, RequestStatus.OFF_HOUR]);

/** The operations, by id: shared by the HTTP routes and startMock's handle. */
export class MockControl {
  constructor(private readonly platform: MockPlatform) {}

  private openSession(sessionId: number): MockSession {
    const session = this.platform.sessionById(sessionId);
    if (!session) throw new ControlError(404, `no session ${sessionId}`);
    if (!session.open) throw new ControlError(409, `session ${sessionId} is closed`);
    if (session.transferring) throw new ControlError(409, `session ${sessionId} waits for an agent (2023)`);
    return session;
  }

  agentMessage(sessionId: number, text: unknown): { messageId: number } {
    if (typeof text !== 'string' || text.length === 0) throw new ControlError(400, 'text must be a non-empty string');
    return { messageId: this.platform.agentMessage(this.openSession(sessionId), text).id };
  }

  pushRating(sessionId: number): void {
    this.platform.pushRating(this.openSession(sessionId));
  }

  close(sessionId: number): void {
    this.platform.agentClose(this.openSession(sessionId));
  }

  accept(requestId: number, agentId?: unknown): { sessionId: number } {
    const request = this.platform.requestById(requestId);
    if (!request) throw new ControlError(404, `no request ${requestId}`);
    if (request.requestStatus !== RequestStatus.WAITING) throw new ControlError(409, `request ${requestId} is not waiting (state ${request.requestStatus})`);
    if (agentId !== undefined && (typeof agentId !== 'string' || !this.platform.config.agents.some((a) => a.id === agentId))) throw new ControlError(400, `no agent ${JSON.stringify(agentId)}`);
    return { sessionId: this.platform.accept(request, agentId).sessionId };
  }

  end(requestId: number, requestStatus: unknown): void {
    const request = this.platform.requestById(requestId);
    if (!request) throw new ControlError(404, `no request ${requestId}`);
    if (typeof requestStatus !== 'number' || !ENDINGS.has(requestStatus)) throw new ControlError(400, `requestStatus must be one of ${[...ENDINGS].join(', ')}`);
    if (request.requestStatus !== RequestStatus.WAITING) throw new ControlError(409, `request ${requestId} is not waiting (state ${request.requestStatus})`);
    this.platform.endRequest(request, requestStatus);
  }
}

const ROUTES: { method: string; pattern: RegExp; run: (control: MockControl, id: number, body: Record<string, unknown>) => unknown }[] = [
  { method: 'POST', pattern: /^\/mock\/sessions\/(\d+)\/agent-message$/, run: (c, id, b) => c.agentMessage(id, b.text) },
  { method: 'POST', pattern: /^\/mock\/sessions\/(\d+)\/push-rating$/, run: (c, id) => c.pushRating(id) },
  { method: 'POST', pattern: /^\/mock\/sessions\/(\d+)\/close$/, run: (c, id) => c.close(id) },
  { method: 'POST', pattern: /^\/mock\/requests\/(\d+)\/accept$/, run: (c, id, b) => c.accept(id, b.agentId) },
  { method: 'POST', pattern: /^\/mock\/requests\/(\d+)\/end$/, run: (c, id, b) => c.end(id, b.requestStatus) },
];

/** A control call by HTTP, or undefined when the path is none of the control API's. */
export function answerControl(platform: MockPlatform, control: MockControl, method: string, path: string, raw: Buffer): ControlAnswer | undefined {
  if (path === '/mock/state') {
    return method === 'GET' ? { status: 200, body: { ok: true, ...platform.state() } } : { status: 405, body: { ok: false, error: 'GET /mock/state' } };
  }
  for (const route of ROUTES) {
    const match = route.pattern.exec(path);
    if (!match) continue;
    if (method !== route.method) return { status: 405, body: { ok: false, error: `${route.method} ${path}` } };
    let body: unknown = {};
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        return { status: 400, body: { ok: false, error: 'the body is not JSON' } };
      }
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return { status: 400, body: { ok: false, error: 'the body must be a JSON object' } };
    try {
      const result = route.run(control, Number(match[1]), body as Record<string, unknown>);
      return { status: 200, body: { ok: true, ...(result ?? {}) } };
    } catch (error) {
      if (error instanceof ControlError) return { status: error.status, body: { ok: false, error: error.message } };
      throw error;
    }
  }
  return undefined;
}
