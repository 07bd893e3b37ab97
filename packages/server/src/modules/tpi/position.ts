/** The sentences the later wire sends a customer: their place in the queue, or why their request ended. */
import { RequestStatus } from '@elitewebchat/protocol';
import type { QueueRow } from '../../db/schema.js';

const DEFAULT = { 'zh-CN': '当前排在第{position}位', en: 'You are number {position} in the queue' } as const;

/** The queue's sentence (or the default) in the channel's language, with the place in it. */
export function positionSentence(queue: Pick<QueueRow, 'position_message'> | undefined, language: string | null, place: number): string {
  const sentences = queue?.position_message ? (JSON.parse(queue.position_message) as { 'zh-CN': string; en: string }) : DEFAULT;
  return (language === 'en' ? sentences.en : sentences['zh-CN']).replaceAll('{position}', String(place));
}

/** Why a request ended without a chat, as 1001's message says it (after `success; `). */
export const ENDED_REASONS: Partial<Record<number, string>> = {
  [RequestStatus.TIMEOUT]: "ended: it waited longer than the queue's maxWaitSeconds",
  [RequestStatus.DROPPED]: "ended: no 1001 or 2005 came for the queue's dropAfterSilentSeconds (or its queue was removed)",
  [RequestStatus.NO_AGENT_ONLINE]: 'ended: no agent of the queue was online, and the queue refuses then',
  [RequestStatus.OFF_HOUR]: 'ended: the queue closed (its working hours, a closed date or special hours)',
  [RequestStatus.CANCELED_BY_CLIENT]: 'ended: cancelled by the client (1002)',
  [RequestStatus.REFUSED]: 'ended: refused by the agents it was offered to',
};

export function endedReason(status: number): string {
  if (status === RequestStatus.ACCEPTED || status === RequestStatus.ENTERPRISE_WECHAT_ACCEPTED) return 'accepted';
  return ENDED_REASONS[status] ?? 'ended';
}
