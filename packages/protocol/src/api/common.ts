/** Pieces every HTTP API of the platform shares. */
import Type, { type Static, type TSchema } from 'typebox';

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** Every error of the agent, supervisor and admin APIs. */
export const ErrorView = Type.Object({
  error: Type.Object({
    code: Type.String({ description: 'stable: see the error table of docs/agent-api.md' }),
    message: Type.String({ description: 'what was wrong, for a person' }),
  }),
});
export type ErrorView = Static<typeof ErrorView>;

export const IntId = Type.Object({ id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) });
export const StringId = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

/** An answer with no body. */
export const NoContent = Type.Null({ description: 'no body' });
