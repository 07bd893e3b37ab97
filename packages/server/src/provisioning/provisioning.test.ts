/** The provisioning file: applied at start, idempotent, and every mistake reported with its place. */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ratingScale } from '../modules/directory/index.js';
import { buildApp } from '../app.js';
import { freshStore, type TestStore } from '../test-support/stores.js';
import { testConfig } from '../test-support/platform.js';
import { verifyPassword } from '../auth/passwords.js';
import { parseProvisioning, ProvisioningError } from './load.js';
import { Provisioning } from './schema.js';

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
        agents: await db
          .selectFrom('agents')
          .select(['id', 'username', 'password_hash', 'name', 'alias', 'icon', 'comments', 'max_chats', 'role', 'enabled', 'status', 'bridge_id'])
          .orderBy('id')
          .execute(),
        memberships: await db.selectFrom('agent_queues').selectAll().orderBy('agent_id').orderBy('queue_id').execute(),
        channels: await db
          .selectFrom('channels')
          .select(['id', 'key_hash', 'callback_base', 'allow_server_addr', 'server_addr_policy', 'allow_from', 'signing_secret', 'webhook_secrets'])
          .orderBy('id')
          .execute(),
        web: await db
          .selectFrom('channels')
          .select(['kind', 'web'])
          .where('id', '=', 'web')
          .executeTakeFirstOrThrow()
          .then((c) => ({ kind: c.kind, web: JSON.parse(c.web ?? 'null') as unknown })),
        ratings: await ratingScale(db),
        bridges: await db.selectFrom('agent_bridges').select(['id', 'callback_base', 'webhook_secrets']).execute(),
      };
      await platform.close();
      return rows;
    };
    const first = await counts();
    expect(first.queues.map((q) => [q.id, q.name, q.timezone, q.max_wait_seconds, q.max_length, q.when_no_agent_online, q.enabled])).toEqual([
      [1, '售前咨询', 'Asia/Shanghai', 600, 100, 'refuse', 1],
      [2, '售后服务 (24h)', 'Asia/Shanghai', 900, 200, 'wait', 1],
      [3, '企业微信坐席', 'Asia/Shanghai', 600, 100, 'wait', 1],
    ]);
    expect(first.queues.map((q) => [q.assignment, q.offer_timeout_seconds, q.max_refusals])).toEqual([['auto', 20, 3], ['auto', 20, 3], ['offer', 20, 3]]);
    expect(first.bridges).toEqual([{ id: 'wecom', callback_base: 'http://127.0.0.1:9100', webhook_secrets: '["whsec_YnJpZGdlIGV4YW1wbGUgb25seTogcmVwbGFjZSBpdA=="]' }]);
    expect(JSON.parse(first.queues[0]!.hours!)).toMatchObject({ mon: ['09:00-12:00', '13:00-18:00'] });
    expect(first.queues[1]!.hours).toBeNull();
    expect(first.agents.map(({ password_hash: _h, ...a }) => a)).toEqual([
      { id: 'SADMIN', username: 'admin', name: '管理员', alias: '管理员', icon: '', comments: '', max_chats: 5, role: 'admin', enabled: 1, status: 'offline', bridge_id: null },
      { id: 'SBOB', username: 'bob', name: 'Bob', alias: '坐席B', icon: '', comments: '', max_chats: 3, role: 'agent', enabled: 1, status: 'offline', bridge_id: null },
      {
        id: 'SELITE',
        username: 'elite',
        name: 'Elite',
        alias: '坐席A',
        icon: 'https://example.com/a.png',
        comments: '备注信息',
        max_chats: 5,
        role: 'agent',
        enabled: 1,
        status: 'offline',
        bridge_id: null,
      },
      { id: 'SLEAD', username: 'lead', name: '主管', alias: '主管', icon: '', comments: '', max_chats: 5, role: 'supervisor', enabled: 1, status: 'offline', bridge_id: null },
      // Through the bridge, not the console: a made-up username no person has, and no password.
      { id: 'W001', username: 'bridge:wecom:W001', name: '王五', alias: '王五', icon: '', comments: '', max_chats: 5, role: 'agent', enabled: 1, status: 'offline', bridge_id: 'wecom' },
    ]);
    for (const a of first.agents) expect(a.password_hash).toMatch(a.bridge_id ? /^!$/ : /^\$argon2id\$/);
    expect(first.memberships).toEqual([
      { agent_id: 'SBOB', queue_id: 2 },
      { agent_id: 'SELITE', queue_id: 1 },
      { agent_id: 'SELITE', queue_id: 2 },
      { agent_id: 'W001', queue_id: 3 },
    ]);
    expect(first.channels.map(({ key_hash, ...c }) => ({ ...c, keyless: key_hash === null }))).toEqual([
      {
        id: 'local',
        keyless: true,
        callback_base: 'http://127.0.0.1:9001',
        allow_server_addr: '[]',
        server_addr_policy: 'refuse',
        allow_from: null,
        signing_secret: null,
        webhook_secrets: '[]',
      },
      {
        id: 'mitalk',
        keyless: false,
        callback_base: 'http://127.0.0.1:9000',
        allow_server_addr: JSON.stringify(['http://127.0.0.1:9000']),
        server_addr_policy: 'use-channel-base',
        allow_from: JSON.stringify(['127.0.0.1', '10.0.0.0/8', '::1']),
        signing_secret: 'replace-with-another-long-random-secret',
        webhook_secrets: JSON.stringify(['whsec_ZXhhbXBsZSBvbmx5OiByZXBsYWNlIHRoaXMgc2VjcmV0']),
      },
      {
        id: 'web',
        keyless: true,
        callback_base: null,
        allow_server_addr: '[]',
        server_addr_policy: 'refuse',
        allow_from: null,
        signing_secret: null,
        webhook_secrets: '[]',
      },
    ]);
    expect(first.web).toEqual({
      kind: 'web',
      web: {
        queues: [2, 1],
        allowedOrigins: ['http://127.0.0.1:8000'],
        identitySecret: 'replace-with-a-long-random-identity-secret',
        preChatFields: [{ name: 'order', label: { 'zh-CN': '订单号', en: 'Order number' }, required: false }],
      },
    });
    expect(first.ratings.map((r) => r.id)).toEqual([1, 2, 3]);
    expect(first.channels[1]!.key_hash).not.toContain('replace-with');

    const second = await counts();
    const withoutTimes = (rows: typeof first) => ({ ...rows, queues: rows.queues.map(({ updated_at: _u, ...q }) => q) });
    expect(withoutTimes(second)).toEqual(withoutTimes(first));
  });

  it('examples/webchat.yaml shows every field of the schema, at every level', () => {
    const example: unknown = parse(fs.readFileSync(EXAMPLE, 'utf8'));
    expect(() => parseProvisioning(fs.readFileSync(EXAMPLE, 'utf8'), EXAMPLE)).not.toThrow();
    const missing: string[] = [];
    const objects: string[] = [];
    const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
    // `values`: what the example holds at this place of the schema (every item of a list).
    const walk = (schema: Record<string, unknown>, place: string, values: unknown[]): void => {
      if (isRecord(schema.properties)) {
        objects.push(place);
        const present = values.filter(isRecord);
        for (const [key, sub] of Object.entries(schema.properties)) {
          const here = present.filter((v) => key in v).map((v) => v[key]);
          if (here.length === 0) missing.push(`${place}/${key}`);
          walk(sub as Record<string, unknown>, `${place}/${key}`, here);
        }
      }
      if (isRecord(schema.items)) walk(schema.items, place, values.flatMap((v) => (Array.isArray(v) ? v : [])));
      if (Array.isArray(schema.anyOf)) for (const branch of schema.anyOf) walk(branch as Record<string, unknown>, place, values);
    };
    walk(Provisioning as unknown as Record<string, unknown>, '', [example]);
    // The walk reached Provisioning, QueueSpec, AgentSpec and ChannelSpec.
    expect(objects).toEqual(['', '/queues', '/queues/positionMessage', '/agents', '/channels', '/channels/uploads', '/channels/preChatFields', '/channels/preChatFields/label', '/agentBridges', '/ratings', '/ratings/label']);
    expect(missing).toEqual([]);
  });

  it('takes over the administrator of a first start when the example file comes later, with the file\'s password', async () => {
    store = await freshStore();
    const first = await buildApp({ ...testConfig(store), firstRun: true });
    const created = await first.store.db.selectFrom('agents').select(['id', 'username', 'must_change_password']).execute();
    await first.close();
    expect(created).toEqual([{ id: 'SADMIN', username: 'admin', must_change_password: 1 }]);

    const second = await buildApp({ ...testConfig(store), firstRun: true, provisioningFile: EXAMPLE });
    try {
      const admin = await second.store.db.selectFrom('agents').selectAll().where('username', '=', 'admin').executeTakeFirstOrThrow();
      expect(admin).toMatchObject({ id: 'SADMIN', role: 'admin', must_change_password: 0 });
      expect(await verifyPassword(admin.password_hash, 'change-me-admin')).toBe(true);
      // The file's first queue replaced the default one; no second default queue appeared.
      expect((await second.store.db.selectFrom('queues').select('id').orderBy('id').execute()).map((q) => q.id)).toEqual([1, 2, 3]);
    } finally {
      await second.close();
    }
  });

  it('names a username that another agent of the store already holds, instead of failing on a constraint', async () => {
    store = await freshStore();
    const file = path.join(store.dataDir, 'webchat.yaml');
    fs.writeFileSync(file, 'agents: [{ id: A, username: same, password: p1, name: A }]\n');
    await (await buildApp({ ...testConfig(store), provisioningFile: file })).close();
    fs.writeFileSync(file, 'agents: [{ id: B, username: same, password: p1, name: B }]\n');
    await expect(buildApp({ ...testConfig(store), provisioningFile: file })).rejects.toThrow(/agent B: username "same" already belongs to agent A/);
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
  - { id: w, kind: web, key: a-key-of-sixteen-chars, queues: [1, 7], allowedOrigins: ["https://shop.example.com/cart", "https://ok.example"] }
  - { id: t, identitySecret: a-long-identity-secret }
  - { id: v, kind: web }
ratings:
  - { id: 1, label: { zh-CN: 好, en: Good } }
  - { id: 1, label: { zh-CN: 好, en: Good } }
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
    expect(message).toContain('/channels/1/key: only for a channel of kind tpi');
    expect(message).toContain('/channels/1/queues: no queue 7 in this file');
    expect(message).toContain('/channels/1/allowedOrigins: "https://shop.example.com/cart" is not an origin');
    expect(message).not.toContain('"https://ok.example" is not');
    expect(message).toContain('/channels/2/identitySecret: only for a channel of kind web');
    expect(message).toContain('/channels/3/queues: a web channel lists the queues it offers');
    expect(message).toContain('/ratings/1: rating id 1 appears twice');
    expect(() => parseProvisioning('queues: [{ id: "one" }]')).toThrow(/\/queues\/0/);
    expect(() => parseProvisioning('queues: [ {')).toThrow(/not valid YAML/);
  });
});
