// The baselines of the connections benchmark, each a child process started with the heap probe
// (heap-probe.mjs) and IPC:
//   ws        a plain `ws` WebSocketServer on node:http that keeps every connection and does
//             nothing else: the floor for holding a WebSocket in Node (the goal's baseline);
//   engineio  a bare engine.io server (the transport under Socket.IO, its default options) that
//             sends one message on each connection (for reference);
//   socketio  a bare Socket.IO server with the platform's options and a /webchat namespace whose
//             middleware checks that a token is given, keeps a little data on the socket and
//             joins a room, as the platform's does: what Socket.IO itself costs (for reference).
// Both listen on 127.0.0.1, tell the bench their port over IPC, answer {type:'count'} with the
// connections they hold, and end when the bench goes.
import http from 'node:http';
import process from 'node:process';
import { Server as EngineServer } from 'engine.io';
import { Server } from 'socket.io';
import { WebSocketServer } from 'ws';

const mode = process.argv[2];
if (mode !== 'ws' && mode !== 'engineio' && mode !== 'socketio') throw new Error(`mode must be ws, engineio or socketio, got ${mode}`);

const server = http.createServer((_req, res) => {
  res.writeHead(404);
  res.end();
});
let open = 0;

if (mode === 'ws') {
  const wss = new WebSocketServer({ server });
  wss.on('connection', (ws) => {
    open++;
    ws.on('close', () => open--);
    ws.on('error', () => {});
  });
} else if (mode === 'engineio') {
  const engine = new EngineServer({ transports: ['websocket'] });
  engine.attach(server, { path: '/engine.io/' });
  engine.on('connection', (socket) => {
    open++;
    socket.on('close', () => open--);
    socket.send('state');
  });
} else {
  const io = new Server(server, { path: '/socket.io', serveClient: false, cors: { origin: false } });
  const nsp = io.of('/webchat');
  nsp.use((socket, next) => {
    const token = /** @type {{ token?: unknown }} */ (socket.handshake.auth).token;
    if (typeof token !== 'string') return next(new Error('unauthenticated: pass auth.token'));
    socket.data.visitor = { id: token };
    void socket.join(`visitor:${token}`);
    next();
  });
  nsp.on('connection', (socket) => {
    open++;
    socket.on('disconnect', () => open--);
    socket.emit('state', { state: 'idle' });
  });
}

server.listen(0, '127.0.0.1', () => {
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  process.send?.({ type: 'listening', port });
});
process.on('message', (/** @type {any} */ m) => {
  if (m?.type === 'count') process.send?.({ type: 'count', open });
});
process.on('disconnect', () => process.exit(0));
