/**
 * buildApp: the whole platform from a Config, without listening (fastify's habit), so tests
 * drive it through real HTTP on a port of their choosing and main.ts only adds `listen`.
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { requestStatusName } from '@elitewebchat/protocol';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Server } from 'socket.io';
import type { Config } from './config.js';
import { openStore, type Store } from './db/database.js';
import { DeliveryWorker } from './delivery/worker.js';
import { API_ERROR_FOR_DOMAIN_ERROR, API_ERRORS, ApiError } from './errors.js';
import { DomainError } from './common/domain-error.js';
import { AgentService } from './modules/agent/index.js';
import { agentFileRoutes, agentRoutes } from './modules/agent/index.js';
import { workspaceRoutes } from './modules/agent/index.js';
import { leftMessagesRoutes } from './modules/agent/index.js';
import { queueRoutes } from './modules/agent/index.js';
import { offerRoutes } from './modules/agent/index.js';
import { colleagueRoutes } from './modules/agent/index.js';
import { BridgeDirectory, bridgeRoutes } from './modules/bridge/index.js';
import { CustomerService } from './modules/customers/index.js';
import { adminRoutes } from './modules/admin/index.js';
import { supervisorRoutes } from './modules/supervisor/index.js';
import { supervisorRoutingRoutes } from './modules/supervisor/index.js';
import type { ChatContext } from './modules/chat/index.js';
import type { EventBus } from './cluster/event-bus.js';
import { singleProcess, type ClusterState } from './cluster/index.js';
import { RequestService } from './modules/chat/index.js';
import { Router } from './modules/chat/index.js';
import { AgentTyping, BridgeNotices, TransferService } from './modules/chat/index.js';
import { SessionService } from './modules/chat/index.js';
import { Sweeper } from './modules/chat/index.js';
import { WaitEstimator } from './modules/chat/index.js';
import { createMetrics, type Metrics } from './metrics.js';
import { consoleRoutes } from './modules/console/index.js';
import { opsRoutes } from './modules/ops/index.js';
import { ChannelDirectory } from './modules/tpi/index.js';
import { TpiAuthenticator } from './modules/tpi/index.js';
import { ChannelDispatchers } from './delivery/channel-dispatchers.js';
import { FileStore } from './files/file-store.js';
import { claimStore, type NodeLease } from './nodes/store-nodes.js';
import { startClusterMode, type ClusterMode } from './cluster/cluster-mode.js';
import { refuseWhileUnavailable } from './cluster/unavailable.js';
import { withStoreLock } from './db/store-lock.js';
import { tpiRoutes, uploadRoutes } from './modules/tpi/index.js';
import { asksForRequestStatus, listenRequestStatus } from './modules/tpi/index.js';
import { applyProvisioning } from './provisioning/apply.js';
import { logFirstRun, prepareFirstRun } from './first-run.js';
import { checkResponses } from './http/check-responses.js';
import { loadProvisioningFile } from './provisioning/load.js';
import type { Provisioning } from './provisioning/schema.js';
import { attachAgentSockets } from './realtime/agent-socket.js';
import { attachVisitorSockets } from './realtime/visitor-socket.js';
import { ConversationService, VisitorService, WebChannels, webChatPages, webChatRoutes } from './modules/webchat/index.js';

export interface BuildOptions {
  /** ms since the epoch; tests move it. */
  clock?: () => number;
  /** Applied after the file named by config.provisioningFile, if any. */
  provisioning?: Provisioning;
  /** What this process shares with others on the same store; default: nothing (one process). */
  cluster?: Partial<ClusterState>;
  /**
   * Other processes use this store too, sharing what `cluster` gives them (cluster mode, or a test
   * of its parts): the one-process guard is not applied. Default: refuse a second process.
   */
  sharedStore?: boolean;
}

export interface Platform {
  app: FastifyInstance;
  store: Store;
  io: Server;
  metrics: Metrics;
  events: EventBus;
  router: Router;
  sweeper: Sweeper;
  worker: DeliveryWorker;
  channels: ChannelDirectory;
  /** Starts the background work (routing, sweeping, callbacks). listen() is the caller's. */
  start(): Promise<void>;
  close(): Promise<void>;
}

