/** Small things many server tests need: a valid image, and a customer's chat opened through the TPI. */
import type { TestPlatform } from './platform.js';
import type { ThirdParty } from './third-party.js';

/** A 5×5 PNG as a data URI, as a 2002 carries it. */
export const TINY_PNG =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAUAAAAFCAYAAACNbyblAAAAHElEQVQI12P4//8/w38GIAXDIBKE0DHxgljNBAAO9TXL0Y4OHwAAAABJRU5ErkJggg==';

/**
 * A customer asks for a chat (1000) and an online agent of the queue takes it: answers the
 * session id, as the third party learns it from the `create` callback.
 */
export async function openChat(p: TestPlatform, tp: ThirdParty, clientId: string, queueId = 1): Promise<number> {
  await p.tpi({ type: 1000, clientId, queueId });
  const create = await tp.waitFor(() => tp.ofName('create').find((c) => c.body.clientId === clientId));
  return create.body.sessionId as number;
}
