/** What every admin route file is given, and the checks several of them share. */
import { ErrorView } from '@elitewebchat/protocol';
import type { Db } from '../../db/database.js';
import { isUniqueViolation } from '../../common/store-errors.js';
import { ApiError } from '../../errors.js';

export interface AdminDeps {
  db: Db;
  clock: () => number;
  /** Called after any change to who serves what, or where callbacks go. */
  changed(what: 'queues' | 'agents' | 'channels'): Promise<void>;
  /** Called after every token of an agent was revoked. */
  revoked(agentId: string): void;
  retryWindowMs: number;
  /** A callback was put back in the outbox by hand. */
  redelivered(): void;
}

export const tags = ['admin'];
export const security = [{ bearer: [] }];
export const errors = { 400: ErrorView, 401: ErrorView, 403: ErrorView, 404: ErrorView, 409: ErrorView };

/** A unique constraint broken by a concurrent or repeated create: 409 with what exists. */
export function conflict(error: unknown, what: string): never {
  if (isUniqueViolation(error)) throw new ApiError('CONFLICT', `${what} already exists`);
  throw error;
}

export async function existingAgents(db: Db, ids: string[] | undefined): Promise<void> {
  if (!ids || ids.length === 0) return;
  const found = await db.selectFrom('agents').select('id').where('id', 'in', ids).execute();
  const missing = ids.filter((id) => !found.some((f) => f.id === id));
  if (missing.length) throw new ApiError('BAD_REQUEST', `no agent ${missing.join(', ')}`);
}

export async function existingQueues(db: Db, ids: number[] | undefined): Promise<void> {
  if (!ids || ids.length === 0) return;
  const found = await db.selectFrom('queues').select('id').where('id', 'in', ids).execute();
  const missing = ids.filter((id) => !found.some((f) => f.id === id));
  if (missing.length) throw new ApiError('BAD_REQUEST', `no queue ${missing.join(', ')}`);
}
