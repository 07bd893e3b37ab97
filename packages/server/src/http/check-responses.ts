/**
 * For tests: every JSON answer is checked against the schema its route declares for that
 * status, and a mismatch fails the request (500, logged) instead of reaching the client
 * quietly reshaped by the serializer. So every test that calls an API also checks that the
 * documented shapes are the real ones.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';

type Validator = ReturnType<typeof Compile>;

export function checkResponses(app: FastifyInstance): void {
  const validators = new WeakMap<object, Validator>();
  const validatorOf = (schema: object) => {
    let v = validators.get(schema);
    if (!v) validators.set(schema, (v = Compile(schema as TSchema)));
    return v;
  };
  app.addHook('preSerialization', async (request: FastifyRequest, reply, payload: unknown) => {
    const schema = request.routeOptions.schema as { hide?: boolean; response?: Record<string, object> } | undefined;
    // Fastify's own not-found answers and hidden pages (the docs UI) have nothing to check.
    if (!request.routeOptions.url || schema?.hide) return payload;
    const where = `${request.method} ${request.routeOptions.url} → ${reply.statusCode}`;
    if (reply.statusCode >= 500) return payload;
    const declared = schema?.response?.[String(reply.statusCode)];
    if (!declared) throw new Error(`${where}: the route declares no answer schema for this status`);
    const validator = validatorOf(declared);
    if (!validator.Check(payload)) {
      const problems = validator.Errors(payload).slice(0, 5).map((e) => `${e.instancePath || '/'} ${e.message}`);
      throw new Error(`${where}: the answer does not match its declared schema: ${problems.join('; ')}`);
    }
    return payload;
  });
}
