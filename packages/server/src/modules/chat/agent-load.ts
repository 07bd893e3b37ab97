/**
 * What takes up an agent's maxChats: open chats, and open offers (an offer holds a place until
 * it is answered). Read inside the transaction that gives the agent one more, after the agent's
 * row was written (its lock), so two of those cannot both see room.
 */
import type { Db } from '../../db/database.js';

export async function agentLoad(trx: Db, agentId: string, exceptOfferOf?: number): Promise<{ chats: number; offers: number }> {
  const [chats, offers] = await Promise.all([
    trx.selectFrom('sessions').select((eb) => eb.fn.countAll<number>().as('n')).where('agent_id', '=', agentId).where('status', '=', 'open').executeTakeFirstOrThrow(),
    trx
      .selectFrom('offers')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('agent_id', '=', agentId)
      .where('status', '=', 'open')
      .$if(exceptOfferOf !== undefined, (q) => q.where('request_id', '!=', exceptOfferOf!))
      .executeTakeFirstOrThrow(),
  ]);
  return { chats: Number(chats.n), offers: Number(offers.n) };
}
