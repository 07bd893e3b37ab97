/** The system events recorded in a session's message stream (messages.kind = 'event'). */
import type { Party } from '../../db/schema.js';

export type SessionEvent =
  | { event: 'rating-requested' }
  | { event: 'rated'; ratingId: number; comments: string }
  | { event: 'client-changed'; from: string; to: string }
  | { event: 'closed'; by: Party };
