/**
 * Who is calling (TPI and tpiu alike), before the body is read: the channel named by its key (or
 * the keyless one), and, for a channel with a `signingSecret`, a valid signature as the platform
 * checks it: `X-Webchat-Timestamp` (Unix seconds) and `X-Webchat-Signature: sha256=<hex
 * HMAC-SHA256(secret, "<timestamp>." + body bytes)>`; more than 300 s off is stale, the same
 * signature twice within 300 s a replay. Every refusal is -8 and says why, in the platform's words.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { MockChannel } from './config.js';
import { TpiFailure } from './parse.js';

export type Headers = Readonly<Record<string, string | string[] | undefined>>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export const SIGNATURE_TOLERANCE_SECONDS = 300;

/** Signatures seen within their window, so that the same signed call is taken once. */
export class ReplayCache {
  private readonly seen = new Map<string, number>();

  /** False when the signature was already seen and has not yet expired; else remembers it until `until` (seconds). */
  remember(signature: string, until: number, now: number): boolean {
    for (const [key, expiry] of this.seen) if (expiry < now) this.seen.delete(key);
    if (this.seen.has(signature)) return false;
    this.seen.set(signature, until);
    return true;
  }
}

export function signBody(secret: string, timestampSeconds: number, body: Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestampSeconds}.`).update(body).digest('hex')}`;
}

/** The calling channel, its signature checked; a TpiFailure -8 saying why not. */
export function authenticate(channels: readonly MockChannel[], replays: ReplayCache, headers: Headers, body: Buffer): MockChannel {
  const channel = channelOf(channels, headers);
  if (channel.signingSecret !== undefined) checkSignature(channel.signingSecret, replays, headers, body);
  return channel;
}

/** The channel whose key the call sends; without a key, the keyless one (named by X-Webchat-Channel among several). */
function channelOf(channels: readonly MockChannel[], headers: Headers): MockChannel {
  const key = one(headers['x-webchat-key']);
  const named = one(headers['x-webchat-channel']);
  if (key) {
    const channel = channels.find((c) => c.key === key);
    if (!channel) throw new TpiFailure(-8, 'unknown X-Webchat-Key');
    if (named && named !== channel.id) throw new TpiFailure(-8, `the key is not channel ${named}'s`);
    return channel;
  }
  const keyless = channels.filter((c) => !c.key && (!named || c.id === named));
  if (keyless.length === 1) return keyless[0]!;
  if (keyless.length === 0) throw new TpiFailure(-8, named ? `no keyless channel ${named}: send its X-Webchat-Key` : 'no X-Webchat-Key and no keyless channel');
  throw new TpiFailure(-8, 'several keyless channels: name one with X-Webchat-Channel');
}

function checkSignature(secret: string, replays: ReplayCache, headers: Headers, body: Buffer): void {
  const timestamp = one(headers['x-webchat-timestamp']);
  const signature = one(headers['x-webchat-signature']);
  if (!timestamp || !signature) throw new TpiFailure(-8, 'this channel signs its calls: send X-Webchat-Timestamp and X-Webchat-Signature');
  const ts = Number(timestamp);
  const now = Math.floor(Date.now() / 1000);
  if (!Number.isInteger(ts)) throw new TpiFailure(-8, 'X-Webchat-Timestamp must be Unix seconds');
  if (Math.abs(now - ts) > SIGNATURE_TOLERANCE_SECONDS) {
    throw new TpiFailure(-8, `X-Webchat-Timestamp is ${now - ts} s off the server's clock (at most ${SIGNATURE_TOLERANCE_SECONDS} s)`);
  }
  const expected = Buffer.from(signBody(secret, ts, body));
  const given = Buffer.from(signature.trim());
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new TpiFailure(-8, 'X-Webchat-Signature does not match the body');
  if (!replays.remember(expected.toString(), ts + SIGNATURE_TOLERANCE_SECONDS, now)) {
    throw new TpiFailure(-8, 'this signed call was already received (replay); sign each call anew');
  }
}
