import type { Db } from '../../db/database.js';
import type { QueueRow } from '../../db/schema.js';
import { isOpenAt, type DateExceptions, type WeeklyHours } from '../../routing/hours.js';

export function queueHours(queue: QueueRow): WeeklyHours | null {
  return queue.hours ? (JSON.parse(queue.hours) as WeeklyHours) : null;
}

export function queueDateExceptions(queue: Pick<QueueRow, 'closed_dates' | 'special_hours'>): DateExceptions {
  return {
    closedDates: queue.closed_dates ? (JSON.parse(queue.closed_dates) as string[]) : null,
    specialHours: queue.special_hours ? (JSON.parse(queue.special_hours) as Record<string, string[]>) : null,
  };
}

/** Open now by its weekly hours, closed dates and special hours, in its own time zone. */
export function queueIsOpen(queue: QueueRow, at: number): boolean {
  return isOpenAt(queueHours(queue), queue.timezone, at, queueDateExceptions(queue));
}

/** Online agents per queue id, for the given queues. */
export async function onlineAgentCount(db: Db, queueId: number): Promise<{ members: number; online: number }> {
  const rows = await db
    .selectFrom('agent_queues')
    .innerJoin('agents', 'agents.id', 'agent_queues.agent_id')
    .select(['agents.status'])
    .where('agent_queues.queue_id', '=', queueId)
    .where('agents.enabled', '=', 1)
    .execute();
  return { members: rows.length, online: rows.filter((r) => r.status === 'online').length };
}
