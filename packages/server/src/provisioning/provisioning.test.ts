/** The provisioning file: applied at start, idempotent, and every mistake reported with its place. */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { freshStore, type TestStore } from '../test-support/stores.js';
import { testConfig } from '../test-support/platform.js';
import { parseProvisioning, ProvisioningError } from './load.js';

const EXAMPLE = fileURLToPathSafe('../../../../examples/webchat.yaml');

function fileURLToPathSafe(relative: string): string {
  return path.resolve(path.dirname(new URL(import.meta.url).pathname), relative);
}

describe('provisioning', () => {
  let store: TestStore | undefined;

  afterEach(async () => {
    await store?.drop();
    store = undefined;
  });

  it('applies examples/webchat.yaml at start and changes nothing on the next start', async () => {
    store = await freshStore();
    const config = { ...testConfig(store), provisioningFile: EXAMPLE };
    const counts = async () => {
      const platform = await buildApp(config);
      const db = platform.store.db;
      const rows = {
        queues: await db.selectFrom('queues').selectAll().orderBy('id').execute(),
        agents: await db.selectFrom('agents').select(['id', 'username', 'password_hash', 'name', 'alias', 'max_chats']).orderBy('id').execute(),
        memberships: await db.selectFrom('agent_queues').selectAll().orderBy('agent_id').orderBy('queue_id').execute(),
        channels: await db.selectFrom('channels').select(['id', 'key_hash', 'callback_base', 'allow_server_addr']).orderBy('id').execute(),
      };
      await platform.close();
      return rows;
    };
    const first = await counts();
    expect(first.queues.map((q) => [q.id, q.name, q.when_no_agent_online])).toEqual([
      [1, '售前咨询', 'refuse'],
      [2, '售后服务 (24h)', 'wait'],
    ]);
    expect(JSON.parse(first.queues[0]!.hours!)).toMatchObject({ mon: ['09:00-12:00', '13:00-18:00'] });
    expect(first.agents.map((a) => [a.id, a.username, a.alias, a.max_chats])).toEqual([
      ['SBOB', 'bob', '坐席B', 3],
      ['SELITE', 'elite', '坐席A', 5],
    ]);
    expect(first.agents[0]!.password_hash).toMatch(/^\$argon2id\$/);
    expect(first.memberships).toEqual([
      { agent_id: 'SBOB', queue_id: 2 },
      { agent_id: 'SELITE', queue_id: 1 },
      { agent_id: 'SELITE', queue_id: 2 },
    ]);
    expect(first.channels.map((c) => [c.id, c.key_hash === null])).toEqual([
      ['local', true],
      ['mitalk', false],
    ]);
    expect(first.channels[1]!.key_hash).not.toContain('replace-with');

    const second = await counts();
    const withoutTimes = (rows: typeof first) => ({ ...rows, queues: rows.queues.map(({ updated_at: _u, ...q }) => q) });
    expect(withoutTimes(second)).toEqual(withoutTimes(first));
  });

  it('takes an edited file on the next start, leaving what it does not list alone', async () => {
    store = await freshStore();
    const file = path.join(store.dataDir, 'webchat.yaml');
    fs.writeFileSync(file, 'queues: [{ id: 7, name: Old }]\nagents: [{ id: X, username: x, password: p1, name: X, queues: [7] }]\n');
    const config = { ...testConfig(store), provisioningFile: file };
    let platform = await buildApp(config);
    await platform.close();
    fs.writeFileSync(file, 'queues: [{ id: 7, name: New, maxLength: 3 }, { id: 8, name: Eight }]\n');
    platform = await buildApp(config);
    const queues = await platform.store.db.selectFrom('queues').select(['id', 'name', 'max_length']).orderBy('id').execute();
    const agents = await platform.store.db.selectFrom('agents').select('id').execute();
    await platform.close();
    expect(queues).toEqual([
      { id: 7, name: 'New', max_length: 3 },
      { id: 8, name: 'Eight', max_length: 100 },
    ]);
    expect(agents).toEqual([{ id: 'X' }]);
  });

  it('reports every problem of a bad file with its place, and starts nothing', () => {
    const bad = `
queues:
  - id: 1
    name: a
    timezone: Mars/Olympus
    hours: { mon: ["9-18"], someday: ["09:00-10:00"] }
  - id: 1
    name: b
agents:
  - { id: A, username: a, password: p, name: A, queues: [5] }
channels:
  - { id: c, callbackBase: "ftp://x" }
`;
    let error: unknown;
    try {
      parseProvisioning(bad, 'webchat.yaml');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ProvisioningError);
    const message = (error as Error).message;
    expect(message).toContain('/queues/1: queue id 1 appears twice');
    expect(message).toContain('/queues/0/timezone: unknown time zone "Mars/Olympus"');
    expect(message).toContain('/queues/0/hours: mon: "9-18" is not a period');
    expect(message).toContain('/agents/0/queues: no queue 5 in this file');
    expect(message).toContain('/channels/0/callbackBase: "ftp://x" is not an http(s) URL');
    expect(() => parseProvisioning('queues: [{ id: "one" }]')).toThrow(/\/queues\/0/);
    expect(() => parseProvisioning('queues: [ {')).toThrow(/not valid YAML/);
  });
});
