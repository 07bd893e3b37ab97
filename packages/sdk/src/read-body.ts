import type http from 'node:http';

/**
 * A request's whole body, or undefined when it is longer than `limit` bytes. Reads to the end
 * even then, so that an answer can still be written on the connection.
 */
export async function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size <= limit) chunks.push(chunk as Buffer);
  }
  return size > limit ? undefined : Buffer.concat(chunks);
}
