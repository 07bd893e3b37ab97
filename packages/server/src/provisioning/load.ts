/** Reads and checks a provisioning file; every problem is reported at once, with its place. */
import fs from 'node:fs';
import { Compile } from 'typebox/compile';
import { parse } from 'yaml';
import { isValidSecret } from '../delivery/signature.js';
import { baseUrlProblem } from '../modules/directory/index.js';
import { parseCidr } from '../common/cidr.js';
import { isValidTimeZone, validateDateExceptions, validateHours } from '../routing/hours.js';
import { Provisioning, type ChannelSpec } from './schema.js';

const TPI_ONLY = ['key', 'callbackBase', 'allowServerAddr', 'serverAddrPolicy', 'allowFrom', 'signingSecret', 'webhookSecrets'] as const;
const WEB_ONLY = ['queues', 'allowedOrigins', 'identitySecret', 'preChatFields'] as const;

/** A field of the other kind is a mistake worth naming, not something to ignore. */
function channelKindProblems(c: ChannelSpec, queueIds: Set<number>): string[] {
  const web = c.kind === 'web';
  const wrong = (web ? TPI_ONLY : WEB_ONLY).filter((f) => c[f] !== undefined);
  const problems = wrong.map((f) => `${f}: only for a channel of kind ${web ? 'tpi' : 'web'}`);
  if (!web) return problems;
  if (!c.queues) problems.push('queues: a web channel lists the queues it offers');
  for (const q of c.queues ?? []) if (!queueIds.has(q)) problems.push(`queues: no queue ${q} in this file`);
  for (const origin of c.allowedOrigins ?? []) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') || parsed.origin !== origin) {
      problems.push(`allowedOrigins: "${origin}" is not an origin like https://shop.example.com (scheme, host and port only)`);
    }
  }
  const names = new Set<string>();
  for (const f of c.preChatFields ?? []) {
    if (names.has(f.name)) problems.push(`preChatFields: "${f.name}" appears twice`);
    names.add(f.name);
  }
  return problems;
}

export class ProvisioningError extends Error {}

const validator = Compile(Provisioning);

export function loadProvisioningFile(file: string): Provisioning {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new ProvisioningError(`cannot read WEBCHAT_CONFIG ${file}: ${(error as Error).message}`);
  }
  return parseProvisioning(text, file);
}

export function parseProvisioning(text: string, source = 'provisioning'): Provisioning {
  let doc: unknown;
  try {
    doc = parse(text) ?? {};
  } catch (error) {
    throw new ProvisioningError(`${source}: not valid YAML: ${(error as Error).message}`);
  }
  if (!validator.Check(doc)) {
    const problems = validator.Errors(doc).slice(0, 10).map((e) => `${e.instancePath || '/'}: ${e.message}`);
    throw new ProvisioningError(`${source}:\n  ${problems.join('\n  ')}`);
  }
  const problems: string[] = [];
  const queueIds = new Set<number>();
  for (const [i, q] of (doc.queues ?? []).entries()) {
    if (queueIds.has(q.id)) problems.push(`/queues/${i}: queue id ${q.id} appears twice`);
    queueIds.add(q.id);
    if (q.timezone && !isValidTimeZone(q.timezone)) problems.push(`/queues/${i}/timezone: unknown time zone "${q.timezone}"`);
    for (const p of validateHours(q.hours)) problems.push(`/queues/${i}/hours: ${p}`);
    for (const p of validateDateExceptions(q)) problems.push(`/queues/${i}/${p}`);
  }
  const bridgeIds = new Set<string>();
  for (const [i, b] of (doc.agentBridges ?? []).entries()) {
    if (bridgeIds.has(b.id)) problems.push(`/agentBridges/${i}: bridge id ${b.id} appears twice`);
    bridgeIds.add(b.id);
    const problem = baseUrlProblem(b.callbackBase);
    if (problem) problems.push(`/agentBridges/${i}/callbackBase: ${problem}`);
    for (const secret of b.webhookSecrets ?? []) if (!isValidSecret(secret)) problems.push(`/agentBridges/${i}/webhookSecrets: a secret is "whsec_" and at least 24 bytes in base64`);
  }
  const ids = new Set<string>();
  const usernames = new Set<string>();
  for (const [i, a] of (doc.agents ?? []).entries()) {
    if (ids.has(a.id)) problems.push(`/agents/${i}: agent id ${a.id} appears twice`);
    if (a.username !== undefined && usernames.has(a.username)) problems.push(`/agents/${i}: username ${a.username} appears twice`);
    ids.add(a.id);
    if (a.username !== undefined) usernames.add(a.username);
    if (a.bridge !== undefined && !bridgeIds.has(a.bridge)) problems.push(`/agents/${i}/bridge: no agent bridge ${a.bridge} in this file (agentBridges)`);
    if (a.bridge === undefined && (a.username === undefined || a.password === undefined)) {
      problems.push(`/agents/${i}: an agent who uses the console needs a username and a password (or a bridge, to work through an agent bridge)`);
    }
    for (const q of a.queues ?? []) if (!queueIds.has(q)) problems.push(`/agents/${i}/queues: no queue ${q} in this file`);
  }
  const channelIds = new Set<string>();
  for (const [i, c] of (doc.channels ?? []).entries()) {
    if (channelIds.has(c.id)) problems.push(`/channels/${i}: channel id ${c.id} appears twice`);
    channelIds.add(c.id);
    for (const [field, url] of [['callbackBase', c.callbackBase], ...(c.allowServerAddr ?? []).map((u) => ['allowServerAddr', u])] as const) {
      const problem = url === undefined ? undefined : baseUrlProblem(url);
      if (problem) problems.push(`/channels/${i}/${field}: ${problem}`);
    }
    for (const cidr of c.allowFrom ?? []) if (!parseCidr(cidr)) problems.push(`/channels/${i}/allowFrom: "${cidr}" is not an address or CIDR`);
    for (const s of c.webhookSecrets ?? []) if (!isValidSecret(s)) problems.push(`/channels/${i}/webhookSecrets: a secret is "whsec_" and at least 24 bytes in base64`);
    problems.push(...channelKindProblems(c, queueIds).map((p) => `/channels/${i}/${p}`));
  }
  const ratingIds = new Set<number>();
  for (const [i, r] of (doc.ratings ?? []).entries()) {
    if (ratingIds.has(r.id)) problems.push(`/ratings/${i}: rating id ${r.id} appears twice`);
    ratingIds.add(r.id);
  }
  if (problems.length > 0) throw new ProvisioningError(`${source}:\n  ${problems.join('\n  ')}`);
  return doc;
}
