/**
 * What a queue's script makes happen, on timers: a waiting request is accepted, times out or
 * ends off hours; once accepted, the agent greets, asks for a rating and closes; after each
 * customer message, the agent replies. Timers belong to their request or session and are
 * cleared when it ends, so nothing fires for a chat that is over.
 */
import { RequestStatus } from '@elitewebchat/protocol';
import type { MockQueue, ScriptedReply } from './config.js';
import type { MockPlatform } from './mock-platform.js';
import type { MockRequest, MockSession } from './state.js';

const ms = (seconds: number) => Math.round(seconds * 1000);

/** A waiting request: accept, time out or go off hours, whichever the script says comes first. */
export function scheduleWaiting(platform: MockPlatform, request: MockRequest, queue: MockQueue): void {
  const stillWaiting = () => request.requestStatus === RequestStatus.WAITING;
  if (queue.acceptAfterSeconds !== undefined) {
    platform.timers.forRequest(request.requestId, ms(queue.acceptAfterSeconds), () => {
      if (stillWaiting()) platform.accept(request);
    });
  }
  if (queue.timeoutAfterSeconds !== undefined) {
    platform.timers.forRequest(request.requestId, ms(queue.timeoutAfterSeconds), () => {
      if (stillWaiting()) platform.endRequest(request, RequestStatus.TIMEOUT);
    });
  }
  if (queue.offHoursAfterSeconds !== undefined) {
    platform.timers.forRequest(request.requestId, ms(queue.offHoursAfterSeconds), () => {
      if (stillWaiting()) platform.endRequest(request, RequestStatus.OFF_HOUR);
    });
  }
}

/** A session just accepted: the greeting, the rating request and the close of the script. */
export function scheduleAgent(platform: MockPlatform, session: MockSession, queue: MockQueue): void {
  sendInTurn(platform, session, queue.greeting ?? [], '');
  if (queue.pushRatingAfterSeconds !== undefined) {
    platform.timers.forSession(session.sessionId, ms(queue.pushRatingAfterSeconds), () => platform.pushRating(session));
  }
  if (queue.closeAfterSeconds !== undefined) {
    platform.timers.forSession(session.sessionId, ms(queue.closeAfterSeconds), () => platform.agentClose(session));
  }
}

/** The customer wrote: the agent's replies, each after its delay. */
export function scheduleReplies(platform: MockPlatform, session: MockSession, queue: MockQueue, text: string): void {
  sendInTurn(platform, session, queue.replies ?? [], text);
}

function sendInTurn(platform: MockPlatform, session: MockSession, replies: readonly ScriptedReply[], customerText: string): void {
  let at = 0;
  for (const reply of replies) {
    const { text, afterSeconds } = typeof reply === 'string' ? { text: reply, afterSeconds: 0 } : reply;
    at += ms(afterSeconds ?? 0);
    const content = text.replaceAll('{text}', customerText);
    platform.timers.forSession(session.sessionId, at, () => {
      if (session.open && !session.transferring) platform.agentMessage(session, content);
    });
  }
}

/** Timers by the request or session they belong to. */
export class Timers {
  private readonly byOwner = new Map<string, Set<NodeJS.Timeout>>();

  forRequest(requestId: number, delayMs: number, run: () => void): void {
    this.add(`r:${requestId}`, delayMs, run);
  }

  forSession(sessionId: number, delayMs: number, run: () => void): void {
    this.add(`s:${sessionId}`, delayMs, run);
  }

  clearRequest(requestId: number): void {
    this.clear(`r:${requestId}`);
  }

  clearSession(sessionId: number): void {
    this.clear(`s:${sessionId}`);
  }

  clearAll(): void {
    for (const owner of [...this.byOwner.keys()]) this.clear(owner);
  }

  private add(owner: string, delayMs: number, run: () => void): void {
    let set = this.byOwner.get(owner);
    if (!set) this.byOwner.set(owner, (set = new Set()));
    const timers = set;
    const timer = setTimeout(() => {
      timers.delete(timer);
      run();
    }, delayMs);
    set.add(timer);
  }

  private clear(owner: string): void {
    for (const timer of this.byOwner.get(owner) ?? []) clearTimeout(timer);
    this.byOwner.delete(owner);
  }
}
