/**
 * Who is logged in. The token lives in memory and in sessionStorage (so a reload of this tab keeps
 * it, and it dies with the tab); never in localStorage, never in a URL.
 */
import type { AgentView, LoginAnswer } from '@elitewebchat/protocol/browser';
import { useSyncExternalStore } from 'react';

const KEY = 'ewc.auth';

function read(): LoginAnswer | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (raw === null) return null;
    const value = JSON.parse(raw) as Partial<LoginAnswer> | null;
    if (!value || typeof value.token !== 'string' || typeof value.expiresAt !== 'number' || !value.agent) return null;
    if (value.expiresAt <= Date.now()) return null;
    return value as LoginAnswer;
  } catch {
    return null;
  }
}

let current: LoginAnswer | null = read();
/** Why the last session ended, shown on the login page once. */
let endedBecause: 'expired' | 'revoked' | null = null;
const listeners = new Set<() => void>();

function emit(): void {
  for (const l of listeners) l();
}

function write(next: LoginAnswer | null): void {
  current = next;
  try {
    if (next === null) sessionStorage.removeItem(KEY);
    else sessionStorage.setItem(KEY, JSON.stringify(next));
  } catch {
    // Storage may be unavailable (private mode quotas): memory still holds the token.
  }
  emit();
}

export const authStore = {
  get: (): LoginAnswer | null => current,
  token: (): string | null => current?.token ?? null,
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  loggedIn(answer: LoginAnswer): void {
    endedBecause = null;
    write(answer);
  },
  updateAgent(agent: AgentView): void {
    if (current) write({ ...current, agent });
  },
  /**
   * The server refused a call because the password is a one-time one (PASSWORD_CHANGE_REQUIRED,
   * e.g. it was reset from the command line): nothing but choosing a new one until it is.
   */
  passwordChangeRequired(): void {
    if (current && !current.agent.mustChangePassword) write({ ...current, agent: { ...current.agent, mustChangePassword: true } });
  },
  /** Forget the token (logout, expiry, or the server no longer accepting it). */
  clear(reason: 'expired' | 'revoked' | null = null): void {
    endedBecause = reason;
    write(null);
  },
  /** The reason the last session ended, read once. */
  takeEndReason(): 'expired' | 'revoked' | null {
    const r = endedBecause;
    endedBecause = null;
    return r;
  },
};

export function useAuth(): LoginAnswer | null {
  return useSyncExternalStore(authStore.subscribe, authStore.get);
}
