/**
 * A customer's file as an HTTP answer: the fixed content type of its format (decided from its
 * bytes when it was kept), never sniffed, never run; a download, except the media a browser plays.
 */
import type { FastifyReply } from 'fastify';
import type { UploadType } from '@elitewebchat/protocol';
import { PLAYABLE } from '../files/file-kinds.js';

/** The OpenAPI description of such an answer. */
export const FILE_RESPONSE = { description: 'the file as sent', content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } } as const;

export function sendFile(reply: FastifyReply, file: { mime: string; name: string; type: string; data: Buffer }): FastifyReply {
  const inline = PLAYABLE.has(file.type as UploadType);
  // RFC 6266: an ASCII fallback and the UTF-8 name.
  const ascii = file.name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  return sendStored(reply, file.mime, file.data, `${inline ? 'inline' : 'attachment'}; filename="${ascii}"; filename*=UTF-8''${rfc5987(file.name)}`);
}

/** Stored bytes with the type decided when they were kept: never sniffed, never run as a page. */
export function sendStored(reply: FastifyReply, mime: string, data: Buffer, disposition: string): FastifyReply {
  return (
    reply
      .header('content-type', mime)
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "default-src 'none'; sandbox")
      .header('cache-control', 'private, max-age=86400')
      .header('content-disposition', disposition)
      // Bytes, as the schema's binary content says; the type provider knows only JSON.
      .send(data as never)
  );
}

/** RFC 5987 ext-value characters: what encodeURIComponent leaves of ' ( ) * is escaped too. */
function rfc5987(name: string): string {
  return encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
