/** Checks beyond the schemas, shared with the provisioning file's loader. */
import { ApiError } from '../../errors.js';
import { isValidTimeZone, validateHours } from '../../routing/hours.js';

export function checkQueue(fields: { timezone?: string | undefined; hours?: unknown }): void {
  if (fields.timezone !== undefined && !isValidTimeZone(fields.timezone)) throw new ApiError('BAD_REQUEST', `unknown time zone "${fields.timezone}"`);
  const problems = validateHours(fields.hours);
  if (problems.length > 0) throw new ApiError('BAD_REQUEST', `hours: ${problems.join('; ')}`);
}

export function checkUrls(urls: (string | null | undefined)[]): void {
  for (const url of urls) {
    if (url === null || url === undefined) continue;
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new ApiError('BAD_REQUEST', `"${url}" is not an absolute URL`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new ApiError('BAD_REQUEST', `"${url}" is not an http(s) URL`);
    if (parsed.username || parsed.password || parsed.search || parsed.hash) throw new ApiError('BAD_REQUEST', `"${url}" must not carry credentials, a query or a fragment`);
  }
}
