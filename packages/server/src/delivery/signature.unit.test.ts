/**
 * Signatures both ways, as a third party computes and checks them with nothing but node:crypto:
 * Standard Webhooks on callbacks (valid, tampered body, wrong secret, stale and future
 * timestamps, rotated secrets, malformed headers) and the HMAC of signed TPI calls.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signTpiBody } from '../modules/tpi/authenticate.js';
import { isValidSecret, secretKey, sign, verifyWebhook, webhookHeaders } from './signature.js';

const whsec = (bytes: Buffer) => `whsec_${bytes.toString('base64')}`;
const OLD = whsec(Buffer.from('0123456789abcdef0123456789abcdef', 'utf8'));
const NEW = whsec(Buffer.from('fedcba9876543210fedcba9876543210', 'utf8'));
const OTHER = whsec(randomBytes(32));

/** Standard Webhooks, computed independently of the code under test. */
function reference(secret: string, id: string, ts: number, body: string): string {
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${ts}.${body}`, 'utf8').digest('base64')}`;
}

const NOW = 1_780_000_000;
const BODY = JSON.stringify({ result: 1, message: 'success', sessionId: 7, content: '你好 /::) 👍' });

describe('Standard Webhooks signatures of callbacks', () => {
  it('signs like the reference computation (base64 HMAC-SHA256 of "id.timestamp.body" with the decoded whsec_ key)', () => {
    expect(secretKey(OLD).toString('utf8')).toBe('0123456789abcdef0123456789abcdef');
    for (const [id, body] of [['cb_1', BODY], ['cb_999999', ''], ['cb_2', '{"a":"\u2028\u0000"}']] as const) {
      expect(sign(OLD, id, NOW, body)).toBe(reference(OLD, id, NOW, body));
    }
    // The published Standard Webhooks test vector.
    const vector = sign('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}');
    expect(vector).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('puts id, timestamp and one signature per secret in the headers', () => {
    expect(webhookHeaders([OLD], 'cb_5', NOW, BODY)).toEqual({ 'webhook-id': 'cb_5', 'webhook-timestamp': String(NOW), 'webhook-signature': reference(OLD, 'cb_5', NOW, BODY) });
    const rotating = webhookHeaders([NEW, OLD], 'cb_5', NOW, BODY);
    expect(rotating['webhook-signature']).toBe(`${reference(NEW, 'cb_5', NOW, BODY)} ${reference(OLD, 'cb_5', NOW, BODY)}`);
    // No secret: id and timestamp still come (a receiver can still drop duplicates), no signature.
    expect(webhookHeaders([], 'cb_5', NOW, BODY)).toEqual({ 'webhook-id': 'cb_5', 'webhook-timestamp': String(NOW) });
  });

  it('verifies what it signed, and nothing that was changed', () => {
    const headers = webhookHeaders([OLD], 'cb_9', NOW, BODY);
    const cases: [string, boolean][] = [
      ['valid', verifyWebhook(OLD, headers, BODY, NOW)],
      ['valid at the edge of the tolerance (−300 s)', verifyWebhook(OLD, headers, BODY, NOW + 300)],
      ['valid at the edge of the tolerance (+300 s)', verifyWebhook(OLD, headers, BODY, NOW - 300)],
      ['tampered body', verifyWebhook(OLD, headers, BODY.replace('success', 'succes5'), NOW)],
      ['body with a trailing newline', verifyWebhook(OLD, headers, `${BODY}\n`, NOW)],
      ['wrong secret', verifyWebhook(OTHER, headers, BODY, NOW)],
      ['stale timestamp (301 s old)', verifyWebhook(OLD, headers, BODY, NOW + 301)],
      ['future timestamp (301 s ahead)', verifyWebhook(OLD, headers, BODY, NOW - 301)],
      ['other id', verifyWebhook(OLD, { ...headers, 'webhook-id': 'cb_10' }, BODY, NOW)],
      ['other timestamp', verifyWebhook(OLD, { ...headers, 'webhook-timestamp': String(NOW + 1) }, BODY, NOW)],
    ];
    expect(Object.fromEntries(cases)).toEqual({
      valid: true,
      'valid at the edge of the tolerance (−300 s)': true,
      'valid at the edge of the tolerance (+300 s)': true,
      'tampered body': false,
      'body with a trailing newline': false,
      'wrong secret': false,
      'stale timestamp (301 s old)': false,
      'future timestamp (301 s ahead)': false,
      'other id': false,
      'other timestamp': false,
    });
    // A receiver with a stricter tolerance.
    expect(verifyWebhook(OLD, headers, BODY, NOW + 61, 60)).toBe(false);
    expect(verifyWebhook(OLD, headers, BODY, NOW + 60, 60)).toBe(true);
  });

  it('keeps both secrets valid during a rotation', () => {
    const headers = webhookHeaders([NEW, OLD], 'cb_3', NOW, BODY);
    expect(verifyWebhook(NEW, headers, BODY, NOW)).toBe(true);
    expect(verifyWebhook(OLD, headers, BODY, NOW)).toBe(true);
    expect(verifyWebhook(OTHER, headers, BODY, NOW)).toBe(false);
    // After the rotation only the new one signs: a receiver still on the old one fails.
    const after = webhookHeaders([NEW], 'cb_3', NOW, BODY);
    expect(verifyWebhook(NEW, after, BODY, NOW)).toBe(true);
    expect(verifyWebhook(OLD, after, BODY, NOW)).toBe(false);
    // And every signature of a rotation is good on its own.
    for (const s of headers['webhook-signature']!.split(' ')) expect([reference(NEW, 'cb_3', NOW, BODY), reference(OLD, 'cb_3', NOW, BODY)]).toContain(s);
  });

  it('refuses malformed headers without throwing', () => {
    const good = webhookHeaders([OLD], 'cb_4', NOW, BODY);
    const sig = good['webhook-signature']!;
    const malformed: [string, Record<string, string | string[] | undefined>][] = [
      ['no headers', {}],
      ['no signature', { ...good, 'webhook-signature': undefined }],
      ['empty signature', { ...good, 'webhook-signature': '' }],
      ['no id', { ...good, 'webhook-id': undefined }],
      ['empty id', { ...good, 'webhook-id': '' }],
      ['no timestamp', { ...good, 'webhook-timestamp': undefined }],
      ['timestamp not a number', { ...good, 'webhook-timestamp': 'yesterday' }],
      ['timestamp with a fraction', { ...good, 'webhook-timestamp': `${NOW}.5` }],
      ['timestamp in ms', { ...good, 'webhook-timestamp': String(NOW * 1000) }],
      ['signature without version', { ...good, 'webhook-signature': sig.slice(3) }],
      ['signature version v2', { ...good, 'webhook-signature': `v2,${sig.slice(3)}` }],
      ['signature truncated', { ...good, 'webhook-signature': sig.slice(0, -2) }],
      ['signature in hex', { ...good, 'webhook-signature': `v1,${Buffer.from(sig.slice(3), 'base64').toString('hex')}` }],
      ['signature with garbage', { ...good, 'webhook-signature': 'v1,!!!! v1,@@@@ ,,,' }],
      ['multi-byte junk of the same length', { ...good, 'webhook-signature': 'é'.repeat(sig.length) }],
    ];
    for (const [what, headers] of malformed) expect(verifyWebhook(OLD, headers, BODY, NOW), what).toBe(false);
    // Array-valued headers (a header repeated) are read by their first value.
    expect(verifyWebhook(OLD, { ...good, 'webhook-signature': [sig, 'v1,x'] }, BODY, NOW)).toBe(true);
    // A bad signature next to a good one still verifies (Standard Webhooks: any may match).
    expect(verifyWebhook(OLD, { ...good, 'webhook-signature': `v1,AAAA ${sig}` }, BODY, NOW)).toBe(true);
  });

  it('takes only whsec_ secrets with a key of at least 24 bytes', () => {
    expect(isValidSecret(OLD)).toBe(true);
    expect(isValidSecret(whsec(randomBytes(24)))).toBe(true);
    expect(isValidSecret(whsec(randomBytes(23)))).toBe(false);
    expect(isValidSecret(randomBytes(32).toString('base64'))).toBe(false);
    expect(isValidSecret('whsec_')).toBe(false);
  });
});

describe('signed TPI calls (X-Webchat-Signature)', () => {
  const SECRET = 'tpi-signing-secret-0123456789abcdef';
  const body = JSON.stringify({ type: 1000, clientId: 'c', queueId: 1 });
  const refTpi = (secret: string, ts: number, b: string | Buffer) => `sha256=${createHmac('sha256', secret).update(Buffer.concat([Buffer.from(`${ts}.`), Buffer.from(b)])).digest('hex')}`;

  it('is the hex HMAC-SHA256 of "timestamp." and the body bytes, keyed with the secret as text', () => {
    expect(signTpiBody(SECRET, NOW, body)).toBe(refTpi(SECRET, NOW, body));
    expect(signTpiBody(SECRET, NOW, Buffer.from(body))).toBe(refTpi(SECRET, NOW, body));
    expect(signTpiBody(SECRET, NOW, body)).toMatch(/^sha256=[0-9a-f]{64}$/);
    // Bytes, not text: invalid UTF-8 is signed as sent.
    const raw = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]);
    expect(signTpiBody(SECRET, NOW, raw)).toBe(refTpi(SECRET, NOW, raw));
    expect(signTpiBody(SECRET, NOW, raw)).not.toBe(signTpiBody(SECRET, NOW, raw.toString('utf8')));
  });

  it('changes with the body, the timestamp and the secret', () => {
    const base = signTpiBody(SECRET, NOW, body);
    expect(signTpiBody(SECRET, NOW, `${body} `)).not.toBe(base);
    expect(signTpiBody(SECRET, NOW + 1, body)).not.toBe(base);
    expect(signTpiBody(`${SECRET}x`, NOW, body)).not.toBe(base);
    // "timestamp.body" cannot be shifted across the dot.
    expect(signTpiBody(SECRET, 12, '3.x')).not.toBe(signTpiBody(SECRET, 123, 'x'));
  });
});
