import type { Database as SQLiteDatabase } from 'better-sqlite3';
import type { Pool as PgPool } from 'pg';
import type { Logger } from 'pino';
import type { Config } from '../../config.js';
import type { Db, Dialect } from '../../db/database.js';
import type { EventBus } from '../../cluster/event-bus.js';
import type { RoutingLock } from '../../cluster/routing-lock.js';

/** What every chat service is given: no globals, no environment. */
export interface ChatContext {
  db: Db;
  dialect: Dialect;
  /** See Store.sqlite. */
  sqlite?: SQLiteDatabase | undefined;
  /** See Store.pg. */
  pg?: PgPool | undefined;
  config: Config;
  events: EventBus;
  routingLock: RoutingLock;
  log: Logger;
  /** ms since the epoch; tests move it. */
  clock: () => number;
}
