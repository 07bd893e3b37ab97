/**
 * Uploads, as the platform takes them: `POST /webchat/tpiu` (or `/EliteWebChat/tpiu`),
 * multipart/form-data with `fileToUpload` and `token`, the channel authenticated as on the TPI
 * (a signature covers the whole multipart body). The answer's `url` names the file in the same
 * customer's later calls (imageUri, voiceUri, fileUrl, sightUri, thumbUri). The mock keeps what
 * the file is (its format by its bytes, its size), not its bytes.
 */
import { randomBytes } from 'node:crypto';
import type { UploadAnswer, UploadType } from '@elitewebchat/protocol';
import { authenticate, type Headers } from './auth.js';
import { allowanceOf, type MockChannel } from './config.js';
import { detectType } from './file-kinds.js';
import type { MockPlatform } from './mock-platform.js';
import { TpiFailure } from './parse.js';
import type { MockSession, MockUpload } from './state.js';

export const TPIU_PATHS = new Set(['/EliteWebChat/tpiu', '/webchat/tpiu']);

/** The platform's default MAX_UPLOAD_BYTES, which bounds every upload body (or a channel's larger maxBytes, with room for the form). */
export const MAX_UPLOAD_BODY_BYTES = 20 * 1024 * 1024;
export const uploadBodyLimit = (channels: readonly MockChannel[]) => Math.max(MAX_UPLOAD_BODY_BYTES, ...channels.map((c) => (c.uploads?.maxBytes ?? 0) + 65_536));

/** Where an upload is named: `{prefix}/files/{id}`, the prefix the upload came to (a host before it is allowed). */
const UPLOAD_URL = /^(?:https?:\/\/[^/]+)?\/(?:EliteWebChat|webchat)\/tpiu\/files\/([A-Za-z0-9_-]{16,64})$/;

const list = (types: Iterable<string>) => [...types].join(', ');

/** One tpiu call; the body was read whole (undefined: larger than uploadBodyLimit). */
export async function answerUpload(platform: MockPlatform, path: string, headers: Headers, raw: Buffer | undefined, limit: number): Promise<UploadAnswer> {
  try {
    if (raw === undefined) throw new TpiFailure(-21, `the upload is larger than this platform's limit of ${limit} bytes`);
    const channel = authenticate(platform.config.channels, platform.replays, headers, raw);
    const contentType = (Array.isArray(headers['content-type']) ? headers['content-type'][0] : headers['content-type']) ?? '';
    const multipart = 'send multipart/form-data with the fields fileToUpload (the file) and token';
    if (!/^multipart\/form-data/i.test(contentType) || raw.length === 0) throw new TpiFailure(-13, multipart);
    let form: FormData;
    try {
      form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
    } catch (error) {
      throw new TpiFailure(-13, `unreadable multipart body: ${error instanceof Error ? error.message : String(error)}`);
    }
    const token = form.get('token');
    if (typeof token !== 'string' || token === '') throw new TpiFailure(-15, 'missing field "token": the token a log-in (type 1, 3 or 4) answered');
    const customer = platform.tokenCustomer(channel, token).clientId;
    const file = form.get('fileToUpload');
    if (file === null || typeof file === 'string') throw new TpiFailure(-13, 'missing file field "fileToUpload"');
    const bytes = new Uint8Array(await file.arrayBuffer());
    const type = checkFile(channel, bytes);
    const upload: MockUpload = {
      url: `${path}/files/${randomBytes(18).toString('base64url')}`,
      channelId: channel.id,
      clientId: customer,
      fileName: file.name,
      type,
      size: bytes.length,
      time: Date.now(),
    };
    platform.uploads.push(upload);
    return { result: 1, message: 'success', fileName: upload.fileName, url: upload.url, type, size: upload.size };
  } catch (error) {
    if (error instanceof TpiFailure) return { result: error.result, message: error.message };
    return { result: -100, message: `internal error: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** The format of a file the channel takes; -13 empty, -21 too large, -16 a format it does not take. */
function checkFile(channel: MockChannel, bytes: Uint8Array): UploadType {
  const allowance = allowanceOf(channel);
  if (bytes.length === 0) throw new TpiFailure(-13, 'the file is empty');
  if (bytes.length > allowance.maxBytes) throw new TpiFailure(-21, `the file is ${bytes.length} bytes, over this channel's limit of ${allowance.maxBytes}`);
  const type = detectType(bytes);
  if (type === undefined) throw new TpiFailure(-16, `the file's bytes are none of the formats this platform takes (${list(allowance.types)}), whatever its name says`);
  if (!allowance.types.has(type)) throw new TpiFailure(-16, `the file is ${type} (by its bytes), which this channel does not take; it takes ${list(allowance.types)}`);
  return type;
}

/**
 * The file an address of a later call names: an upload of the session's customer (another's, or
 * none, answers `failed`: -22 for 2002, -23 for 2003, else -13, as the platform does), or an
 * http(s) address (taken, not fetched). `wanted` narrows an upload's formats (-16).
 */
export function fileAt(platform: MockPlatform, session: MockSession, address: string, failed: number, wanted?: { types: ReadonlySet<string>; what: string }): MockUpload | undefined {
  const match = UPLOAD_URL.exec(address);
  if (match) {
    const upload = platform.uploads.find((u) => u.url.endsWith(`/files/${match[1]!}`) && u.channelId === session.channelId && u.clientId === session.clientId);
    if (!upload) throw new TpiFailure(failed, `no upload of this customer's at ${address}`);
    if (wanted && !wanted.types.has(upload.type)) throw new TpiFailure(-16, `${wanted.what} must be ${list(wanted.types)}; the upload is ${upload.type}`);
    return upload;
  }
  let url: URL | undefined;
  try {
    url = new URL(address);
  } catch {
    url = undefined;
  }
  if (!url) throw new TpiFailure(failed, `${JSON.stringify(address.slice(0, 100))} is neither a tpiu url (/webchat/tpiu/files/…) nor an http(s) address`);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TpiFailure(failed, `only http(s) addresses are fetched, not ${url.protocol}`);
  return undefined;
}
