// The baseline: a bare node:http server that does the least a JSON endpoint can do. It reads
// the POST body, JSON.parses it and answers the TPI's success answer as JSON. Run as a child
// process by run.mjs; it reports its port over IPC (or prints it when run by hand).
//
//   node bench/echo-server.mjs [port]
import { Buffer } from 'node:buffer';
import http from 'node:http';
import process from 'node:process';

const ANSWER = JSON.stringify({ result: 1, message: 'success' });

const server = http.createServer((req, res) => {
  /** @type {Buffer[]} */
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    let answer = ANSWER;
    try {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      if (typeof body !== 'object' || body === null) throw new Error('not an object');
    } catch {
      answer = JSON.stringify({ result: -8, message: 'body is not valid JSON' });
    }
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(answer) });
    res.end(answer);
  });
});

server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  if (process.send) process.send({ port });
  else console.log(`echo listening on http://127.0.0.1:${port}`);
});

const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// Never outlive the benchmark that started it.
process.on('disconnect', () => process.exit(0));
