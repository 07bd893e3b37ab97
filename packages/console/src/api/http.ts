/** JSON over fetch with the bearer token; errors become ApiError with the server's message. */
import type { ErrorView } from '@elitewebchat/protocol/browser';
import i18next from 'i18next';
import { authStore } from '../auth/auth-store';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type Query = Record<string, string | number | undefined | null>;

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}

async function errorOf(response: Response): Promise<ApiError> {
  let text = '';
  try {
    text = await response.text();
  } catch {
    // No body: the status line says it.
  }
  return errorFromBody(response.status, response.statusText, text);
}

/** The ApiError of a refused call, from its status line and body (the ErrorView, when it is one). */
export function errorFromBody(status: number, statusText: string, text: string): ApiError {
  let code = `HTTP_${status}`;
  let message = statusText || `HTTP ${status}`;
  try {
    // ErrorView, checked field by field: a proxy in between may answer something else.
    const body = JSON.parse(text) as { error?: Partial<ErrorView['error']>; message?: unknown } | null;
    if (body?.error && typeof body.error.message === 'string') {
      message = body.error.message;
      if (typeof body.error.code === 'string') code = body.error.code;
    } else if (typeof body?.message === 'string') {
      message = body.message;
    }
  } catch {
    // Not JSON: keep the status line.
  }
  return new ApiError(status, code, message);
}

/** What a refusal means for the login: revoked or expired (to the login page), or a one-time password. */
export function noticeAuthRefusal(error: ApiError): void {
  if (error.status === 401 && error.code === 'UNAUTHENTICATED') authStore.clear('revoked');
  if (error.status === 403 && error.code === 'PASSWORD_CHANGE_REQUIRED') authStore.passwordChangeRequired();
}

export interface RequestOptions {
  body?: unknown;
  query?: Query;
  signal?: AbortSignal;
  /** Skip the token (login). */
  anonymous?: boolean;
}

/** Sends a request; answers the parsed JSON body, or undefined for 204. */
export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const token = authStore.token();
  if (!opts.anonymous && token) headers.authorization = `Bearer ${token}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(withQuery(path, opts.query), {
      method,
      headers,
      body: opts.body === undefined ? null : JSON.stringify(opts.body),
      signal: opts.signal ?? null,
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'NETWORK', i18next.t('error.network'));
  }
  if (!response.ok) {
    const error = await errorOf(response);
    // The token was revoked or expired: back to the login page; the password became a one-time
    // one meanwhile: to the page that changes it.
    if (!opts.anonymous) noticeAuthRefusal(error);
    throw error;
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Fetches a protected binary (a customer's image) as a Blob. */
export async function fetchBlob(path: string, signal?: AbortSignal): Promise<Blob> {
  const token = authStore.token();
  const response = await fetch(path, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
    signal: signal ?? null,
    credentials: 'omit',
  });
  if (!response.ok) throw await errorOf(response);
  return response.blob();
}

export const get = <T>(path: string, query?: Query, signal?: AbortSignal) => request<T>('GET', path, { query, ...(signal ? { signal } : {}) });
export const post = <T>(path: string, body?: unknown) => request<T>('POST', path, { body: body ?? {} });
export const put = <T>(path: string, body: unknown) => request<T>('PUT', path, { body });
export const del = (path: string) => request<void>('DELETE', path);
