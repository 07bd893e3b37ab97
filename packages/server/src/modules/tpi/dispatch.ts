/** One TPI call, by its type, to the service that does it. */
import { RequestType, ResultCode, type TpiAnswer, type TpiBody } from '@elitewebchat/protocol';
import type { ChannelRow } from '../../db/schema.js';
import type { RequestService } from '../chat/index.js';
import type { Stored } from '../chat/index.js';
import type { SessionService } from '../chat/index.js';

export interface TpiServices {
  requests: RequestService;
  sessions: SessionService;
}

const ok = (message = 'success'): TpiAnswer => ({ result: ResultCode.SUCCESS, message });
/** A retried message (same msgId) succeeds again, and says it was already stored. */
const stored = (outcome: Stored): TpiAnswer => ok(outcome === 'duplicate' ? 'success; duplicate msgId, already stored' : 'success');

export async function dispatchTpi(services: TpiServices, channel: ChannelRow, body: TpiBody): Promise<TpiAnswer> {
  const { requests, sessions } = services;
  switch (body.type) {
    case RequestType.CHAT_REQUEST: {
      const created = await requests.create(channel, body);
      return { ...ok(), ...created };
    }
    case RequestType.CHAT_REQUEST_STATE_UPDATE: {
      const { requestStatus, queueLength } = await requests.poll(channel, body.requestId);
      return { ...ok(), requestStatus, queueLength };
    }
    case RequestType.CANCEL_CHAT_REQUEST:
      return ok(await requests.cancel(channel, body.requestId));
    case RequestType.PRE_MSG_REQUEST:
      await requests.preMessage(channel, body.requestId, body.text);
      return ok();
    case RequestType.MSG_REQUEST:
      return stored(await sessions.customerText(channel, body.sessionId, body.clientId, body.text, body.time, body.msgId));
    case RequestType.MSG_IMG_REQUEST:
      return stored(await sessions.customerImage(channel, body.sessionId, body.clientId, body.imgName, body.imgData, body.time, body.msgId));
    case RequestType.CLOSE_REQUEST:
      await sessions.customerClose(channel, body.sessionId);
      return ok();
    case RequestType.RATING_REQUEST:
      await sessions.rate(channel, body.sessionId, body.ratingId, body.ratingComments ?? '');
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
