/** Checks beyond the schemas, shared with the provisioning file's loader. */
import { ApiError } from '../../errors.js';
import { isValidTimeZone, validateDateExceptions, validateHours } from '../../routing/hours.js';
import { isValidSecret } from '../../delivery/signature.js';
import { baseUrlProblem } from '../directory/index.js';
import { parseCidr } from '../../common/cidr.js';

export function checkQueue(fields: { timezone?: string | undefined; hours?: unknown; closedDates?: string[] | undefined; specialHours?: Record<string, string[]> | undefined }): void {
  if (fields.timezone !== undefined && !isValidTimeZone(fields.timezone)) throw new ApiError('BAD_REQUEST', `unknown time zone "${fields.timezone}"`);
  const problems = validateHours(fields.hours);
  if (problems.length > 0) throw new ApiError('BAD_REQUEST', `hours: ${problems.join('; ')}`);
  const dates = validateDateExceptions(fields);
  if (dates.length > 0) throw new ApiError('BAD_REQUEST', dates.join('; '));
}

export function checkChannelSecurity(fields: { allowFrom?: string[] | null | undefined; webhookSecrets?: string[] | undefined }): void {
  for (const cidr of fields.allowFrom ?? []) if (!parseCidr(cidr)) throw new ApiError('BAD_REQUEST', `allowFrom: "${cidr}" is not an address or CIDR`);
  for (const s of fields.webhookSecrets ?? []) if (!isValidSecret(s)) throw new ApiError('BAD_REQUEST', 'webhookSecrets: a secret is "whsec_" and at least 24 bytes in base64');
}

export function checkUrls(urls: (string | null | undefined)[]): void {
  for (const url of urls) {
    const problem = url === null || url === undefined ? undefined : baseUrlProblem(url);
    if (problem) throw new ApiError('BAD_REQUEST', problem);
  }
}
