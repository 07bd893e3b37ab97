import { createHash } from 'node:crypto';

/** Hex sha256 of a text: how keys and tokens are stored, so a copy of the store logs nobody in. */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
