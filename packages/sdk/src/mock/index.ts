/**
 * webchat-mock: a stand-in EliteWebChat platform for testing a third party's bridge. It speaks
 * the TPI (seed and later wire) at POST /EliteWebChat/tpi and /webchat/tpi, takes uploads at
 * /EliteWebChat/tpiu and /webchat/tpiu, calls back as the
 * platform does (signed, ordered per session, retried), and plays agents by a per-queue script.
 * docs/mock.md describes the configuration and the control API.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolveConfig, type MockConfig } from './config.js';
import { MockControl, answerControl } from './control.js';
import { isLoopback, refusal } from './guard.js';
import { MockPlatform } from './mock-platform.js';
import { MAX_BODY_BYTES } from './parse.js';
import type { MockState } from './state.js';
import { answerTpi } from './tpi.js';
import { TPIU_PATHS, answerUpload, uploadBodyLimit } from './uploads.js';
import { readBody } from '../read-body.js';

export { MockConfig, MockConfigError, resolveConfig, type MockAgent, type MockChannel, type MockCustomer, type MockQueue, type MockUploads, type ResolvedConfig, type ScriptedReply } from './config.js';
export { ControlError } from './control.js';
export type { CallbackAttempt, MockCallback, MockCustomerRecord, MockMessage, MockRequest, MockSession, MockState, MockUpload } from './state.js';

const TPI_PATHS = new Set(['/EliteWebChat/tpi', '/webchat/tpi']);

export interface RunningMock {
  /** e.g. http://127.0.0.1:8080: give it to TpiClient as its url. */
  url: string;
  /** Stops listening, the scripts and the callbacks still pending. */
  close(): Promise<void>;
  /** A copy of everything the mock holds: requests, sessions, messages, callbacks with their attempts. */
  state(): MockState;
  /** Resolves when every callback written so far was delivered. */
  callbacksDelivered(): Promise<void>;
  /** The control API, without HTTP. */
  agentMessage(sessionId: number, text: string): { messageId: number };
  pushRating(sessionId: number): void;
  closeSession(sessionId: number): void;
  acceptRequest(requestId: number, agentId?: string): { sessionId: number };
  endRequest(requestId: number, requestStatus: number): void;
}

/** Starts the mock on `config.host` (default 127.0.0.1) and `config.port` (default 0: any free port). */
export async function startMock(config: MockConfig = {}): Promise<RunningMock> {
  const resolved = resolveConfig(config);
  const platform = new MockPlatform(resolved);
  const control = new MockControl(platform);
  const uploadLimit = uploadBodyLimit(resolved.channels);
  const loopbackOnly = isLoopback(config.host ?? '127.0.0.1');
  const server = http.createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ ok: false, error: error instanceof Error ? error.message : String(error) }));
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(body));
    };
    // Refused before its body is read.
    const refused = refusal(req, path, loopbackOnly);
    if (refused) return send(403, { ok: false, error: refused });
    const raw = await readBody(req, TPIU_PATHS.has(path) ? uploadLimit : MAX_BODY_BYTES);
    if (TPI_PATHS.has(path)) {
      if (req.method !== 'POST') return send(404, { result: -8, message: `${req.method} ${path}: the TPI takes POST only` });
      const answer = raw === undefined ? { result: -8, message: `body is larger than ${MAX_BODY_BYTES} bytes` } : await answerTpi(platform, req.headers, raw);
      return send(200, answer);
    }
    if (TPIU_PATHS.has(path)) {
      if (req.method !== 'POST') return send(404, { result: -8, message: `${req.method} ${path}: uploads take POST only` });
      return send(200, await answerUpload(platform, path, req.headers, raw, uploadLimit));
    }
    const answer = answerControl(platform, control, req.method ?? 'GET', path, raw ?? Buffer.alloc(0));
    if (answer) return send(answer.status, answer.body);
    send(404, { ok: false, error: `no route ${req.method} ${path}` });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port ?? 0, config.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${address.port}`,
    close: () =>
      (closing ??= (async () => {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await platform.stop();
      })()),
    state: () => platform.state(),
    callbacksDelivered: () => platform.sender.idle(),
    agentMessage: (sessionId, text) => control.agentMessage(sessionId, text),
    pushRating: (sessionId) => control.pushRating(sessionId),
    closeSession: (sessionId) => control.close(sessionId),
    acceptRequest: (requestId, agentId) => control.accept(requestId, agentId),
    endRequest: (requestId, requestStatus) => control.end(requestId, requestStatus),
  };
}
