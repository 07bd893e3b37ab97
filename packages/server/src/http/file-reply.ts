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
  return (
    reply
      .header('content-type', file.mime)
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "default-src 'none'; sandbox")
      .header('cache-control', 'private, max-age=86400')
      .header('content-disposition', `${inline ? 'inline' : 'attachment'}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.name)}`)
      .send(file.data as never)
  );
}
