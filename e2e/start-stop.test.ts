/**
 * `npm start` for real, as a stranger runs it: it builds, starts, says in one line where
 * everything is, keeps health probes out of the info log, and stops on a SIGTERM to npm (what a
 * process manager sends) or a Ctrl-C in a terminal (SIGINT to the whole process group), leaving
 * no process behind and the port free.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { accepts, freePort, httpStatus, logLines, REPO, spawnGroup, waitFor, type Group } from './support/processes.js';

/** `npm start` builds first (tsc -b, vite build): about 15 s here, more on a busy machine. */
const START_TIMEOUT_MS = 120_000;
/** main.ts forces an exit 15 s after a signal if closing hangs. */
const STOP_TIMEOUT_MS = 20_000;
const TEST_TIMEOUT_MS = START_TIMEOUT_MS + STOP_TIMEOUT_MS + 30_000;

const START_LINE = 'EliteWebChat is running';

interface Started {
  g: Group;
  port: number;
}

describe('npm start', () => {
  const groups: Group[] = [];
  const dirs: string[] = [];

  afterEach(() => {
    for (const g of groups.splice(0)) g.killGroup();
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  async function npmStart(): Promise<Started> {
    const port = await freePort();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ewc-start-'));
    dirs.push(dataDir);
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'info' };
    // As in a stranger's shell: Vitest's NODE_ENV=test would make vite bundle React's development
    // build into the console that the other browser tests use; the rest are the defaults.
    for (const name of ['NODE_ENV', 'HOST', 'DOCS', 'DATABASE_URL', 'WEBCHAT_CONFIG', 'CONSOLE_DIR']) delete env[name];
    const began = Date.now();
    const g = spawnGroup('npm', ['start'], { cwd: REPO, env });
    groups.push(g);
    await waitFor(
      `npm start to answer on port ${port}`,
      async () => {
        if (g.exited) throw new Error(`npm start exited before answering:\n${g.stdout()}\n${g.stderr()}`);
        return (await httpStatus(port, '/healthz')) === 200 ? true : undefined;
      },
      START_TIMEOUT_MS,
      250,
    );
    console.log(`npm start answered after ${((Date.now() - began) / 1000).toFixed(1)} s`);
    return { g, port };
  }

  /** npm has exited, no process of its group is left, nothing accepts connections on the port. */
  async function expectStopped({ g, port }: Started, signal: NodeJS.Signals): Promise<void> {
    const { code, signal: by } = await g.exit(STOP_TIMEOUT_MS);
    expect([0, 130, 143].includes(code ?? -1) || by === signal, `npm exit: code ${code}, signal ${by}`).toBe(true);
    await waitFor(`port ${port} to be free`, async () => ((await accepts(port)) ? undefined : true), 5_000);
    await waitFor(`every process of npm's group (${g.pgid}) to be gone`, () => (g.groupAlive() ? undefined : true), 5_000);
    // It was the server's own graceful stop, not a kill.
    expect(logLines(g.stdout()).some((l) => l.msg === 'shutting down' && l.signal === signal), g.stdout()).toBe(true);
  }

  it(
    'says where everything is in one line, logs requests but not probes, and stops on SIGTERM to npm',
    async () => {
      const started = await npmStart();
      const { g, port } = started;
      const base = `http://127.0.0.1:${port}`;

      await waitFor('the start line', () => (g.stdout().includes(START_LINE) ? true : undefined), 5_000);
      for (let i = 0; i < 3; i++) {
        expect(await httpStatus(port, '/healthz')).toBe(200);
        expect(await httpStatus(port, '/readyz')).toBe(200);
      }
      expect(await httpStatus(port, '/api/v1/agent/me')).toBe(401);
      // Requests are logged in order: once the 401 is, the probes before it would have been.
      const me = await waitFor(
        'the 401 of GET /api/v1/agent/me in the log',
        () => {
          const lines = logLines(g.stdout());
          const incoming = lines.find((l) => (l.req as { url?: string } | undefined)?.url === '/api/v1/agent/me');
          const completed = incoming && lines.find((l) => l.reqId === incoming.reqId && (l.res as { statusCode?: number } | undefined)?.statusCode === 401);
          return completed ? { incoming, completed } : undefined;
        },
        5_000,
      );
      expect(me.incoming.level).toBe(30);
      expect(me.completed.level).toBe(30);

      const lines = logLines(g.stdout());
      const probes = lines.filter((l) => /\/(healthz|readyz)\b/.test(JSON.stringify(l)));
      expect(probes, 'no log line mentions the health probes').toEqual([]);

      g.proc.kill('SIGTERM');
      await expectStopped(started, 'SIGTERM');

      const startLines = logLines(g.stdout()).filter((l) => l.msg?.startsWith(START_LINE));
      expect(startLines).toHaveLength(1);
      expect(startLines[0]!.level).toBe(30);
      // The first start made the web chat `web`.
      expect(startLines[0]!.msg).toBe(`${START_LINE}: console ${base}/ · web chat ${base}/chat/web · TPI POST ${base}/EliteWebChat/tpi · API docs ${base}/docs`);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'stops on Ctrl-C (SIGINT to the whole process group)',
    async () => {
      const started = await npmStart();
      expect(started.g.signalGroup('SIGINT')).toBe(true);
      await expectStopped(started, 'SIGINT');
    },
    TEST_TIMEOUT_MS,
  );
});
