/** Checks beyond the schemas, shared with the provisioning file's loader. */
import { ApiError } from '../../errors.js';
import { isValidTimeZone, validateHours } from '../../routing/hours.js';
import { baseUrlProblem } from '../directory/urls.js';

export function checkQueue(fields: { timezone?: string | undefined; hours?: unknown }): void {
  if (fields.timezone !== undefined && !isValidTimeZone(fields.timezone)) throw new ApiError('BAD_REQUEST', `unknown time zone "${fields.timezone}"`);
  const problems = validateHours(fields.hours);
  if (problems.length > 0) throw new ApiError('BAD_REQUEST', `hours: ${problems.join('; ')}`);
}

export function checkUrls(urls: (string | null | undefined)[]): void {
  for (const url of urls) {
    const problem = url === null || url === undefined ? undefined : baseUrlProblem(url);
    if (problem) throw new ApiError('BAD_REQUEST', problem);
  }
}
