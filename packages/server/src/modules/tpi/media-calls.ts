/**
 * The later wire's media messages (docs/tpi.md, "Voice, location, files and video"): 2002 by
 * address and 2005 as a file in token calls, and 2003 voice, 2004 location, 2006 video either way.
 * What a message carries is read, checked by its bytes and kept before the message is written;
 * whatever is wrong answers the later code that fits and stores nothing.
 */
import { LaterRequestType, LaterResultCode, RequestType, ResultCode, type FileBody, type LaterImageBody, type LocationBody, type TpiAnswer, type VideoBody, type VoiceBody } from '@elitewebchat/protocol';
import type { Db } from '../../db/database.js';
import type { ChannelRow, MessageMedia, NewMessage, SessionRow } from '../../db/schema.js';
import { DomainError } from '../../common/domain-error.js';
import { TpiError } from '../../errors.js';
import { FileError, UPLOAD_URL, type FileStore, type StoredFile } from '../../files/file-store.js';
import { IMAGE_TYPES, VIDEO_TYPES, VOICE_TYPES } from '../../files/file-kinds.js';
import { decodeImageBytes, ImageError, type DecodedImage } from '../../images/image-data.js';
import type { SessionService, Stored } from '../chat/index.js';

export type MediaBody = VoiceBody | LocationBody | VideoBody | LaterImageBody | FileBody;

export interface MediaServices {
  db: Db;
  sessions: SessionService;
  files: FileStore;
  maxImageBytes: number;
}

const BASE64 = /^[A-Za-z0-9+/\r\n]*={0,2}\s*$/;
const stored = (outcome: Stored): TpiAnswer => ({ result: ResultCode.SUCCESS, message: outcome === 'duplicate' ? 'success; duplicate messageId, already stored' : 'success' });

/** The code a failed file answers, by what the message was. */
function failed(type: number): LaterResultCode {
  if (type === RequestType.MSG_IMG_REQUEST) return LaterResultCode.UPLOAD_IMAGE_FAILED;
  if (type === LaterRequestType.VOICE) return LaterResultCode.UPLOAD_VOICE_FAILED;
  return LaterResultCode.UPLOAD_FILE_FAILED;
}

export async function dispatchMedia(services: MediaServices, channel: ChannelRow, body: MediaBody, tokenClientId?: string): Promise<TpiAnswer> {
  // Without a token the session names its customer (2003, 2004, 2006 are new either way).
  const clientId = tokenClientId ?? (await sessionClient(services.db, channel, body.sessionId));
  try {
    return stored(await write(services, channel, body, clientId));
  } catch (error) {
    if (error instanceof FileError) {
      const result = error.problem === 'too-large' ? LaterResultCode.INVALID_FILE_SIZE : error.problem === 'type' ? LaterResultCode.INVALID_FILE_EXTENSION : failed(body.type);
      throw new TpiError(result, error.message);
    }
    if (error instanceof ImageError) throw new TpiError(failed(body.type), error.message);
    throw error;
  }
}

function write(services: MediaServices, channel: ChannelRow, body: MediaBody, clientId: string): Promise<Stored> {
  const { sessions, files } = services;
  const common = { clientTime: body.time, msgId: body.msgId, extra: body.extra };
  switch (body.type) {
    case RequestType.MSG_IMG_REQUEST: {
      if (body.imageUri === undefined) {
        if (body.imgData === undefined) throw new TpiError(LaterResultCode.EMPTY_MESSAGE, 'send the image as imageUri (a tpiu url or an http(s) address), or as imgData (a data URI)');
        return sessions.customerImage(channel, body.sessionId, clientId, body.imgName, body.imgData, body.time, body.msgId, body.extra);
      }
      const imageUri = body.imageUri;
      // An image is kept once, as an image: an upload's bytes are read, an address's fetched.
      return sessions.customerImage(channel, body.sessionId, clientId, body.imgName, imageBytes(services, channel, clientId, imageUri), body.time, body.msgId, body.extra);
    }
    case LaterRequestType.VOICE: {
      const wanted = { types: VOICE_TYPES, what: 'a voice message' };
      return sessions.customerAttachment(
        channel,
        body.sessionId,
        clientId,
        { kind: 'voice', ...common },
        async () => {
          if (body.voiceData !== undefined) return files.accept(channel, 'voice', decodeBase64(body.voiceData, files.allowance(channel).maxBytes, 'voiceData'), wanted);
          if (body.voiceUri !== undefined) return files.byAddress(channel, clientId, body.voiceUri, undefined, wanted);
          throw new TpiError(LaterResultCode.EMPTY_MESSAGE, 'send the recording as voiceData (plain base64) or voiceUri');
        },
        async (trx, session, file) => fileMessage(services, trx, session, file, { seconds: body.voiceLength }),
      );
    }
    case LaterRequestType.VIDEO:
      return sessions.customerAttachment(
        channel,
        body.sessionId,
        clientId,
        { kind: 'video', ...common },
        async () => ({
          file: await files.byAddress(channel, clientId, body.sightUri, body.sightName, { types: VIDEO_TYPES, what: 'a video' }),
          thumb: await thumbOf(services, channel, clientId, body),
        }),
        async (trx, session, { file, thumb }) =>
          fileMessage(services, trx, session, file, { ...(body.sightLength !== undefined ? { seconds: body.sightLength } : {}), ...(await keepThumb(sessions, trx, session.id, thumb)) }),
      );
    case LaterRequestType.LOCATION:
      return sessions.customerAttachment(
        channel,
        body.sessionId,
        clientId,
        { kind: 'location', ...common },
        () => thumbOf(services, channel, clientId, body),
        async (trx, session, thumb) => {
          const media: MessageMedia = {
            location: { latitude: body.latitude, longitude: body.longitude, poi: body.poi ?? '', map: body.map?.toLowerCase() === 'baidu' ? 'baidu' : 'gaode' },
            ...(await keepThumb(sessions, trx, session.id, thumb)),
          };
          return { text: body.poi ?? null, media: JSON.stringify(media) };
        },
      );
    case RequestType.PRE_MSG_REQUEST:
      return sessions.customerAttachment(
        channel,
        body.sessionId,
        clientId,
        { kind: 'file', ...common },
        () => files.byAddress(channel, clientId, body.fileUrl, body.name),
        async (trx, session, file) => fileMessage(services, trx, session, file, {}),
      );
    default: {
      const never: never = body;
      return never;
    }
  }
}

