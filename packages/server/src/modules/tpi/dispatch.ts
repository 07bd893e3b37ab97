/** One TPI call, by its type, to the service that does it. */
import { ENDED_REASONS, RequestStatus, RequestType, ResultCode, type FileBody, type LaterImageBody, type LaterShapeBody, type TpiAnswer, type TpiBody } from '@elitewebchat/protocol';
import type { ChannelRow } from '../../db/schema.js';
import type { RequestService } from '../chat/index.js';
import type { Stored } from '../chat/index.js';
import type { SessionService } from '../chat/index.js';
import type { WaitEstimator } from '../chat/index.js';

export interface TpiServices {
  requests: RequestService;
  sessions: SessionService;
  waitEstimator: WaitEstimator;
}

const ok = (message = 'success'): TpiAnswer => ({ result: ResultCode.SUCCESS, message });
/** `estimatedWaitSeconds` when the estimate is known, else nothing (docs/tpi.md, "Estimated wait"). */
const waitField = (seconds: number | null): { estimatedWaitSeconds?: number } => (seconds === null ? {} : { estimatedWaitSeconds: seconds });

/** A retried message (same msgId) succeeds again, and says it was already stored. */
const stored = (outcome: Stored): TpiAnswer => ok(outcome === 'duplicate' ? 'success; duplicate msgId, already stored' : 'success');

/** A seed call, or a later call of a seed type whose later shape adds fields (1000, 2001, 5001). */
export type SeedTypeBody = TpiBody | Exclude<LaterShapeBody, LaterImageBody | FileBody>;

export async function dispatchTpi(services: TpiServices, channel: ChannelRow, body: SeedTypeBody): Promise<TpiAnswer> {
  const { requests, sessions, waitEstimator } = services;
  switch (body.type) {
    case RequestType.CHAT_REQUEST: {
      const created = await requests.create(channel, body, undefined, 'brand' in body || 'tracks' in body || 'ip' in body ? customerContext(body) : undefined);
      // A place above 0 means it waits (a continued session is at 0). The request is stored by
      // now, so a failed estimate leaves the field out rather than answer -100 ("nothing changed").
      const wait = created.queueLength > 0 ? await waitEstimator.estimate(body.queueId, created.queueLength).catch(() => null) : null;
      return { ...ok(), ...created, ...waitField(wait) };
    }
    case RequestType.CHAT_REQUEST_STATE_UPDATE: {
      // Asking keeps a waiting request from being dropped as silent (dropAfterSilentSeconds).
      await requests.heard(channel, body.requestId);
      const { requestStatus, queueLength, queueId, endNote } = await requests.poll(channel, body.requestId);
      const wait = requestStatus === RequestStatus.WAITING && queueLength > 0 ? await waitEstimator.estimate(queueId, queueLength) : null;
      const reason = endNote ? `ended: ${endNote}` : ENDED_REASONS[requestStatus];
      return { ...ok(reason ? `success; ${reason}` : 'success'), requestStatus, queueLength, ...waitField(wait) };
    }
    case RequestType.CANCEL_CHAT_REQUEST:
      return ok(await requests.cancel(channel, body.requestId));
    case RequestType.PRE_MSG_REQUEST:
      await requests.preMessage(channel, body.requestId, body.text);
      return ok();
    case RequestType.MSG_REQUEST:
      return stored(await sessions.customerText(channel, body.sessionId, body.clientId, body.text, body.time, body.msgId, 'extra' in body ? body.extra : undefined));
    case RequestType.MSG_IMG_REQUEST:
      return stored(await sessions.customerImage(channel, body.sessionId, body.clientId, body.imgName, body.imgData, body.time, body.msgId));
    case RequestType.CLOSE_REQUEST:
      await sessions.customerClose(channel, body.sessionId);
      return ok();
    case RequestType.RATING_REQUEST:
      await sessions.rate(channel, body.sessionId, body.ratingId, body.ratingComments ?? '', 'ratingExtends' in body ? body.ratingExtends : undefined);
      return ok();
    case RequestType.CLIENT_CHANGE:
      await sessions.changeClient(channel, body.sessionId, body.clientId);
      return { ...ok(), clientId: body.clientId, sessionId: body.sessionId };
    default: {
      const never: never = body;
      return never;
    }
  }
}

/** What a later 1000 told about the customer, kept as JSON with the request and its session. */
function customerContext(body: { brand?: string | undefined; tracks?: string | undefined; ip?: string | undefined }): string | undefined {
  const context = { ...(body.brand ? { brand: body.brand } : {}), ...(body.tracks ? { tracks: body.tracks } : {}), ...(body.ip ? { ip: body.ip } : {}) };
  return Object.keys(context).length > 0 ? JSON.stringify(context) : undefined;
}
