/**
 * A stored image as an HTTP answer, wherever one is served (agents, the web chat, agent bridges):
 * its real type (decided from its bytes when it was stored), never sniffed, never run.
 */
import type { FastifyReply } from 'fastify';

/** The OpenAPI description of such an answer. */
export const IMAGE_RESPONSE = { description: 'the image as sent', content: { 'image/*': { schema: { type: 'string', format: 'binary' } } } } as const;

export function sendImage(reply: FastifyReply, image: { mime: string; data: Buffer }, id: number): FastifyReply {
  return (
    reply
      .header('content-type', image.mime)
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "default-src 'none'; sandbox")
      .header('cache-control', 'private, max-age=86400')
      .header('content-disposition', `inline; filename="image-${id}"`)
      // Bytes, as the schema's image/* content says; the type provider knows only JSON.
      .send(image.data as never)
  );
}
