import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import type { StoreConfig } from '../config.js';
import { startCheckpointer, type Checkpointer } from './checkpointer.js';
import { migrations } from './migrations.js';
import type { DB } from './schema.js';

export type Dialect = StoreConfig['kind'];
export type Db = Kysely<DB>;

export interface Store {
  db: Db;
  dialect: Dialect;
  /**
   * The SQLite handle under Kysely, for the one hot path that prepares its statements itself.
   * Use it only inside `db.connection().execute(...)`, which holds Kysely's lock on it.
   */
  sqlite?: SQLite.Database | undefined;
  /** The PostgreSQL pool under Kysely, for the same hot path's one prepared statement. */
  pg?: pg.Pool | undefined;
  close(): Promise<void>;
}

const INT8_OID = 20;
const NUMERIC_OID = 1700;

/** pg hands int8 back as a string; every int8 here is an id or ms time, well inside 2^53. */
const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID || oid === NUMERIC_OID) return (v: string) => Number(v);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return pg.types.getTypeParser(oid, format as any);
  },
};

/**
 * Kysely's SQLite driver prepares every statement anew, which costs more than running it. The
 * queries are a small fixed set, so their prepared statements are kept (better-sqlite3
 * statements are reusable and carry no state between runs).
 */
function withStatementCache(database: SQLite.Database): SQLite.Database {
  const cache = new Map<string, SQLite.Statement>();
  return new Proxy(database, {
    get(target, property, receiver) {
      if (property !== 'prepare') return Reflect.get(target, property, receiver) as unknown;
      return (sql: string) => {
        let statement = cache.get(sql);
        if (!statement) {
          statement = target.prepare(sql);
          // An unbounded variety of SQL (e.g. IN lists of every length) must not grow forever.
          if (cache.size >= 2_000) cache.clear();
          cache.set(sql, statement);
        }
        return statement;
      };
    },
  });
}

export async function openStore(config: StoreConfig): Promise<Store> {
  let db: Db;
  let sqlite: SQLite.Database | undefined;
  let pgPool: pg.Pool | undefined;
  let checkpointer: Checkpointer | undefined;
  if (config.kind === 'sqlite') {
    fs.mkdirSync(path.dirname(config.file), { recursive: true });
    const database = new SQLite(config.file);
    // Taken by a new database only (an existing one keeps its size). Messages of many sessions
    // arrive interleaved, so each lands on a different leaf of the (session_id, id) index and
    // every commit writes one page per message to the WAL: a 2 KiB page halves that cost
    // (20.5 → 9.4 µs a message in groups of 20 across 50 sessions) against the 4 KiB default.
    database.pragma('page_size = 2048');
    // WAL: readers never block the writer. synchronous=NORMAL in WAL keeps every committed
    // transaction across a process crash (kill -9); only an OS crash may lose the last ones.
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = NORMAL');
    database.pragma('foreign_keys = ON');
    database.pragma('busy_timeout = 5000');
    db = new Kysely<DB>({ dialect: new SqliteDialect({ database: withStatementCache(database) }) });
    sqlite = database;
    checkpointer = startCheckpointer(database, config.file);
  } else {
    const schema = config.schema;
    if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`invalid DATABASE_SCHEMA "${schema}"`);
    const pool = new pg.Pool({
      connectionString: config.url,
      max: 10,
      types: pgTypes,
      ...(schema ? { options: `-c search_path=${schema}` } : {}),
    });
    if (schema) {
      const client = await pool.connect();
      try {
        await client.query(`create schema if not exists ${schema}`);
      } catch (error) {
        // Nodes started together on a new schema: IF NOT EXISTS does not cover two creating it at
        // the same moment, and the later one is refused (unique_violation on the catalog, or
        // duplicate_schema) once the other has committed it. It exists, which is all we need.
        const code = (error as { code?: string }).code;
        if (code !== '23505' && code !== '42P06') throw error;
      } finally {
        client.release();
      }
    }
    db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    pgPool = pool;
  }
  try {
    const schema = config.kind === 'postgres' ? (config.schema ?? (await currentSchema(db))) : undefined;
    await migrate(db, config.kind, schema);
  } catch (error) {
    await checkpointer?.stop();
    await db.destroy();
    throw error;
  }
  return {
    db,
    dialect: config.kind,
    sqlite,
    pg: pgPool,
    async close() {
      await checkpointer?.stop();
      await db.destroy();
    },
  };
}

/**
 * What another client's DDL can make Kysely's migrator fail with while it only looks for its
 * bookkeeping tables: it reads every schema's tables and resolves each by name
 * (postgres-introspector.ts, pg_get_serial_sequence), so a schema, table or column dropped
 * meanwhile elsewhere in the database fails the start though nothing of ours is missing. Seen
 * with test suites creating and dropping schemas side by side; possible wherever other software
 * changes the same database. undefined_table, invalid_schema_name, undefined_column.
 */
const CATALOG_RACES = new Set(['42P01', '3F000', '42703']);

/** Migrates to the latest; a failure of the migrator's own look-up (no migration failed) is tried again, a few times. */
async function migrate(db: Db, dialect: Dialect, schema: string | undefined): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const failure = await migrateOnce(db, dialect, schema);
    if (!failure) return;
    const code = (failure.error as { code?: string }).code;
    if (failure.migrationName !== undefined || attempt >= 5 || code === undefined || !CATALOG_RACES.has(code)) {
      throw new Error(`database migration ${failure.migrationName ?? ''} failed: ${String(failure.error)}`, { cause: failure.error });
    }
    await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
  }
}

async function migrateOnce(db: Db, dialect: Dialect, schema: string | undefined): Promise<{ error: unknown; migrationName: string | undefined } | undefined> {
  const migrator = new Migrator({
    db,
    // Named, so that Kysely looks for its bookkeeping tables in this schema and not in any
    // other schema of the same database that happens to have them.
    ...(schema ? { migrationTableSchema: schema } : {}),
    provider: { getMigrations: async () => migrations(dialect) },
  });
  try {
    const { error, results } = await migrator.migrateToLatest();
    return error ? { error, migrationName: results?.find((r) => r.status === 'Error')?.migrationName } : undefined;
  } catch (error) {
    return { error, migrationName: undefined };
  }
}

async function currentSchema(db: Db): Promise<string> {
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  return rows[0]?.schema ?? 'public';
}

export async function ping(db: Db): Promise<void> {
  await sql`select 1`.execute(db);
}
