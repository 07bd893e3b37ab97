import type { AgentView, LoginAnswer } from '@elitewebchat/protocol/browser';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { authStore } from '../auth/auth-store';
import { agentApi } from './agent';
import { ApiError } from './http';

const agent: AgentView = {
  id: 'ADM',
  username: 'admin',
  name: 'Administrator',
  alias: '管理员',
  icon: '',
  comments: '',
  maxChats: 5,
  role: 'admin',
  status: 'offline',
  queueIds: [1],
  mustChangePassword: false,
};
const login: LoginAnswer = { token: 'tok', expiresAt: Date.now() + 3600_000, agent };

function answer(status: number, body?: unknown): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), { status, headers: body === undefined ? {} : { 'content-type': 'application/json' } });
}

describe('a one-time password', () => {
  const calls: { url: string; init: RequestInit }[] = [];
  let next: () => Response;

  beforeEach(() => {
    calls.length = 0;
    vi.stubGlobal('fetch', (url: string, init: RequestInit) => {
      calls.push({ url, init });
      return Promise.resolve(next());
    });
    authStore.loggedIn(login);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    authStore.clear();
  });

  it('any call answered 403 PASSWORD_CHANGE_REQUIRED marks the login as needing a new password, keeping the token', async () => {
    next = () => answer(403, { error: { code: 'PASSWORD_CHANGE_REQUIRED', message: 'choose your own first' } });
    const failure = await agentApi.openSessions().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApiError);
    expect((failure as ApiError).code).toBe('PASSWORD_CHANGE_REQUIRED');
    expect(authStore.get()).toEqual({ ...login, agent: { ...agent, mustChangePassword: true } });
  });

  it('another 403 (a role) changes nothing', async () => {
    next = () => answer(403, { error: { code: 'FORBIDDEN', message: 'this needs the role admin' } });
    await expect(agentApi.queues()).rejects.toBeInstanceOf(ApiError);
    expect(authStore.get()).toEqual(login);
  });

  it('is changed with the protocol body; a wrong current password is an error, not a logout', async () => {
    authStore.updateAgent({ ...agent, mustChangePassword: true });
    next = () => answer(401, { error: { code: 'BAD_CREDENTIALS', message: 'the current password is wrong' } });
    await expect(agentApi.changePassword('one-time', 'my-own-password')).rejects.toMatchObject({ status: 401, code: 'BAD_CREDENTIALS' });
    expect(authStore.get()?.token).toBe('tok');
    expect(calls[0]?.url).toBe('/api/v1/agent/password');
    expect(calls[0]?.init.method).toBe('POST');
    expect(JSON.parse(String(calls[0]?.init.body))).toEqual({ currentPassword: 'one-time', newPassword: 'my-own-password' });
    expect(new Headers(calls[0]?.init.headers).get('authorization')).toBe('Bearer tok');

    next = () => answer(204);
    await expect(agentApi.changePassword('one-time', 'my-own-password')).resolves.toBeUndefined();
  });
});
