/**
 * What a node answers while it cannot serve correctly (cluster mode without Redis): the TPI its
 * INTERNAL_ERROR code with the reason and "not carried out", as every TPI answer, HTTP 200; the
 * agent, supervisor, admin and web chat APIs 503 UNAVAILABLE with Retry-After. Pages, files,
 * probes and metrics are still served.
 */
import { ResultCode } from '@elitewebchat/protocol';
import type { FastifyInstance } from 'fastify';
import { TPI_PATHS, TPIU_PATHS } from '../modules/tpi/index.js';

const TPI = new Set<string>([...TPI_PATHS, ...TPIU_PATHS]);

export function refuseWhileUnavailable(app: FastifyInstance, unavailable: () => string | undefined): void {
  app.addHook('onRequest', async (request, reply) => {
    const why = unavailable();
    if (why === undefined) return;
    const path = request.url.split('?')[0]!;
    if (TPI.has(path)) return reply.code(200).send({ result: ResultCode.INTERNAL_ERROR, message: `${why}; the call was not carried out, try again` });
    if (path.startsWith('/api/')) return reply.code(503).header('retry-after', '1').send({ error: { code: 'UNAVAILABLE', message: `${why}; try again` } });
  });
}
