/**
 * A real cluster for tests: N server processes (`node dist/main.js`) on one fresh PostgreSQL
 * schema, a Redis server of the test's own (so that it can be stopped and started without
 * disturbing other tests), and optionally Debian's nginx in front, configured with the very
 * file the docs give (deploy/nginx/elitewebchat.conf).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Provisioning } from '../provisioning/schema.js';
import { freePort, HttpClient, startChildServer, type ChildServer } from './child-server.js';
import { freshStore, type TestStore } from './stores.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A redis-server process on a free port, keeping nothing on disk. */
export class RedisServer {
  private proc: ChildProcess | undefined;
  private constructor(readonly port: number) {}

  static async start(): Promise<RedisServer> {
    const server = new RedisServer(await freePort());
    await server.start();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const proc = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'warning'], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc = proc;
    let out = '';
    proc.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    proc.stderr!.on('data', (c: Buffer) => (out += c.toString()));
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (proc.exitCode !== null) throw new Error(`redis-server exited: ${out}`);
      if (await answers(this.port)) return;
      if (Date.now() > deadline) throw new Error(`redis-server did not start: ${out}`);
      await sleep(50);
    }
  }

  /** SIGSTOP / SIGCONT: silent, its connections open (a frozen host), then answering again. */
  freeze(frozen: boolean): void {
    this.proc?.kill(frozen ? 'SIGSTOP' : 'SIGCONT');
  }

  /** SIGKILL: gone at once, with everything it held. */
  async kill(): Promise<void> {
    const proc = this.proc;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const gone = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGKILL');
    await gone;
  }
}

/** Whether something on the port answers a Redis PING. */
async function answers(port: number): Promise<boolean> {
  const net = await import('node:net');
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.setTimeout(500);
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (d) => {
      socket.destroy();
      resolve(d.toString().startsWith('+PONG'));
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

export const NGINX_CONF = fileURLToPath(new URL('../../../../deploy/nginx/elitewebchat.conf', import.meta.url));

/** Debian's nginx with the documented configuration, its upstream servers replaced by `ports`. */
export class Nginx {
  private constructor(
    readonly url: string,
    private readonly proc: ChildProcess,
    private readonly dir: string,
  ) {}

  static async start(ports: number[], dir: string): Promise<Nginx> {
    const port = await freePort();
    const site = fs
      .readFileSync(NGINX_CONF, 'utf8')
      .replace(/^\s*server 127\.0\.0\.1:\d+ .*;$\n?/gm, '')
      .replace(/(upstream elitewebchat \{\n(?:\s*#.*\n)*\s*least_conn;\n)/, `$1${ports.map((p) => `    server 127.0.0.1:${p} max_fails=1 fail_timeout=5s;\n`).join('')}`)
      .replace(/listen 8080;/, `listen 127.0.0.1:${port};`);
    if (!site.includes(`127.0.0.1:${ports[0]}`)) throw new Error('could not put the test nodes into the nginx configuration');
    const root = path.join(dir, 'nginx');
    fs.mkdirSync(root, { recursive: true });
    fs.writeFileSync(path.join(root, 'site.conf'), site);
    fs.writeFileSync(
      path.join(root, 'nginx.conf'),
      [
        'worker_processes 1;',
        `pid ${root}/nginx.pid;`,
        `error_log ${root}/error.log warn;`,
        'events { worker_connections 1024; }',
        'http {',
        '  access_log off;',
        ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${root}/${t};`),
        `  include ${root}/site.conf;`,
        '}',
      ].join('\n'),
    );
    const proc = spawn('/usr/sbin/nginx', ['-p', root, '-c', path.join(root, 'nginx.conf'), '-g', 'daemon off;'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    proc.stderr!.on('data', (c: Buffer) => (out += c.toString()));
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (proc.exitCode !== null) throw new Error(`nginx exited: ${out}`);
      try {
        const res = await fetch(`${url}/healthz`);
        if (res.status === 200) return new Nginx(url, proc, root);
      } catch {
        // not yet
      }
      if (Date.now() > deadline) throw new Error(`nginx did not start: ${out}`);
      await sleep(50);
    }
  }

  errors(): string {
    try {
      return fs.readFileSync(path.join(this.dir, 'error.log'), 'utf8');
    } catch {
      return '';
    }
  }

  async stop(): Promise<void> {
    if (this.proc.exitCode !== null) return;
    const gone = new Promise((r) => this.proc.once('exit', r));
    this.proc.kill('SIGQUIT');
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), 3_000);
    await gone;
    clearTimeout(timer);
  }
}

export interface ClusterOptions {
  nodes: number;
  provisioning: Provisioning;
  /** Added to every node's environment. */
  env?: Record<string, string>;
}

/** N nodes of one platform; node i keeps its port across restarts. */
export class TestCluster {
  readonly nodes: (ChildServer | undefined)[] = [];
  readonly clients: HttpClient[] = [];
  private constructor(
    readonly store: TestStore,
    readonly redis: RedisServer,
    readonly ports: number[],
    private readonly env: Record<string, string>,
    private readonly tpiHeaders: Record<string, string>,
  ) {}

  static async start(options: ClusterOptions, tpiHeaders: Record<string, string> = {}): Promise<TestCluster> {
    const store = await freshStore('postgres');
    const redis = await RedisServer.start();
    const file = path.join(store.dataDir, 'webchat.yaml');
    // JSON is YAML.
    fs.writeFileSync(file, JSON.stringify(options.provisioning, null, 2));
    const env = { ...store.env, REDIS_URL: redis.url, LOG_LEVEL: 'warn', WEBCHAT_CONFIG: file, ...options.env };
    const ports: number[] = [];
    for (let i = 0; i < options.nodes; i++) ports.push(await freePort());
    const cluster = new TestCluster(store, redis, ports, env, tpiHeaders);
    // All at once: they apply the provisioning file one after another. One that fails to start
    // takes the others, Redis and the store with it, rather than leaving them running.
    const started = await Promise.allSettled(ports.map((_, i) => cluster.startNode(i)));
    const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) {
      await cluster.stop();
      throw failed.reason;
    }
    return cluster;
  }

  url(i: number): string {
    return `http://127.0.0.1:${this.ports[i]}`;
  }

  async startNode(i: number): Promise<ChildServer> {
    const node = await startChildServer({ env: { ...this.env, NODE_NAME: `n${i + 1}` }, port: this.ports[i]!, readyTimeoutMs: 30_000 });
    this.nodes[i] = node;
    await this.clients[i]?.close();
    this.clients[i] = new HttpClient(node.url, this.tpiHeaders);
    return node;
  }

  /** The node's output: what it logged. */
  output(i: number): string {
    return this.nodes[i]?.output() ?? '';
  }

  async stop(): Promise<void> {
    for (const node of this.nodes) await node?.kill9();
    for (const client of this.clients) await client.close();
    await this.redis.kill();
    await this.store.drop();
  }
}
