/**
 * WAL checkpoints in a worker thread. SQLite's automatic checkpoint runs inside whichever
 * commit crosses the threshold, on the main thread, with an fsync; here the main connection
 * only appends to the WAL and a second connection on its own thread copies it back into the
 * database file. Should the thread die, the main connection checkpoints itself again.
 *
 * The WAL starts over only when a write begins with every frame copied back, which under a
 * steady stream of writes the other thread never quite achieves; so once the file has grown
 * past a limit, the main connection (the only writer) finishes the copy itself, which costs
 * little since the worker has copied nearly all of it, and the next write starts the WAL anew.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Database } from 'better-sqlite3';

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const SQLite = require(workerData.driver);
const db = new SQLite(workerData.file);
db.pragma('busy_timeout = 5000');
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (error) { parentPort.postMessage({ error: String(error) }); }
}, workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m === 'stop') { clearInterval(timer); try { db.pragma('wal_checkpoint(TRUNCATE)'); } catch {} db.close(); parentPort.postMessage('stopped'); }
});
`;

export interface Checkpointer {
  stop(): Promise<void>;
}

const WAL_LIMIT_BYTES = 64 * 1024 * 1024;

export function startCheckpointer(database: Database, file: string, intervalMs = 500): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  database.pragma('wal_autocheckpoint = 0');
  const restart = setInterval(() => {
    try {
      if (database.open && !database.inTransaction && fs.statSync(`${file}-wal`).size > WAL_LIMIT_BYTES) database.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // No WAL file yet, or busy: the next tick tries again.
    }
  }, 1_000);
  restart.unref();
  const worker = new Worker(WORKER, { eval: true, workerData: { file, driver, intervalMs } });
  worker.unref();
  const fallBack = () => {
    if (database.open) database.pragma('wal_autocheckpoint = 1000');
  };
  worker.on('error', fallBack);
  worker.on('exit', fallBack);
  let stopped: Promise<void> | undefined;
  return {
    // Once: a second stop gets the first one's answer.
    stop: () =>
      (stopped ??= new Promise<void>((resolve) => {
        clearInterval(restart);
        const done = () => {
          worker.removeListener('exit', fallBack);
          resolve();
        };
        worker.once('message', () => void worker.terminate().then(done, done));
        worker.once('exit', done);
        worker.postMessage('stop');
      })),
  };
}
