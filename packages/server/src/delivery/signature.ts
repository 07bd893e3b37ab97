/**
 * Standard Webhooks signatures (standardwebhooks.com): `webhook-id`, `webhook-timestamp`
 * (seconds) and `webhook-signature`, `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`. Every
 * secret of a channel signs, space-separated, so a secret can be rotated with two valid at once.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

const PREFIX = 'whsec_';

export function secretKey(secret: string): Buffer {
  return Buffer.from(secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret, 'base64');
}

export function isValidSecret(secret: string): boolean {
  return secret.startsWith(PREFIX) && secretKey(secret).length >= 24;
}

export function sign(secret: string, id: string, timestampSeconds: number, body: string): string {
  return `v1,${createHmac('sha256', secretKey(secret)).update(`${id}.${timestampSeconds}.${body}`).digest('base64')}`;
}

export function webhookHeaders(secrets: readonly string[], id: string, timestampSeconds: number, body: string): Record<string, string> {
  const headers: Record<string, string> = { 'webhook-id': id, 'webhook-timestamp': String(timestampSeconds) };
  if (secrets.length > 0) headers['webhook-signature'] = secrets.map((s) => sign(s, id, timestampSeconds, body)).join(' ');
  return headers;
}

/** What a receiver does; the SDK and the tests use it. Tolerance as the standard suggests. */
export function verifyWebhook(
  secret: string,
  headers: Record<string, string | string[] | undefined>,
  body: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  const one = (name: string) => {
    const v = headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  const id = one('webhook-id');
  const ts = Number(one('webhook-timestamp'));
  const signatures = one('webhook-signature');
  if (!id || !Number.isInteger(ts) || !signatures || Math.abs(nowSeconds - ts) > toleranceSeconds) return false;
  const expected = Buffer.from(sign(secret, id, ts, body));
  return signatures.split(' ').some((candidate) => {
    const given = Buffer.from(candidate);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
