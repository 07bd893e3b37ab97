/**
 * A stored image as an HTTP answer, wherever one is served (agents, the web chat, agent bridges):
 * its real type (decided from its bytes when it was stored), never sniffed, never run.
 */
import type { FastifyReply } from 'fastify';
import { sendStored } from './file-reply.js';

/** The OpenAPI description of such an answer. */
export const IMAGE_RESPONSE = { description: 'the image as sent', content: { 'image/*': { schema: { type: 'string', format: 'binary' } } } } as const;

export function sendImage(reply: FastifyReply, image: { mime: string; data: Buffer }, id: number): FastifyReply {
  return sendStored(reply, image.mime, image.data, `inline; filename="image-${id}"`);
}
