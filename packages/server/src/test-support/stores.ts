/** A fresh, isolated store for one test: a new SQLite file, or a new PostgreSQL schema. */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { StoreConfig } from '../config.js';

export const TEST_STORE = (process.env.TEST_STORE ?? 'sqlite') as 'sqlite' | 'postgres';
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestStore {
  config: StoreConfig;
  dataDir: string;
  /** For a child process: the environment that points at this store. */
  env: Record<string, string>;
  drop(): Promise<void>;
}

export async function freshStore(kind = TEST_STORE): Promise<TestStore> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-test-'));
  if (kind === 'sqlite') {
    return {
      config: { kind: 'sqlite', file: path.join(dataDir, 'webchat.db') },
      dataDir,
      env: { DATA_DIR: dataDir },
      async drop() {
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const schema = `t_${randomBytes(6).toString('hex')}`;
  return {
    config: { kind: 'postgres', url: TEST_DATABASE_URL, schema },
    dataDir,
    env: { DATA_DIR: dataDir, DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: schema },
    async drop() {
      const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      try {
        await client.query(`drop schema if exists ${schema} cascade`);
      } finally {
        await client.end();
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
