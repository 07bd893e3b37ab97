// A bridge in miniature: one customer asks for an agent, says hello, prints what the agent
// answers, and ends the chat. The platform's callbacks arrive at this process's receiver.
//
//   PLATFORM_URL   the platform (or webchat-mock), default http://127.0.0.1:8080
//   CHANNEL_KEY    the channel's key
//   WEBHOOK_SECRET the channel's webhook secret (whsec_…)
//   LISTEN_PORT    where this process takes callbacks (the channel's callbackBase), default 9000
//   QUEUE_ID       default 1
import http from 'node:http';
import { CallbackReceiver, TpiClient, TpiError } from '@elitewebchat/sdk';

const env = (name, fallback) => process.env[name] ?? fallback;
const clientId = `demo-${Date.now()}`;
const tpi = new TpiClient({ url: env('PLATFORM_URL', 'http://127.0.0.1:8080'), key: env('CHANNEL_KEY') });

let sessionId;
let finished;
const done = new Promise((resolve) => (finished = resolve));

const receiver = new CallbackReceiver({
  secrets: [env('WEBHOOK_SECRET')],
  handlers: {
    async create(event) {
      if (event.clientId !== clientId) return;
      sessionId = event.sessionId;
      console.log(`connected to ${event.agentName} (session ${sessionId})`);
      // Your own id for the message: if this handler runs again (the callback is retried), it is stored once.
      await tpi.sendText({ sessionId, clientId, text: 'Hello, where is my parcel?', msgId: `${clientId}-hello` });
    },
    async msg(event) {
      if (event.sessionId !== sessionId) return;
      console.log(`${event.agentName}: ${event.content}`);
      // The first answer is enough for a demonstration.
      finished();
    },
    close(event) {
      if (event.sessionId === sessionId) finished();
    },
  },
  onProblem: (p) => console.error(`callback refused: ${p.name} ${p.status} ${p.message}`),
});
const server = http.createServer(receiver.node);
await new Promise((resolve) => server.listen(Number(env('LISTEN_PORT', 9000)), '127.0.0.1', resolve));

try {
  const answer = await tpi.requestChat({ clientId, queueId: Number(env('QUEUE_ID', 1)), nickname: 'Demo customer' });
  console.log(`waiting: request ${answer.requestId}, place ${answer.queueLength}`);
  const timeout = setTimeout(() => finished('timed out'), 60_000);
  const outcome = await done;
  clearTimeout(timeout);
  if (outcome) throw new Error(outcome);
  await tpi.close({ sessionId });
  console.log('chat ended');
} catch (error) {
  console.error(error instanceof TpiError ? `refused: ${error.codeName}: ${error.answer.message}` : error);
  process.exitCode = 1;
} finally {
  server.close();
}