/** A 2002's image by address: read later, inside the message's own checks (so a wrong session answers first). */
function imageBytes(services: MediaServices, channel: ChannelRow, clientId: string, address: string): () => Promise<Buffer> {
  return async () => {
    const wanted = { types: IMAGE_TYPES, what: 'an image' };
    if (UPLOAD_URL.test(address)) return (await services.files.byAddress(channel, clientId, address, undefined, wanted)).bytes;
    const bytes = await services.files.fetch(channel, address);
    await services.files.check(channel, bytes, wanted);
    return bytes;
  };
}

/** The message of a voice message, a video or a file, its file kept with it. */
async function fileMessage({ files }: MediaServices, trx: Db, session: SessionRow, file: StoredFile, media: MessageMedia): Promise<Partial<NewMessage>> {
  return { file_id: await files.store(trx, session.channel_id, session.client_id, file), text: file.name, media: JSON.stringify({ ...media, file: { name: file.name, type: file.type, size: file.size } } satisfies MessageMedia) };
}

/** A small picture given with a location or a video, as thumbData or thumbUri. */
async function thumbOf(services: MediaServices, channel: ChannelRow, clientId: string, body: { thumbData?: string | undefined; thumbUri?: string | undefined }): Promise<DecodedImage | undefined> {
  const max = services.maxImageBytes;
  if (body.thumbData !== undefined) return decodeImageBytes(decodeBase64(body.thumbData, max, 'thumbData'), max);
  if (body.thumbUri !== undefined) {
    const address = body.thumbUri;
    const bytes = UPLOAD_URL.test(address) ? (await services.files.byAddress(channel, clientId, address, undefined, { types: IMAGE_TYPES, what: 'a thumbnail' })).bytes : await services.files.fetch(channel, address);
    return decodeImageBytes(bytes, max);
  }
  return undefined;
}

async function keepThumb(sessions: SessionService, trx: Db, sessionId: number, thumb: DecodedImage | undefined): Promise<Pick<MessageMedia, 'thumb'>> {
  if (!thumb) return {};
  return { thumb: { imageId: await sessions.keepImage(trx, sessionId, 'thumbnail', thumb), width: thumb.width, height: thumb.height } };
}

/** Plain base64 (no data: prefix), checked for size before it is decoded. */
function decodeBase64(text: string, maxBytes: number, field: string): Buffer {
  if (Math.floor((text.replace(/\s/g, '').length * 3) / 4) > maxBytes + 2) throw new FileError('too-large', `${field} is over this channel's limit of ${maxBytes} bytes`);
  if (!BASE64.test(text)) throw new FileError('unreadable', `${field} is not plain base64 (no data: prefix)`);
  return Buffer.from(text, 'base64');
}

async function sessionClient(db: Db, channel: ChannelRow, sessionId: number): Promise<string> {
  const session = await db.selectFrom('sessions').select(['client_id', 'channel_id']).where('id', '=', sessionId).executeTakeFirst();
  if (!session || session.channel_id !== channel.id) throw new DomainError('SESSION_NOT_FOUND', `no session ${sessionId} for this channel`);
  return session.client_id;
}
