/** Liveness, readiness and Prometheus metrics. */
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { ping, type Db } from '../../db/database.js';
import type { Metrics } from '../../metrics.js';

const Status = Type.Object({ status: Type.String(), error: Type.Optional(Type.String({ description: 'why the store or Redis did not answer' })) });
const Text = { description: 'Prometheus text format', content: { 'text/plain': { schema: { type: 'string' } } } };

export async function opsRoutes(app: FastifyInstance, deps: { db: Db; metrics: Metrics; ready: () => boolean; redis?: (() => Promise<void>) | undefined }): Promise<void> {
  // Probes come every few seconds: their requests are logged only at warn, so info stays readable.
  app.get('/healthz', { logLevel: 'warn', schema: { tags: ['ops'], summary: 'The process is up', response: { 200: Status } } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { logLevel: 'warn', schema: { tags: ['ops'], summary: 'The store (and Redis, in cluster mode) answer and the platform takes calls', response: { 200: Status, 503: Status } } }, async (_request, reply) => {
    if (!deps.ready()) return reply.code(503).send({ status: 'starting or stopping' });
    try {
      await ping(deps.db);
    } catch (error) {
      return reply.code(503).send({ status: 'store unavailable', error: (error as Error).message });
    }
    try {
      await deps.redis?.();
    } catch (error) {
      return reply.code(503).send({ status: 'redis unavailable', error: (error as Error).message });
    }
    return { status: 'ready' };
  });
  app.get('/metrics', { schema: { tags: ['ops'], summary: 'Prometheus metrics', response: { 200: Text } } }, async (_request, reply) => {
    return reply.header('content-type', deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });
}
