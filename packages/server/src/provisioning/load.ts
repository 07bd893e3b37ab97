/** Reads and checks a provisioning file; every problem is reported at once, with its place. */
import fs from 'node:fs';
import { Compile } from 'typebox/compile';
import { parse } from 'yaml';
import { isValidSecret } from '../delivery/signature.js';
import { baseUrlProblem } from '../modules/directory/index.js';
import { parseCidr } from '../common/cidr.js';
import { isValidTimeZone, validateHours } from '../routing/hours.js';
import { Provisioning } from './schema.js';

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
  }
  const ids = new Set<string>();
  const usernames = new Set<string>();
  for (const [i, a] of (doc.agents ?? []).entries()) {
    if (ids.has(a.id)) problems.push(`/agents/${i}: agent id ${a.id} appears twice`);
    if (usernames.has(a.username)) problems.push(`/agents/${i}: username ${a.username} appears twice`);
    ids.add(a.id);
    usernames.add(a.username);
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
  }
  if (problems.length > 0) throw new ProvisioningError(`${source}:\n  ${problems.join('\n  ')}`);
  return doc;
}
