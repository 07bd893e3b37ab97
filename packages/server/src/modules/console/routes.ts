/**
 * Serves the built console (packages/console/dist) at `/`: its files, and index.html for
 * every other page address so that the console's own routes work on reload.
 */
import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  // No inline script, no foreign script; images may come from anywhere over http(s) (avatars,
  // custom emoticons), audio and video from this origin or as blobs (customers' voice and video,
  // fetched with the token), connections only to this origin.
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' http: https: data: blob:; media-src 'self' data: blob:; connect-src 'self' ws: wss:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
};

export async function consoleRoutes(app: FastifyInstance, opts: { root: string }): Promise<void> {
  const index = path.join(opts.root, 'index.html');
  if (!fs.existsSync(index)) {
    app.get('/', { schema: { hide: true } }, async (_request, reply) =>
      reply.type('text/plain; charset=utf-8').send('EliteWebChat is running. The console is not built: run `npm run build`.'),
    );
    return;
  }
  await app.register(fastifyStatic, {
    root: opts.root,
    wildcard: false,
    index: false,
    preCompressed: true,
    setHeaders(res) {
      for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
    },
  });
  const page = fs.readFileSync(index);
  const sendIndex = async (_request: unknown, reply: FastifyReply) =>
    reply.headers(SECURITY_HEADERS).header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(page);
  app.get('/', { schema: { hide: true } }, sendIndex);
  // Pages of the console, not API: left out of /docs.
  for (const route of ['/login', '/agent', '/agent/*', '/supervisor', '/supervisor/*', '/admin', '/admin/*']) app.get(route, { schema: { hide: true } }, sendIndex);
}
