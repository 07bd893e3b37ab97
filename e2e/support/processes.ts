/**
 * Real processes for the tests that run what a stranger runs (`npm start`, the README's
 * commands): each child leads its own process group, so the whole tree it starts can be
 * signalled, waited for and, whatever happens, killed.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export { freePort } from '../../packages/server/src/test-support/child-server.js';

/** Whether something on 127.0.0.1 accepts a connection on the port (within timeoutMs). */
export function accepts(port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const done = (answer: boolean) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Polls `probe` until it gives a value other than undefined; throws after timeoutMs, naming what it waited for. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs: number, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** GET on 127.0.0.1, bounded; the status, or undefined when nothing answered. */
export async function httpStatus(port: number, urlPath: string, timeoutMs = 2_000): Promise<number | undefined> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}${urlPath}`, { signal: AbortSignal.timeout(timeoutMs) });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return undefined;
  }
}

export interface Group {
  readonly proc: ChildProcess;
  /** The group's id: the leader's pid. */
  readonly pgid: number;
  /** Everything written to stdout so far (by any process of the group that inherited it). */
  stdout(): string;
  stderr(): string;
  /** The leader's exit, bounded: its code and signal, or it throws after timeoutMs. */
  exit(timeoutMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly exited: boolean;
  /** Signals every process of the group; false when the group is gone. */
  signalGroup(signal: NodeJS.Signals): boolean;
  /** Whether any process of the group is still alive (zombies aside). */
  groupAlive(): boolean;
  /** SIGKILL to the whole group, if anything is left of it. Never throws. */
  killGroup(): void;
}

/** Spawns `command` as the leader of a new process group (detached), output captured. */
export function spawnGroup(command: string, args: readonly string[], options: Omit<SpawnOptions, 'detached' | 'stdio'>): Group {
  const proc = spawn(command, args, { ...options, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  if (proc.pid === undefined) throw new Error(`could not start ${command}`);
  const pgid = proc.pid;
  let out = '';
  let err = '';
  proc.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  proc.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  let exited = false;
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    proc.once('exit', (code, signal) => {
      exited = true;
      resolve({ code, signal });
    });
  });
  const signalGroup = (signal: NodeJS.Signals | 0): boolean => {
    try {
      process.kill(-pgid, signal);
      return true;
    } catch {
      return false;
    }
  };
  return {
    proc,
    pgid,
    stdout: () => out,
    stderr: () => err,
    get exited() {
      return exited;
    },
    exit: (timeoutMs) =>
      Promise.race([
        exit,
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${command} did not exit within ${timeoutMs} ms`)), timeoutMs).unref()),
      ]),
    signalGroup: (signal) => signalGroup(signal),
    groupAlive: () => signalGroup(0),
    killGroup: () => void signalGroup('SIGKILL'),
  };
}

/** The pino JSON lines of a process's output, other lines (npm's banner, a shell's) left out. */
export function logLines(output: string): Array<Record<string, unknown> & { msg?: string }> {
  const lines: Array<Record<string, unknown> & { msg?: string }> = [];
  for (const line of output.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      lines.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      // not a log line
    }
  }
  return lines;
}
