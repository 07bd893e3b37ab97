/**
 * Every method of TpiClient puts on the wire the type number the protocol documents give its
 * call (webchat-tpi.zh.md for the seed, LATER.md for the later wire), written out here from those
 * documents rather than taken from the code's constants, and a message id where retries need one.
 */
import http from 'node:http';
import { afterEach, expect, it } from 'vitest';
import { TpiClient } from '../src/client.js';
import { CALLS, type CallName } from '../src/wire.js';
import { closeServer, listenOnLoopback } from './sdk-world.js';

/** Method → [the documents' type number, a body]. */
const DOCUMENTED: Record<CallName, [number, Record<string, unknown>]> = {
  requestChat: [1000, { clientId: 'c', queueId: 1 }],
  pollRequest: [1001, { requestId: 1 }],
  cancelRequest: [1002, { requestId: 1 }],
  seedPreMessage: [2005, { requestId: 1, clientId: 'c', text: 'waiting' }],
  sendText: [2001, { sessionId: 1, clientId: 'c', text: 'hi' }],
  sendImage: [2002, { sessionId: 1, clientId: 'c', imageData: 'data:image/png;base64,AA==' }],
  close: [4001, { sessionId: 1, clientId: 'c' }],
  rate: [5001, { sessionId: 1, clientId: 'c', rating: 5 }],
  changeClient: [5002, { sessionId: 1, clientId: 'c', newClientId: 'd' }],
  logon: [1, { loginName: 'n', password: 'p' }],
  logout: [2, { token: 't' }],
  logonOrRegister: [3, { loginName: 'n', name: 'N' }],
  visitorLogon: [4, { visitorId: '0F8FAD5B-D9CB-469F-A165-70867728950E' }],
  agentLogon: [5, { loginName: 'n', password: 'p' }],
  sendVoice: [2003, { token: 't', sessionId: 1, voiceLength: 2, voiceUri: 'u' }],
  sendLocation: [2004, { token: 't', sessionId: 1, latitude: 31.2, longitude: 121.5 }],
  sendFile: [2005, { token: 't', sessionId: 1, fileUrl: 'u' }],
  sendVideo: [2006, { token: 't', sessionId: 1, sightUri: 'u' }],
  preMessage: [2020, { token: 't', requestId: 1, text: 'waiting' }],
  preview: [2021, { token: 't', sessionId: 1, text: 'typi' }],
  typing: [2022, { token: 't', sessionId: 1 }],
  transferToHuman: [2023, { token: 't', sessionId: 1 }],
  notice: [2024, { token: 't', sessionId: 1, noticeType: 6, notice: '12' }],
  history: [5003, { token: 't' }],
  availableAgents: [5004, { token: 't', queueId: 1 }],
};

let server: http.Server | undefined;
afterEach(async () => {
  if (server) await closeServer(server);
  server = undefined;
});

it('sends each call with the type number of the protocol documents, and a message id on every message', async () => {
  const bodies: Record<string, unknown>[] = [];
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>);
      res.end('{"result":1,"message":"success"}');
    });
  });
  const client = new TpiClient({ url: await listenOnLoopback(server) });
  // Every method the client has is listed above, and nothing else.
  expect(Object.keys(DOCUMENTED).sort()).toEqual(Object.keys(CALLS).sort());
  for (const [name, [, body]] of Object.entries(DOCUMENTED) as [CallName, [number, Record<string, unknown>]][]) {
    await (client[name] as (b: Record<string, unknown>) => Promise<unknown>)(body);
  }
  expect(bodies.map((b) => b.type)).toEqual(Object.values(DOCUMENTED).map(([type]) => type));
  // Messages carry an id (msgId on the seed wire, messageId with a token) so that a retry is stored once.
  const idOf = (name: CallName) => {
    const b = bodies[Object.keys(DOCUMENTED).indexOf(name)]!;
    return typeof b.msgId === 'string' ? 'msgId' : typeof b.messageId === 'string' ? 'messageId' : undefined;
  };
  expect(['sendText', 'sendImage'].map((n) => idOf(n as CallName))).toEqual(['msgId', 'msgId']);
  expect((['sendVoice', 'sendLocation', 'sendFile', 'sendVideo'] as const).map(idOf)).toEqual(['messageId', 'messageId', 'messageId', 'messageId']);
  expect((['requestChat', 'close', 'notice', 'transferToHuman'] as const).map(idOf)).toEqual([undefined, undefined, undefined, undefined]);
});
