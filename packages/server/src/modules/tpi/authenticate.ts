/**
 * Who is calling the TPI, before anything reaches a queue: the channel named by its key (or
 * the keyless one), from an address the channel takes calls from, with a valid signature when
 * the channel signs its calls. Every refusal says why, and is counted and logged by the caller.
 *
 * Signed calls carry `X-Webchat-Timestamp` (Unix seconds) and `X-Webchat-Signature:
 * sha256=<hex HMAC-SHA256 of "timestamp.body">`. A timestamp more than 5 minutes off is stale;
 * a signature seen in the last 5 minutes is a replay.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { ResultCode } from '@elitewebchat/protocol';
import type { ChannelRow } from '../../db/schema.js';
import { TpiError } from '../../errors.js';
import type { ReplayCache } from '../../cluster/replay-cache.js';
import type { ChannelDirectory } from './channels.js';
import { allowList, LOOPBACK } from '../../common/cidr.js';

export const SIGNATURE_TOLERANCE_SECONDS = 300;

export class AuthError extends TpiError {
  constructor(
    readonly reason: 'key' | 'address' | 'signature' | 'stale' | 'replay',
    message: string,
  ) {
    super(ResultCode.REQUEST_ERROR, message);
  }
}

export interface CallerFacts {
  key: string | undefined;
  channelId: string | undefined;
  /** Read only for a channel that restricts where calls come from. */
  address: () => string;
  timestamp: string | undefined;
  signature: string | undefined;
  body: Buffer | undefined;
}

export function signTpiBody(secret: string, timestampSeconds: number, body: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestampSeconds}.`).update(body).digest('hex')}`;
}

export class TpiAuthenticator {
  private readonly allowFrom = new Map<string, { spec: string | null; check: ((a: string) => boolean) | undefined }>();

  constructor(
    private readonly channels: ChannelDirectory,
    private readonly replays: ReplayCache,
    private readonly clock: () => number,
  ) {}

  async authenticate(facts: CallerFacts): Promise<ChannelRow> {
    let channel: ChannelRow;
    try {
      channel = this.channels.resolve(facts.key, facts.channelId);
    } catch (error) {
      if (error instanceof TpiError) throw new AuthError('key', error.message);
      throw error;
    }
    if (!this.addressAllowed(channel, facts.address)) {
      throw new AuthError('address', `calls from ${facts.address()} are not allowed for channel ${channel.id}`);
    }
    if (channel.signing_secret) await this.checkSignature(channel.signing_secret, facts);
    return channel;
  }

  private addressAllowed(channel: ChannelRow, address: () => string): boolean {
    let entry = this.allowFrom.get(channel.id);
    if (!entry || entry.spec !== channel.allow_from) {
      const cidrs = channel.allow_from ? (JSON.parse(channel.allow_from) as string[]) : channel.key_hash ? null : LOOPBACK;
      entry = { spec: channel.allow_from, check: cidrs ? allowList(cidrs) : undefined };
      this.allowFrom.set(channel.id, entry);
    }
    return entry.check ? entry.check(address()) : true;
  }

  private async checkSignature(secret: string, facts: CallerFacts): Promise<void> {
    if (!facts.timestamp || !facts.signature) {
      throw new AuthError('signature', 'this channel signs its calls: send X-Webchat-Timestamp and X-Webchat-Signature');
    }
    const ts = Number(facts.timestamp);
    const now = Math.floor(this.clock() / 1000);
    if (!Number.isInteger(ts)) throw new AuthError('signature', 'X-Webchat-Timestamp must be Unix seconds');
    if (Math.abs(now - ts) > SIGNATURE_TOLERANCE_SECONDS) {
      throw new AuthError('stale', `X-Webchat-Timestamp is ${now - ts} s off the server's clock (at most ${SIGNATURE_TOLERANCE_SECONDS} s)`);
    }
    const expected = Buffer.from(signTpiBody(secret, ts, facts.body ?? Buffer.alloc(0)));
    const given = Buffer.from(facts.signature.trim());
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new AuthError('signature', 'X-Webchat-Signature does not match the body');
    }
    if (!(await this.replays.remember(expected.toString(), ts + SIGNATURE_TOLERANCE_SECONDS, now))) {
      throw new AuthError('replay', 'this signed call was already received (replay); sign each call anew');
    }
  }
}
