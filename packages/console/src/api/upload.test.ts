import type { AgentView, LoginAnswer, MessageView } from '@elitewebchat/protocol/browser';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { authStore } from '../auth/auth-store';
import { agentApi } from './agent';
import { ApiError } from './http';

const agent: AgentView = { id: 'A', username: 'a', name: 'A', alias: '', icon: '', comments: '', maxChats: 5, role: 'agent', status: 'online', queueIds: [1], mustChangePassword: false };
const login: LoginAnswer = { token: 'tok', expiresAt: Date.now() + 3600_000, agent };
const sent: MessageView = { id: 9, sessionId: 4, sender: 'agent', kind: 'image', image: { id: 3, name: 'a.png', url: '/api/v1/agent/files/3' }, createdAt: 1, clientTime: null };

/** XMLHttpRequest as far as the uploader uses it; the test answers each request by hand. */
class FakeXhr {
  static last: FakeXhr;
  method = '';
  url = '';
  headers: Record<string, string> = {};
  body: unknown;
  status = 0;
  statusText = '';
  responseText = '';
  withCredentials = true;
  upload: { onprogress: ((e: { lengthComputable: boolean; loaded: number; total: number }) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  constructor() {
    FakeXhr.last = this;
  }
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  send(body: unknown) {
    this.body = body;
  }
  answer(status: number, body: unknown) {
    this.status = status;
    this.responseText = JSON.stringify(body);
    this.onload?.();
  }
}

describe('uploading a file', () => {
  beforeEach(() => {
    vi.stubGlobal('XMLHttpRequest', FakeXhr);
    authStore.loggedIn(login);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    authStore.clear();
  });

  it('posts the file as the form field "file" with the token, tells the progress and answers the message', async () => {
    const progress: number[] = [];
    const file = new File(['%PDF-1.4'], '报价.pdf', { type: 'application/pdf' });
    const answer = agentApi.sendFile(4, file, file.name, (f) => progress.push(f));
    const xhr = FakeXhr.last;
    expect([xhr.method, xhr.url, xhr.headers.authorization, xhr.withCredentials]).toEqual(['POST', '/api/v1/agent/sessions/4/files', 'Bearer tok', false]);
    const form = xhr.body as FormData;
    expect((form.get('file') as File).name).toBe('报价.pdf');
    xhr.upload.onprogress?.({ lengthComputable: true, loaded: 50, total: 200 });
    xhr.upload.onprogress?.({ lengthComputable: false, loaded: 60, total: 0 });
    xhr.upload.onprogress?.({ lengthComputable: true, loaded: 200, total: 200 });
    xhr.answer(201, sent);
    expect(await answer).toEqual(sent);
    expect(progress).toEqual([0.25, 1]);
  });

  it('rejects with the platform’s error, and a network failure as one', async () => {
    const refused = agentApi.sendFile(4, new Blob(['<html>']), 'a.html');
    FakeXhr.last.answer(415, { error: { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'none of the formats this platform takes' } });
    await expect(refused).rejects.toMatchObject({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: 'none of the formats this platform takes' });
    const lost = agentApi.sendFile(4, new Blob(['x']), 'x.pdf');
    FakeXhr.last.onerror?.();
    const error = (await lost.catch((e: unknown) => e)) as ApiError;
    expect([error instanceof ApiError, error.status, error.code]).toEqual([true, 0, 'NETWORK']);
  });

  it('sends the agent to the login page when the token is no longer good', async () => {
    const refused = agentApi.sendFile(4, new Blob(['x']), 'x.pdf');
    FakeXhr.last.answer(401, { error: { code: 'UNAUTHENTICATED', message: 'token expired' } });
    await expect(refused).rejects.toMatchObject({ status: 401 });
    expect(authStore.token()).toBeNull();
  });
});
