/**
 * Files customers send (later TPI: voice, video, documents), kept in the store like images, so
 * nothing lands on disk outside DATA_DIR. A file arrives by upload (tpiu), as base64 in a call,
 * or by an http(s) address the platform fetches through the same address guard as callbacks.
 * What a channel takes is its `uploads` allowance; a channel without one takes images only.
 */
import { randomBytes } from 'node:crypto';
import { request } from 'undici';
import { IMAGE_UPLOAD_TYPES, UPLOAD_TYPES, type ChannelUploads, type UploadType } from '@elitewebchat/protocol';
import type { Db } from '../db/database.js';
import type { ChannelRow } from '../db/schema.js';
import { literalTargetProblem } from '../delivery/address-guard.js';
import type { ChannelDispatchers } from '../delivery/channel-dispatchers.js';
import { detectType, FILE_MIME } from './file-kinds.js';

export type FileProblem = 'too-large' | 'type' | 'unreadable';

export class FileError extends Error {
  constructor(
    readonly problem: FileProblem,
    message: string,
  ) {
    super(message);
  }
}

export interface Allowance {
  maxBytes: number;
  types: ReadonlySet<UploadType>;
}

/** A file read and checked: an upload already kept (`id`), or bytes to keep with their message (FileStore.store). */
export interface StoredFile {
  id?: number;
  name: string;
  type: UploadType;
  mime: string;
  size: number;
  bytes: Buffer;
}

/** Where the customer's side fetches a file an agent sent (a capability: its id is 144 random bits). */
export const agentFilePath = (publicId: string) => `/webchat/files/${publicId}`;

/** Where tpiu answers a file is: `{prefix}/files/{publicId}`. */
export const UPLOAD_URL = /^(?:https?:\/\/[^/]+)?\/(?:EliteWebChat|webchat)\/tpiu\/files\/([A-Za-z0-9_-]{16,64})$/;
const FETCH_TIMEOUT_MS = 15_000;

export function allowanceOf(channel: Pick<ChannelRow, 'uploads'>, maxImageBytes: number): Allowance {
  if (channel.uploads === null) return { maxBytes: maxImageBytes, types: new Set(IMAGE_UPLOAD_TYPES) };
  const uploads = JSON.parse(channel.uploads) as ChannelUploads;
  return { maxBytes: uploads.maxBytes, types: new Set(uploads.types) };
}

const list = (types: Iterable<string>) => [...types].join(', ');

export class FileStore {
  constructor(
    private readonly db: Db,
    private readonly clock: () => number,
    private readonly maxImageBytes: number,
    private readonly dispatchers: ChannelDispatchers,
  ) {}

  allowance(channel: ChannelRow): Allowance {
    return allowanceOf(channel, this.maxImageBytes);
  }

  /**
   * What these bytes are, if the channel takes them (and, given `wanted`, if they are one of
   * those formats): else a FileError that says why.
   */
  async check(channel: ChannelRow, bytes: Buffer, wanted?: { types: ReadonlySet<UploadType>; what: string }): Promise<{ type: UploadType; mime: string }> {
    const allowance = this.allowance(channel);
    if (bytes.length === 0) throw new FileError('unreadable', 'the file is empty');
    if (bytes.length > allowance.maxBytes) throw new FileError('too-large', `the file is ${bytes.length} bytes, over this channel's limit of ${allowance.maxBytes}`);
    const type = await detectType(bytes);
    if (type === undefined) throw new FileError('type', `the file's bytes are none of the formats this platform takes (${list(allowance.types)}), whatever its name says`);
    if (!allowance.types.has(type)) {
      throw new FileError('type', `the file is ${type} (by its bytes), which this channel does not take; it takes ${list(allowance.types)}`);
    }
    if (wanted && !wanted.types.has(type)) throw new FileError('type', `${wanted.what} must be ${list(wanted.types)}; the file is ${type} (by its bytes)`);
    return { type, mime: FILE_MIME[type] };
  }

