/**
 * A customer's message as one line of text, for those who get only text: the TPI history (5003)
 * and agent bridges. Text is as sent; what else a message carries is named in brackets.
 */
import type { MessageMedia, MessageRow } from '../db/schema.js';

export const SUMMARISED_KINDS = ['pre', 'text', 'image', 'voice', 'location', 'file', 'video'] as const;

export function messageSummary(m: Pick<MessageRow, 'kind' | 'text' | 'media'>): string {
  const media = m.media ? (JSON.parse(m.media) as MessageMedia) : {};
  switch (m.kind) {
    case 'image':
      return `[image] ${m.text ?? ''}`.trim();
    case 'voice':
      return `[voice${media.seconds !== undefined ? ` ${media.seconds} s` : ''}]`;
    case 'video':
      return `[video${media.seconds !== undefined ? ` ${media.seconds} s` : ''}] ${m.text ?? ''}`.trim();
    case 'file':
      return `[file] ${m.text ?? ''}`.trim();
    case 'location':
      return media.location ? `[location] ${media.location.poi} (${media.location.latitude}, ${media.location.longitude})`.replace('  ', ' ') : '[location]';
    default:
      return m.text ?? '';
  }
}
