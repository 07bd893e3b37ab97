/**
 * The customer's ways in: the hosted chat page `GET /chat/{channelId}` (also the frame the
 * embed opens), its assets, and the embed loader `GET /widget.js`, all from the built widget
 * (packages/widget/dist). The page may be framed only by this platform and the channel's
 * allowedOrigins (CSP frame-ancestors), and runs no script but its own.
 */
import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { frameAncestors } from './origins.js';
import type { WebChannel } from './visitors.js';

const policy = (ancestors: string) =>
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' http: https: data: blob:; media-src 'self' blob:; " +
  `connect-src 'self' ws: wss:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors ${ancestors}`;

export async function webChatPages(app: FastifyInstance, opts: { root: string; channel: (id: string) => WebChannel | undefined }): Promise<void> {
  const index = path.join(opts.root, 'index.html');
  const loader = path.join(opts.root, 'widget.js');
  const built = fs.existsSync(index) && fs.existsSync(loader);
  const page = built ? fs.readFileSync(index) : undefined;
  const script = built ? fs.readFileSync(loader) : undefined;
  // The loader compressed once at build (scripts/precompress.mjs), in what the browser takes.
  const scriptIn = (encoding: 'br' | 'gzip') => {
    const file = `${loader}.${encoding === 'br' ? 'br' : 'gz'}`;
    return built && fs.existsSync(file) ? fs.readFileSync(file) : undefined;
  };
  const compressedScript = { br: scriptIn('br'), gzip: scriptIn('gzip') };
  const params = Type.Object({ channelId: Type.String({ minLength: 1, maxLength: 64 }) });

  app.get('/chat/:channelId', { schema: { hide: true, params } }, async (request, reply) => {
    const { channelId } = request.params as { channelId: string };
    const channel = opts.channel(channelId);
    if (!channel) return reply.code(404).type('text/plain; charset=utf-8').send(`No web chat channel "${channelId}" here.`);
    if (!page) return reply.code(503).type('text/plain; charset=utf-8').send('The web chat is not built: run `npm run build`.');
    return reply
      .header('content-security-policy', policy(frameAncestors(channel.options.allowedOrigins)))
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .header('cache-control', 'no-cache')
      .type('text/html; charset=utf-8')
      .send(page);
  });

  app.get('/widget.js', { schema: { hide: true } }, async (request, reply) => {
    if (!script) return reply.code(503).type('text/plain; charset=utf-8').send('// The web chat is not built: run `npm run build`.');
    const accepts = String(request.headers['accept-encoding'] ?? '');
    const encoding = /\bbr\b/.test(accepts) && compressedScript.br ? 'br' : /\bgzip\b/.test(accepts) && compressedScript.gzip ? 'gzip' : undefined;
    if (encoding) reply.header('content-encoding', encoding);
    return reply
      .header('vary', 'accept-encoding')
      .header('x-content-type-options', 'nosniff')
      // Any site may load the loader; it opens nothing but this platform's own page.
      .header('cross-origin-resource-policy', 'cross-origin')
      .header('cache-control', 'public, max-age=300')
      .type('text/javascript; charset=utf-8')
      .send(encoding ? compressedScript[encoding] : script);
  });

  if (built && fs.existsSync(path.join(opts.root, 'assets'))) {
    await app.register(fastifyStatic, {
      root: path.join(opts.root, 'assets'),
      prefix: '/chat/assets/',
      decorateReply: false,
      index: false,
      preCompressed: true,
      // Its own max-age=0 would replace the one below.
      cacheControl: false,
      setHeaders(res) {
        res.setHeader('x-content-type-options', 'nosniff');
        // File names carry their content's hash.
        res.setHeader('cache-control', 'public, max-age=31536000, immutable');
      },
    });
  }
}