export async function buildApp(config: Config, options: BuildOptions = {}): Promise<Platform> {
  const clock = options.clock ?? Date.now;
  const app = Fastify({
    logger: { level: config.logLevel, base: { pid: process.pid, node: config.nodeName }, redact: ['req.headers.authorization', 'req.headers["x-webchat-key"]'] },
    // A TPI body may carry a 5 MB image as base64, so the TPI sets its own, larger limit.
    bodyLimit: 1024 * 1024,
    routerOptions: { maxParamLength: 200 },
    trustProxy: config.trustProxy,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true } },
  });
  const log = app.log as unknown as Logger;
  const store = await openStore(config.store);
  const { db } = store;
  // A sole process refuses a store that another process uses; a cluster node shares it with
  // the other nodes only. Either is refused here, saying which process holds the store.
  let lease: NodeLease = { id: 'shared', release: async () => undefined };
  let clusterMode: ClusterMode | undefined;
  try {
    const heartbeatFailed = (error: unknown) => log.warn({ err: error }, 'node heartbeat failed');
    if (config.redis) lease = await claimStore(db, store.dialect, config.nodeName, { kind: 'cluster', redisPrefix: config.redis.prefix }, heartbeatFailed);
    else if (!options.sharedStore) lease = await claimStore(db, store.dialect, config.nodeName, { kind: 'sole' }, heartbeatFailed);
    if (config.redis) clusterMode = await startClusterMode({ config: { ...config, redis: config.redis }, db, nodeId: lease.id, log });
    // Nodes starting at once apply the file (and make the first administrator) one after another.
    await withStoreLock(db, store.dialect, 'provisioning', async () => {
      if (config.provisioningFile) {
        const applied = await applyProvisioning(db, loadProvisioningFile(config.provisioningFile), clock());
        log.info({ file: config.provisioningFile, ...applied }, 'provisioning applied');
      }
      if (options.provisioning) await applyProvisioning(db, options.provisioning, clock());
      if (config.firstRun) logFirstRun(log, await prepareFirstRun(db, clock()));
    });
  } catch (error) {
    // A refused store, Redis that does not answer, a bad provisioning file: leave nothing open.
    await clusterMode?.close().catch(() => undefined);
    await lease.release().catch(() => undefined);
    await store.close();
    throw error;
  }

  const cluster: ClusterState = { ...singleProcess(config, clock), ...clusterMode?.state, ...options.cluster };
  const { events } = cluster;
  const ctx: ChatContext = { db, dialect: store.dialect, sqlite: store.sqlite, pg: store.pg, config, events, routingLock: cluster.routingLock, log, clock };
  const metrics = createMetrics(db, config.nodeName);
  const requests = new RequestService(ctx);
  const bridgeNotices = new BridgeNotices(ctx);
  const sessions = new SessionService(ctx, bridgeNotices);
  const agents = new AgentService(ctx);
  const router = new Router(ctx, bridgeNotices);
  const transfers = new TransferService(ctx, bridgeNotices);
  const typing = new AgentTyping(ctx);
  const sweeper = new Sweeper(ctx, router.offers, bridgeNotices);
  const waitEstimator = new WaitEstimator(db, clock);
  // Files customers send by address are fetched through the same per-channel address guard as callbacks.
  const fetchers = new ChannelDispatchers(config.delivery.timeoutMs);
  const files = new FileStore(db, clock, config.maxImageBytes, fetchers);
  const channels = new ChannelDirectory(db);
  const bridges = new BridgeDirectory(db);
  const worker = new DeliveryWorker(db, config.delivery, (id) => channels.byId(id) ?? bridges.outboxChannel(id), metrics, log, clock, cluster.outbox, events);
  await channels.reload();
  await bridges.reload();
  // updateRequestStatus to the channels that ask for it (later wire).
  const stopRequestStatus = listenRequestStatus({ db, events, log, clock, channel: (id) => channels.byId(id), anyAsks: () => channels.some(asksForRequestStatus) });

  // Label children made once: labelling on every message costs more than counting it.
  const messageCounters = new Map<string, ReturnType<Metrics['messages']['labels']>>();
  events.on((event) => {
    switch (event.type) {
      case 'capacity':
        void router.wake();
        break;
      case 'agent-status':
        if (event.status === 'online') void router.wake();
        else void sweeper.sweep();
        break;
      case 'outbox':
        worker.wake();
        break;
      case 'channels-changed':
        channels.reload().catch((error: unknown) => log.error({ err: error }, 'reloading channels failed'));
        bridges.reload().catch((error: unknown) => log.error({ err: error }, 'reloading agent bridges failed'));
        break;
      case 'request-ended':
        metrics.requestsEnded.inc({ queue: String(event.queueId), state: requestStatusName(event.status) });
        break;
      case 'offer':
        metrics.offers.inc({ outcome: event.change === 'new' ? 'offered' : event.change });
        break;
      case 'message': {
        const key = `${event.message.sender}/${event.message.kind}`;
        let counter = messageCounters.get(key);
        if (!counter) messageCounters.set(key, (counter = metrics.messages.labels({ sender: event.message.sender, kind: event.message.kind })));
        counter.inc();
        break;
      }
      default:
        break;
    }
  });

  if (config.checkResponses) checkResponses(app);
  if (clusterMode) refuseWhileUnavailable(app, clusterMode.unavailable);

  let ready = false;
  app.setErrorHandler((error, request, reply) => {
    if (error instanceof ApiError) return reply.code(error.status).send({ error: { code: error.code, message: error.message } });
    if (error instanceof DomainError) {
      const code = API_ERROR_FOR_DOMAIN_ERROR[error.code];
      return reply.code(API_ERRORS[code]).send({ error: { code, message: error.message } });
    }
    const e = error as { statusCode?: number; code?: string; message: string };
    if (e.statusCode !== undefined && e.statusCode < 500) {
      const code = e.statusCode === 413 ? 'PAYLOAD_TOO_LARGE' : e.statusCode === 404 ? 'NOT_FOUND' : e.statusCode === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : 'BAD_REQUEST';
      return reply.code(e.statusCode).send({ error: { code, message: e.message } });
    }
    request.log.error({ err: error }, 'request failed');
    return reply.code(500).send({ error: { code: 'INTERNAL_ERROR', message: 'internal error' } });
  });

  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ error: { code: 'NOT_FOUND', message: `no route ${request.method} ${request.url.split('?')[0]}` } }),
  );

  await app.register(swagger, {
    openapi: {
      info: { title: 'EliteWebChat', version: '1', description: 'The TPI (third parties) and the agent API. See docs/ in the repository.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, bridgeKey: { type: 'apiKey', in: 'header', name: 'X-Bridge-Key' } } },
      tags: [
        { name: 'tpi', description: 'Third-party integration protocol' },
        { name: 'agent', description: 'Agent API v1' },
        { name: 'supervisor', description: 'Supervisor API v1' },
        { name: 'admin', description: 'Admin API v1' },
        { name: 'webchat', description: 'The customer web chat (visitors)' },
        { name: 'bridge', description: 'Agent bridges: agents who answer from another workplace app (X-Bridge-Key)' },
        { name: 'ops', description: 'Health and metrics' },
      ],
    },
  });
  if (config.docs) await app.register(swaggerUi, { routePrefix: '/docs' });
  const customers = new CustomerService(db, clock, config.customerTokenTtlMs);
  const tpiAuth = new TpiAuthenticator(channels, cluster.replays, clock);
  await app.register(uploadRoutes, { auth: tpiAuth, customers, files, metrics, channelRate: cluster.channelRate, clientRate: cluster.clientRate, bodyLimit: config.maxUploadBytes + 64 * 1024 });
  await app.register(tpiRoutes, {
    db,
    customers,
    transfers,
    requests,
    sessions,
    waitEstimator,
    auth: tpiAuth,
    channelRate: cluster.channelRate,
    clientRate: cluster.clientRate,
    metrics,
    files,
    maxImageBytes: config.maxImageBytes,
    bodyLimit: Math.ceil((config.maxImageBytes * 4) / 3) + 64 * 1024,
  });
  await app.register(agentFileRoutes, { db, clock, agents, sessions, files, maxBytes: config.maxUploadBytes, publicUrl: config.publicUrl });
  await app.register(agentRoutes, { db, events, agents, sessions, typing, logins: cluster.logins, clock });
  await app.register(workspaceRoutes, { db, clock });
  await app.register(leftMessagesRoutes, { db, events, clock });
  await app.register(queueRoutes, { db, clock, router, agents });
  await app.register(offerRoutes, { db, clock, router, agents, transfers });
  await app.register(colleagueRoutes, { db, clock });
  await app.register(supervisorRoutingRoutes, { db, clock, router, transfers });
  await app.register(bridgeRoutes, { db, bridges, agents, sessions, router });
  await app.register(supervisorRoutes, {
    db,
    agents,
    clock,
    timeZone: config.reportTimeZone,
    waitEstimator,
    // Delivery marks: a supervisor sends a failed reply again.
    retryWindowMs: config.delivery.windowMs,
    redelivered: () => events.emit({ type: 'outbox' }),
  });
  await app.register(adminRoutes, {
    db,
    clock,
    async changed(what) {
      if (what === 'channels') {
        // This process at once, so the admin's answer means "in force"; the others through the bus.
        await channels.reload();
        events.emit({ type: 'channels-changed' });
      }
      void router.wake();
      void sweeper.sweep();
      events.emit({ type: 'capacity' });
    },
    revoked: (agentId) => events.emit({ type: 'tokens-revoked', agentId }),
    retryWindowMs: config.delivery.windowMs,
    redelivered: () => events.emit({ type: 'outbox' }),
  });
  await app.register(opsRoutes, { db, metrics, ready: () => ready, redis: clusterMode && (() => clusterMode.ping()) });
  const webChannels = new WebChannels((id) => channels.byId(id));
  const webChannel = (id: string) => webChannels.get(id);
  const visitors = new VisitorService(db, clock);
  const conversations = new ConversationService({
    db,
    clock,
    events,
    requests,
    sessions,
    estimate: (queueId, place) => waitEstimator.estimate(queueId, place),
    maxImageBytes: config.maxImageBytes,
  });
  await app.register(webChatRoutes, {
    db,
    channel: webChannel,
    visitors,
    conversations,
    visitorRate: cluster.visitorRate,
    addressRate: cluster.addressRate,
    maxImageBytes: config.maxImageBytes,
  });
  await app.register(webChatPages, { root: config.widgetDir, channel: webChannel });
  await app.register(consoleRoutes, { root: config.consoleDir });

  const sockets = attachAgentSockets(app.server, { db, events, agents, typing, clock, log, awayAfterMs: config.awayAfterMs, feedRecheckMs: config.feedRecheckMs, presenceStore: cluster.presence });
  const { io } = sockets;
  const stopVisitorSockets = attachVisitorSockets(io, { db, events, visitors, conversations, channel: webChannel, clock, log });
  if (clusterMode) {
    const unavailable = clusterMode.unavailable;
    for (const nsp of [io.of('/'), io.of('/webchat')]) {
      nsp.use((_socket, next) => {
        const why = unavailable();
        next(why === undefined ? undefined : new Error(`unavailable: ${why}`));
      });
    }
    clusterMode.onChange((up) => {
      // Lost: the feeds here would miss the other nodes' events; back: they may have missed some.
      // Either way they reconnect (elsewhere, or here once it is back) and catch up.
      io.of('/').local.disconnectSockets(true);
      io.of('/webchat').local.disconnectSockets(true);
      if (!up) return;
      // Whatever went through Redis meanwhile was not heard here: an admin's change of a channel
      // (a revoked key, new webhook secrets), and presence (a Redis that restarted empty).
      channels.reload().catch((error: unknown) => log.error({ err: error }, 'reloading channels after Redis came back failed'));
      bridges.reload().catch((error: unknown) => log.error({ err: error }, 'reloading agent bridges after Redis came back failed'));
      sockets.recover().catch((error: unknown) => log.error({ err: error }, 'presence catch-up after Redis came back failed'));
      void router.wake();
      void sweeper.sweep();
      worker.wake();
    });
  }

  return {
    app,
    store,
    io,
    metrics,
    events,
    router,
    sweeper,
    worker,
    channels,
    async start() {
      await app.ready();
      await sockets.start();
      sweeper.start();
      worker.start();
      await sweeper.sweep();
      await router.wake();
      ready = true;
    },
    async close() {
      ready = false;
      await sweeper.stop();
      await worker.stop();
      stopVisitorSockets();
      stopRequestStatus();
      await sockets.close();
      // Requests under way finish and are answered; a keep-alive connection is closed as soon as
      // it is idle (a load balancer's would otherwise hold the close up for keepAliveTimeout).
      const idle = setInterval(() => app.server.closeIdleConnections(), 50);
      await app.close().finally(() => clearInterval(idle));
      await fetchers.close();
      await router.wake();
      await clusterMode?.close().catch((error: unknown) => log.warn({ err: error }, 'closing the Redis connections failed'));
      // A store that already failed keeps the row: the next start on this machine takes it over.
      await lease.release().catch((error: unknown) => log.warn({ err: error }, 'could not leave the store'));
      await store.close();
    },
  };
}