  /**
   * A file an agent sends in a session: any format the platform takes, up to `maxBytes`, kept as
   * the customer's (an erasure of the customer removes it).
   */
  async keepAgentFile(session: { channel_id: string; client_id: string }, name: string, bytes: Buffer, maxBytes: number): Promise<{ id: number; publicId: string; name: string; type: UploadType; size: number }> {
    if (bytes.length === 0) throw new FileError('unreadable', 'the file is empty');
    if (bytes.length > maxBytes) throw new FileError('too-large', `the file is ${bytes.length} bytes, over the limit of ${maxBytes}`);
    const type = await detectType(bytes);
    if (type === undefined) throw new FileError('type', `the file's bytes are none of the formats this platform takes (${UPLOAD_TYPES.join(', ')}), whatever its name says`);
    const publicId = randomBytes(18).toString('base64url');
    const clean = cleanName(name, type);
    const row = await this.db
      .insertInto('files')
      .values({ public_id: publicId, channel_id: session.channel_id, client_id: session.client_id, name: clean, type, mime: FILE_MIME[type], size: bytes.length, data: bytes, created_at: this.clock() })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: row.id, publicId, name: clean, type, size: bytes.length };
  }

  /** A file an agent sent, by its public id; undefined for any other file. */
  async agentFile(publicId: string): Promise<{ mime: string; name: string; type: string; data: Buffer } | undefined> {
    return this.db
      .selectFrom('files')
      .innerJoin('messages', 'messages.file_id', 'files.id')
      .select(['files.mime', 'files.name', 'files.type', 'files.data'])
      .where('files.public_id', '=', publicId)
      .where('messages.sender', '=', 'agent')
      .executeTakeFirst();
  }

  /** tpiu: keeps an upload of the customer's; its url names it in a later call. */
  async upload(channel: ChannelRow, clientId: string, name: string, bytes: Buffer, prefix: string): Promise<{ url: string; type: UploadType; size: number }> {
    const { type, mime } = await this.check(channel, bytes);
    const publicId = randomBytes(18).toString('base64url');
    await this.db
      .insertInto('files')
      .values({ public_id: publicId, channel_id: channel.id, client_id: clientId, name: cleanName(name, type), type, mime, size: bytes.length, data: bytes, created_at: this.clock() })
      .execute();
    return { url: `${prefix}/files/${publicId}`, type, size: bytes.length };
  }

  /** Bytes that came in a call (base64) or from an address, checked like an upload; kept with their message (store). */
  async accept(channel: ChannelRow, name: string, bytes: Buffer, wanted?: { types: ReadonlySet<UploadType>; what: string }): Promise<StoredFile> {
    const { type, mime } = await this.check(channel, bytes, wanted);
    return { name: cleanName(name, type), type, mime, size: bytes.length, bytes };
  }

  /** Keeps a file with its message, in the message's transaction (so a retry that loses keeps nothing): its id. */
  async store(trx: Db, channelId: string, clientId: string, file: StoredFile): Promise<number> {
    if (file.id !== undefined) return file.id;
    const row = await trx
      .insertInto('files')
      .values({ public_id: randomBytes(18).toString('base64url'), channel_id: channelId, client_id: clientId, name: file.name, type: file.type, mime: file.mime, size: file.size, data: file.bytes, created_at: this.clock() })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  /**
   * The file an address names: the customer's own upload (a tpiu url: another customer's is
   * unknown), or what an http(s) address answers, fetched through the channel's address guard
   * and checked (store keeps it). `wanted` narrows the formats (a voice message must be audio).
   */
  async byAddress(channel: ChannelRow, clientId: string, address: string, name: string | undefined, wanted?: { types: ReadonlySet<UploadType>; what: string }): Promise<StoredFile> {
    const upload = UPLOAD_URL.exec(address);
    if (upload) {
      const row = await this.db
        .selectFrom('files')
        .select(['id', 'name', 'type', 'mime', 'size', 'data'])
        .where('public_id', '=', upload[1]!)
        .where('channel_id', '=', channel.id)
        .where('client_id', '=', clientId)
        .executeTakeFirst();
      if (!row) throw new FileError('unreadable', `no upload of this customer's at ${address}`);
      const type = row.type as UploadType;
      if (wanted && !wanted.types.has(type)) throw new FileError('type', `${wanted.what} must be ${list(wanted.types)}; the upload is ${type}`);
      return { id: row.id, name: name ? cleanName(name, type) : row.name, type, mime: row.mime, size: Number(row.size), bytes: row.data };
    }
    const bytes = await this.fetch(channel, address);
    return this.accept(channel, name ?? lastSegment(address), bytes, wanted);
  }

  /** The bytes at an http(s) address, at most the channel's limit, through its address guard. */
  async fetch(channel: ChannelRow, address: string): Promise<Buffer> {
    let url: URL;
    try {
      url = new URL(address);
    } catch {
      throw new FileError('unreadable', `${JSON.stringify(address.slice(0, 100))} is neither a tpiu url (/webchat/tpiu/files/…) nor an http(s) address`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new FileError('unreadable', `only http(s) addresses are fetched, not ${url.protocol}`);
    const pool = this.dispatchers.for(channel);
    const refused = literalTargetProblem(url, pool.trusted);
    if (refused) throw new FileError('unreadable', `the platform does not fetch from ${url.hostname}: ${refused}`);
    const { maxBytes } = this.allowance(channel);
    try {
      const answer = await request(url, {
        method: 'GET',
        dispatcher: pool.agent,
        signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
        headers: { 'user-agent': 'EliteWebChat-Fetch/1' },
      });
      if (answer.statusCode !== 200) {
        await answer.body.dump();
        throw new FileError('unreadable', `fetching ${url.host}${url.pathname} answered HTTP ${answer.statusCode}`);
      }
      const declared = Number(answer.headers['content-length']);
      if (Number.isFinite(declared) && declared > maxBytes) {
        await answer.body.dump();
        throw new FileError('too-large', `the file at ${url.host}${url.pathname} is ${declared} bytes, over this channel's limit of ${maxBytes}`);
      }
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of answer.body) {
        size += (chunk as Buffer).length;
        if (size > maxBytes) {
          answer.body.destroy();
          throw new FileError('too-large', `the file at ${url.host}${url.pathname} is over this channel's limit of ${maxBytes} bytes`);
        }
        chunks.push(chunk as Buffer);
      }
      return Buffer.concat(chunks);
    } catch (error) {
      if (error instanceof FileError) throw error;
      const e = error as Error & { code?: string };
      throw new FileError('unreadable', `could not fetch ${url.host}${url.pathname}: ${e.code ?? e.name}: ${e.message}`.slice(0, 300));
    }
  }
}

/**
 * A name to show and to save as: no path, no control or format characters (a right-to-left
 * override would show "gpj.exe" as "exe.jpg"), at most 200 characters, and the
 * extension of what the bytes are (a "report.pdf" that is a ZIP is saved as "report.pdf.zip").
 */
export function cleanName(name: string, type: UploadType): string {
  let clean = name.replace(/^.*[\\/]/, '').replace(/[\p{Cc}\p{Cf}"]/gu, '').trim().slice(0, 200);
  if (clean === '' || clean === '.' || clean === '..') clean = 'file';
  const ext = type === 'jpg' ? /\.(jpe?g)$/i : new RegExp(`\\.${type}$`, 'i');
  return ext.test(clean) ? clean : `${clean}.${type}`;
}

function lastSegment(address: string): string {
  try {
    return decodeURIComponent(new URL(address).pathname.split('/').pop() ?? '') || 'file';
  } catch {
    return 'file';
  }
}
