/** The sentences the later wire sends a customer: their place in the queue, or why their request ended. */
import { ENDED_REASONS, RequestStatus } from '@elitewebchat/protocol';
import type { QueueRow } from '../../db/schema.js';

const DEFAULT = { 'zh-CN': '当前排在第{position}位', en: 'You are number {position} in the queue' } as const;

/** The queue's sentence (or the default) in the channel's language, with the place in it. */
export function positionSentence(queue: Pick<QueueRow, 'position_message'> | undefined, language: string | null, place: number): string {
  const sentences = queue?.position_message ? (JSON.parse(queue.position_message) as { 'zh-CN': string; en: string }) : DEFAULT;
  return (language === 'en' ? sentences.en : sentences['zh-CN']).replaceAll('{position}', String(place));
}

export function endedReason(status: number): string {
  if (status === RequestStatus.ACCEPTED || status === RequestStatus.ENTERPRISE_WECHAT_ACCEPTED) return 'accepted';
  return ENDED_REASONS[status] ?? 'ended';
}
