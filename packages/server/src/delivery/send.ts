/**
 * One HTTP attempt at a callback. A third party has answered well only with a 2xx status and
 * `result: 1`; anything else (status, body, timeout, refused connection) is a failure to retry.
 * Redirects are not followed; the answer is read up to a cap.
 */
import { request, type Dispatcher } from 'undici';

export const MAX_ANSWER_BYTES = 64 * 1024;

export interface AttemptOutcome {
  ok: boolean;
  httpStatus: number | null;
  error: string | null;
  response: string | null;
  /** From a Retry-After header on 429 or 503. */
  retryAfterMs?: number;
}

/** Retry-After in seconds or as an HTTP date. */
export function parseRetryAfter(value: string | string[] | undefined, now: number): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) return undefined;
  if (/^\d+$/.test(text.trim())) return Number(text.trim()) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export async function sendCallback(
  dispatcher: Dispatcher,
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<AttemptOutcome> {
  try {
    const answer = await request(url, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json; charset=utf-8', 'user-agent': 'EliteWebChat-Callback/1', ...headers },
      dispatcher,
      signal: AbortSignal.timeout(timeoutMs),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    const chunks: Buffer[] = [];
    let size = 0;
    let truncated = false;
    for await (const chunk of answer.body) {
      const buf = chunk as Buffer;
      if (size + buf.length > MAX_ANSWER_BYTES) {
        chunks.push(buf.subarray(0, MAX_ANSWER_BYTES - size));
        truncated = true;
        answer.body.destroy();
        break;
      }
      chunks.push(buf);
      size += buf.length;
    }
    const text = Buffer.concat(chunks).toString('utf8');
    const excerpt = text.slice(0, 1024);
    const status = answer.statusCode;
    if (status < 200 || status >= 300) {
      const retryAfterMs = status === 429 || status === 503 ? parseRetryAfter(answer.headers['retry-after'], Date.now()) : undefined;
      return { ok: false, httpStatus: status, error: `HTTP ${status}`, response: excerpt, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
    }
    if (truncated) return { ok: false, httpStatus: status, error: `answer is larger than ${MAX_ANSWER_BYTES} bytes`, response: excerpt };
    let result: unknown;
    try {
      result = (JSON.parse(text) as { result?: unknown }).result;
    } catch {
      return { ok: false, httpStatus: status, error: 'answer is not JSON', response: excerpt };
    }
    // Some third parties write the number as a string.
    if (result === 1 || result === '1') return { ok: true, httpStatus: status, error: null, response: excerpt };
    return { ok: false, httpStatus: status, error: `answered result ${JSON.stringify(result)}`, response: excerpt };
  } catch (error) {
    const e = error as Error & { code?: string };
    return { ok: false, httpStatus: null, error: `${e.code ?? e.name}: ${e.message}`.slice(0, 500), response: null };
  }
}
