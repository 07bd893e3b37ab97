/**
 * One migration set for both stores. The only differences are in `types`: n8n's approach of a
 * tiny per-dialect type map instead of two migration folders.
 */
import { sql, type ColumnDefinitionBuilder, type Kysely, type Migration } from 'kysely';
import type { Dialect } from './database.js';

function types(dialect: Dialect) {
  const pg = dialect === 'postgres';
  return {
    serial: pg ? ('bigserial' as const) : ('integer' as const),
    bigint: pg ? ('bigint' as const) : ('integer' as const),
    blob: pg ? ('bytea' as const) : ('blob' as const),
  };
}

// Kysely migrations take Kysely<any>: a migration must not depend on today's table types.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

function initial(dialect: Dialect): Migration {
  const t = types(dialect);
  const serialPk = (c: ColumnDefinitionBuilder) => (dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey());
  return {
    async up(db: AnyDb) {
      await db.schema
        .createTable('queues')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('timezone', 'text', (c) => c.notNull())
        .addColumn('hours', 'text')
        .addColumn('max_wait_seconds', 'integer', (c) => c.notNull())
        .addColumn('max_length', 'integer', (c) => c.notNull())
        .addColumn('when_no_agent_online', 'text', (c) => c.notNull())
        .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', t.bigint, (c) => c.notNull())
        .addColumn('updated_at', t.bigint, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('agents')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('username', 'text', (c) => c.notNull().unique())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('alias', 'text', (c) => c.notNull())
        .addColumn('icon', 'text', (c) => c.notNull())
        .addColumn('comments', 'text', (c) => c.notNull())
        .addColumn('max_chats', 'integer', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('idle_since', t.bigint, (c) => c.notNull())
        .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', t.bigint, (c) => c.notNull())
        .addColumn('updated_at', t.bigint, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('agent_queues')
        .addColumn('agent_id', 'text', (c) => c.notNull().references('agents.id').onDelete('cascade'))
        .addColumn('queue_id', 'integer', (c) => c.notNull().references('queues.id').onDelete('cascade'))
        .addPrimaryKeyConstraint('agent_queues_pk', ['agent_id', 'queue_id'])
        .execute();
      await db.schema.createIndex('agent_queues_by_queue').on('agent_queues').columns(['queue_id']).execute();
      await db.schema
        .createTable('channels')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('key_hash', 'text', (c) => c.unique())
        .addColumn('callback_base', 'text')
        .addColumn('allow_server_addr', 'text', (c) => c.notNull())
        .addColumn('created_at', t.bigint, (c) => c.notNull())
        .addColumn('updated_at', t.bigint, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('agent_tokens')
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('agent_id', 'text', (c) => c.notNull().references('agents.id').onDelete('cascade'))
        .addColumn('created_at', t.bigint, (c) => c.notNull())
        .addColumn('expires_at', t.bigint, (c) => c.notNull())
        .addColumn('revoked_at', t.bigint)
        .execute();
      await db.schema
        .createTable('chat_requests')
        .addColumn('id', t.serial, serialPk)
        .addColumn('channel_id', 'text', (c) => c.notNull())
        .addColumn('client_id', 'text', (c) => c.notNull())
        .addColumn('nickname', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('queue_id', 'integer', (c) => c.notNull())
        .addColumn('server_addr', 'text')
        .addColumn('status', 'integer', (c) => c.notNull())
        .addColumn('created_at', t.bigint, (c) => c.notNull())
        .addColumn('client_time', t.bigint)
        .addColumn('ended_at', t.bigint)
        .addColumn('session_id', t.bigint)
        .addColumn('continued', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      // One waiting request per customer of a channel, enforced by the store so concurrent
      // 1000s cannot both get in.
      await sql`create unique index chat_requests_one_waiting on chat_requests (channel_id, client_id) where status = 0`.execute(db);
      await db.schema.createIndex('chat_requests_by_queue').on('chat_requests').columns(['queue_id', 'status', 'id']).execute();
      await db.schema.createIndex('chat_requests_by_status').on('chat_requests').columns(['status', 'created_at']).execute();
      await db.schema
        .createTable('sessions')
        .addColumn('id', t.serial, serialPk)
        .addColumn('request_id', t.bigint, (c) => c.notNull())
        .addColumn('channel_id', 'text', (c) => c.notNull())
        .addColumn('client_id', 'text', (c) => c.notNull())
        .addColumn('nickname', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('queue_id', 'integer', (c) => c.notNull())
        .addColumn('agent_id', 'text', (c) => c.notNull())
        .addColumn('callback_base', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('requested_at', t.bigint, (c) => c.notNull())
        .addColumn('created_at', t.bigint, (c) => c.notNull())
        .addColumn('closed_at', t.bigint)
        .addColumn('closed_by', 'text')
        .addColumn('rating_id', 'integer')
        .addColumn('rating_comments', 'text')
        .addColumn('rated_at', t.bigint)
        .execute();
      await sql`create unique index sessions_one_open on sessions (channel_id, client_id) where status = 'open'`.execute(db);
      await db.schema.createIndex('sessions_by_agent').on('sessions').columns(['agent_id', 'status', 'id']).execute();
      await db.schema
        .createTable('messages')
        .addColumn('id', t.serial, serialPk)
        .addColumn('request_id', t.bigint)
        .addColumn('session_id', t.bigint)
        .addColumn('sender', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('text', 'text')
        .addColumn('image_id', t.bigint)
        .addColumn('event', 'text')
        .addColumn('client_time', t.bigint)
        .addColumn('created_at', t.bigint, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('messages_by_session').on('messages').columns(['session_id', 'id']).execute();
      // Only pre-messages are looked up by request: other messages stay out of this index.
      await sql`create index messages_by_request on messages (request_id, id) where request_id is not null`.execute(db);
      await db.schema
        .createTable('images')
        .addColumn('id', t.serial, serialPk)
        .addColumn('session_id', t.bigint, (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('mime', 'text', (c) => c.notNull())
        .addColumn('size', 'integer', (c) => c.notNull())
        .addColumn('width', 'integer', (c) => c.notNull())
        .addColumn('height', 'integer', (c) => c.notNull())
        .addColumn('data', t.blob, (c) => c.notNull())
        .addColumn('created_at', t.bigint, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('callbacks')
        .addColumn('id', t.serial, serialPk)
        .addColumn('session_id', t.bigint, (c) => c.notNull())
        .addColumn('channel_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_attempt_at', t.bigint, (c) => c.notNull())
        .addColumn('last_error', 'text')
        .addColumn('created_at', t.bigint, (c) => c.notNull())
        .addColumn('delivered_at', t.bigint)
        .execute();
      await db.schema.createIndex('callbacks_pending').on('callbacks').columns(['status', 'session_id', 'id']).execute();
      await db.schema
        .createTable('callback_attempts')
        .addColumn('id', t.serial, serialPk)
        .addColumn('callback_id', t.bigint, (c) => c.notNull())
        .addColumn('started_at', t.bigint, (c) => c.notNull())
        .addColumn('duration_ms', 'integer', (c) => c.notNull())
        .addColumn('http_status', 'integer')
        .addColumn('error', 'text')
        .addColumn('response', 'text')
        .execute();
      await db.schema.createIndex('callback_attempts_by_callback').on('callback_attempts').columns(['callback_id', 'id']).execute();
    },
  };
}

function cannedReplies(dialect: Dialect): Migration {
  const t = types(dialect);
  return {
    async up(db: AnyDb) {
      await db.schema
        .createTable('canned_replies')
        .addColumn('id', t.serial, (c) => (dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
        .addColumn('agent_id', 'text', (c) => c.references('agents.id').onDelete('cascade'))
        .addColumn('shortcut', 'text', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('created_at', t.bigint, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('canned_replies_by_agent').on('canned_replies').columns(['agent_id', 'shortcut']).execute();
    },
  };
}

/** The hardened integration boundary: who may call, how callbacks are signed, inbound de-duplication. */
function boundary(dialect: Dialect): Migration {
  const t = types(dialect);
  return {
    async up(db: AnyDb) {
      await db.schema.alterTable('channels').addColumn('webhook_secrets', 'text', (c) => c.notNull().defaultTo('[]')).execute();
      await db.schema.alterTable('channels').addColumn('allow_from', 'text').execute();
      await db.schema.alterTable('channels').addColumn('signing_secret', 'text').execute();
      await db.schema.alterTable('channels').addColumn('server_addr_policy', 'text', (c) => c.notNull().defaultTo('refuse')).execute();
      await db.schema.alterTable('messages').addColumn('client_msg_id', 'text').execute();
      await db.schema.alterTable('callbacks').addColumn('retry_until', t.bigint).execute();
      await sql`create unique index messages_client_msg_id on messages (session_id, client_msg_id) where client_msg_id is not null`.execute(db);
    },
  };
}

/**
 * A first run that works: one-time passwords (the bootstrap administrator's, and any an
 * operator resets from the command line), and presence that outlives a restart.
 */
function firstRun(dialect: Dialect): Migration {
  const t = types(dialect);
  return {
    async up(db: AnyDb) {
      await db.schema.alterTable('agents').addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      await db.schema.alterTable('agents').addColumn('feed_seen_at', t.bigint).execute();
    },
  };
}

/**
 * The customer web chat: channels of kind web, visitors and their tokens, what a visitor told
 * about their surroundings, the agent's read mark, messages left outside hours, and settings
 * (the rating scale).
 */
function webChat(dialect: Dialect): Migration {
  const t = types(dialect);
  const serialPk = (c: ColumnDefinitionBuilder) => (dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey());
  return {
    async up(db: AnyDb) {
      await db.schema.alterTable('channels').addColumn('kind', 'text', (c) => c.notNull().defaultTo('tpi')).execute();
      await db.schema.alterTable('channels').addColumn('web', 'text').execute();
      await db.schema
        .createTable('settings')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('updated_at', t.bigint, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('visitors')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('channel_id', 'text', (c) => c.notNull().references('channels.id').onDelete('cascade'))
        .addColumn('external_id', 'text')
        .addColumn('created_at', t.bigint, (c) => c.notNull())
        .addColumn('seen_at', t.bigint, (c) => c.notNull())
        .execute();
      await sql`create unique index visitors_by_external_id on visitors (channel_id, external_id) where external_id is not null`.execute(db);
      await db.schema
        .createTable('visitor_tokens')
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('visitor_id', 'text', (c) => c.notNull().references('visitors.id').onDelete('cascade'))
        .addColumn('created_at', t.bigint, (c) => c.notNull())
        .addColumn('expires_at', t.bigint, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('visitor_tokens_by_visitor').on('visitor_tokens').column('visitor_id').execute();
      await db.schema.alterTable('chat_requests').addColumn('visitor_id', 'text').execute();
      await db.schema.alterTable('chat_requests').addColumn('visitor', 'text').execute();
      await db.schema.createIndex('chat_requests_by_visitor').on('chat_requests').columns(['visitor_id', 'id']).execute();
      await db.schema.alterTable('sessions').addColumn('visitor', 'text').execute();
      await db.schema.alterTable('sessions').addColumn('agent_read_id', t.bigint, (c) => c.notNull().defaultTo(0)).execute();
      await db.schema.createIndex('sessions_by_queue_start').on('sessions').columns(['queue_id', 'created_at']).execute();
      await db.schema
        .createTable('left_messages')
        .addColumn('id', t.serial, serialPk)
        .addColumn('channel_id', 'text', (c) => c.notNull())
        .addColumn('queue_id', 'integer', (c) => c.notNull())
        .addColumn('visitor_id', 'text')
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('contact', 'text', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('info', 'text', (c) => c.notNull())
        .addColumn('created_at', t.bigint, (c) => c.notNull())
        .addColumn('handled_at', t.bigint)
        .addColumn('handled_by', 'text')
        .execute();
      await db.schema.createIndex('left_messages_by_queue').on('left_messages').columns(['queue_id', 'handled_at', 'id']).execute();
    },
  };
}

/** Holidays and special days per queue (JSON; null: none). */
function dateExceptions(): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema.alterTable('queues').addColumn('closed_dates', 'text').execute();
      await db.schema.alterTable('queues').addColumn('special_hours', 'text').execute();
    },
  };
}

/** Requests whose third party went silent: when it was last heard from, and the queue's limit. */
function dropSilent(dialect: Dialect): Migration {
  const t = types(dialect);
  return {
    async up(db: AnyDb) {
      await db.schema.alterTable('queues').addColumn('drop_after_silent_seconds', 'integer').execute();
      await db.schema.alterTable('chat_requests').addColumn('heard_at', t.bigint).execute();
    },
  };
}

/** How a queue's requests reach agents: routed (auto), or taken by hand (manual). */
function assignment(): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema.alterTable('queues').addColumn('assignment', 'text', (c) => c.notNull().defaultTo('auto')).execute();
    },
  };
}

/**
 * The routing tools: offers agents accept or decline, agent bridges (agents who answer from
 * another workplace app), transfers, and what agents see of their replies' delivery.
 */
function routingTools(dialect: Dialect): Migration {
  const t = types(dialect);
  const serialPk = (c: ColumnDefinitionBuilder) => (dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey());
  return {
    async up(db: AnyDb) {
      await db.schema.alterTable('queues').addColumn('offer_timeout_seconds', 'integer', (c) => c.notNull().defaultTo(20)).execute();
      await db.schema.alterTable('queues').addColumn('max_refusals', 'integer', (c) => c.notNull().defaultTo(3)).execute();
      await db.schema
        .createTable('offers')
        .addColumn('id', t.serial, serialPk)
        .addColumn('request_id', t.bigint, (c) => c.notNull())
        .addColumn('agent_id', 'text', (c) => c.notNull())
        .addColumn('offered_at', t.bigint, (c) => c.notNull())
        .addColumn('deadline', t.bigint, (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('reason', 'text')
        .addColumn('ended_at', t.bigint)
        .execute();
      await db.schema.createIndex('offers_by_request').on('offers').columns(['request_id', 'agent_id']).execute();
      await sql`create unique index offers_one_open on offers (request_id) where status = 'open'`.execute(db);
      await sql`create index offers_open_by_agent on offers (agent_id, deadline) where status = 'open'`.execute(db);
      await db.schema
        .createTable('agent_bridges')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('key_hash', 'text', (c) => c.notNull().unique())
        .addColumn('callback_base', 'text', (c) => c.notNull())
        .addColumn('webhook_secrets', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('created_at', t.bigint, (c) => c.notNull())
        .addColumn('updated_at', t.bigint, (c) => c.notNull())
        .execute();
      await db.schema.alterTable('agents').addColumn('bridge_id', 'text').execute();
      await db.schema.alterTable('agents').addColumn('away_reason', 'text').execute();
      await db.schema.alterTable('agents').addColumn('missed_offers', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      await db.schema.alterTable('sessions').addColumn('bridge_relayed_id', t.bigint, (c) => c.notNull().defaultTo(0)).execute();
      await db.schema.alterTable('chat_requests').addColumn('end_note', 'text').execute();
      await db.schema.alterTable('sessions').addColumn('transferred_from', 'text').execute();
      await db.schema.alterTable('sessions').addColumn('visitor_received_id', t.bigint, (c) => c.notNull().defaultTo(0)).execute();
      await db.schema.alterTable('sessions').addColumn('visitor_read_id', t.bigint, (c) => c.notNull().defaultTo(0)).execute();
      await db.schema.alterTable('callbacks').addColumn('message_id', t.bigint).execute();
      await sql`create index callbacks_by_message on callbacks (message_id) where message_id is not null`.execute(db);
    },
  };
}

/**
 * The later wire's customers (TPI types 1–4): who logged in on a channel, and their tokens.
 * A customer's `client_id` is what the TPI calls clientId: the login name, or the visitor GUID.
 */
function customers(dialect: Dialect): Migration {
  const t = types(dialect);
  const serialPk = (c: ColumnDefinitionBuilder) => (dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey());
  return {
    async up(db: AnyDb) {
      await db.schema
        .createTable('customers')
        .addColumn('id', t.serial, serialPk)
        .addColumn('channel_id', 'text', (c) => c.notNull())
        .addColumn('client_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('portrait_uri', 'text')
        .addColumn('password_hash', 'text')
        .addColumn('created_at', t.bigint, (c) => c.notNull())
        .addColumn('updated_at', t.bigint, (c) => c.notNull())
        .addColumn('last_login_at', t.bigint)
        .execute();
      await db.schema.createIndex('customers_by_client').on('customers').columns(['channel_id', 'client_id']).unique().execute();
      await db.schema
        .createTable('customer_tokens')
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('customer_id', t.bigint, (c) => c.notNull())
        .addColumn('channel_id', 'text', (c) => c.notNull())
        .addColumn('created_at', t.bigint, (c) => c.notNull())
        .addColumn('expires_at', t.bigint, (c) => c.notNull())
        .addColumn('revoked_at', t.bigint)
        .execute();
      await db.schema.createIndex('customer_tokens_by_customer').on('customer_tokens').columns(['customer_id']).execute();
    },
  };
}

/** A message the customer took back (TPI 2024, notice 6): kept, marked. */
function messageRevoked(dialect: Dialect): Migration {
  const t = types(dialect);
  return {
    async up(db: AnyDb) {
      await db.schema.alterTable('messages').addColumn('revoked_at', t.bigint).execute();
    },
  };
}

/** The later wire's callbacks, per channel, and the sentence that tells a customer their place. */
function laterCallbacks(): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema.alterTable('channels').addColumn('callback_path', 'text').execute();
      await db.schema.alterTable('channels').addColumn('later_callbacks', 'text').execute();
      await db.schema.alterTable('channels').addColumn('language', 'text').execute();
      await db.schema.alterTable('queues').addColumn('position_message', 'text').execute();
    },
  };
}

/**
 * The later wire's media: files customers upload (tpiu) or send by address (voice, video, files),
 * kept in the store like images; what a message carries besides its text; what a later 1000
 * told about the customer; a channel's upload allowance; a rating's extra answers.
 */
function laterMedia(dialect: Dialect): Migration {
  const t = types(dialect);
  const serialPk = (c: ColumnDefinitionBuilder) => (dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey());
  return {
    async up(db: AnyDb) {
      await db.schema
        .createTable('files')
        .addColumn('id', t.serial, serialPk)
        .addColumn('public_id', 'text', (c) => c.notNull().unique())
        .addColumn('channel_id', 'text', (c) => c.notNull())
        .addColumn('client_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('mime', 'text', (c) => c.notNull())
        .addColumn('size', t.bigint, (c) => c.notNull())
        .addColumn('data', t.blob, (c) => c.notNull())
        .addColumn('created_at', t.bigint, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('files_by_client').on('files').columns(['channel_id', 'client_id']).execute();
      await db.schema.alterTable('messages').addColumn('file_id', t.bigint).execute();
      await db.schema.alterTable('messages').addColumn('media', 'text').execute();
      await db.schema.alterTable('messages').addColumn('extra', 'text').execute();
      await db.schema.alterTable('channels').addColumn('uploads', 'text').execute();
      await db.schema.alterTable('chat_requests').addColumn('customer_context', 'text').execute();
      await db.schema.alterTable('sessions').addColumn('customer_context', 'text').execute();
      await db.schema.alterTable('sessions').addColumn('rating_extends', 'text').execute();
    },
  };
}

/** The server processes using the store, each with its heartbeat: one at a time until cluster mode. */
function nodes(dialect: Dialect): Migration {
  const t = types(dialect);
  return {
    async up(db: AnyDb) {
      await db.schema
        .createTable('nodes')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('host', 'text', (c) => c.notNull())
        .addColumn('pid', 'integer', (c) => c.notNull())
        .addColumn('started_at', t.bigint, (c) => c.notNull())
        .addColumn('heartbeat_at', t.bigint, (c) => c.notNull())
        .execute();
    },
  };
}

/** Which process sends a session's callbacks, for several processes on one database: a lease. */
function outboxClaims(dialect: Dialect): Migration {
  const t = types(dialect);
  return {
    async up(db: AnyDb) {
      await db.schema
        .createTable('outbox_claims')
        .addColumn('session_id', t.bigint, (c) => c.primaryKey())
        .addColumn('node', 'text', (c) => c.notNull())
        .addColumn('until', t.bigint, (c) => c.notNull())
        .execute();
    },
  };
}

/** Which processes are nodes of a cluster: several of them may share the store, a sole process may not. */
function clusterNodes(): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema.alterTable('nodes').addColumn('cluster', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      await db.schema.alterTable('nodes').addColumn('redis_prefix', 'text').execute();
    },
  };
}

export function migrations(dialect: Dialect): Record<string, Migration> {
  return {
    '0001_initial': initial(dialect),
    '0002_canned_replies': cannedReplies(dialect),
    '0003_boundary': boundary(dialect),
    '0004_first_run': firstRun(dialect),
    '0005_web_chat': webChat(dialect),
    '0006_date_exceptions': dateExceptions(),
    '0007_drop_silent': dropSilent(dialect),
    '0008_assignment': assignment(),
    '0009_routing_tools': routingTools(dialect),
    '0010_customers': customers(dialect),
    '0011_message_revoked': messageRevoked(dialect),
    '0012_later_callbacks': laterCallbacks(),
    '0013_later_media': laterMedia(dialect),
    '0014_nodes': nodes(dialect),
    '0015_outbox_claims': outboxClaims(dialect),
    '0016_cluster_nodes': clusterNodes(),
  };
}
