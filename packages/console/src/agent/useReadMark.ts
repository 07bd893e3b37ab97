/**
 * While a chat is on screen (its view rendered visible, the tab visible and focused), tells the
 * server how far the agent has read the customer's messages, as new ones arrive and when the
 * agent comes back to the window. A chat kept in the background runs no effects: nothing is
 * marked read there.
 */
import { useEffect } from 'react';
import { useServices } from '../app/services';

const seeing = () => document.visibilityState === 'visible' && document.hasFocus();

export function useReadMark(sessionId: number): void {
  const { chats, readMarks, realtime } = useServices();
  useEffect(() => {
    const check = () => {
      if (!seeing() || chats.state.activeId !== sessionId) return;
      const entry = chats.chat(sessionId);
      if (entry) readMarks.seen(sessionId, entry.messages, entry.session.agentReadUpTo);
    };
    check();
    const offs = [chats.store.subscribe(check), realtime.onResync(check)];
    document.addEventListener('visibilitychange', check);
    window.addEventListener('focus', check);
    return () => {
      for (const off of offs) off();
      document.removeEventListener('visibilitychange', check);
      window.removeEventListener('focus', check);
    };
  }, [sessionId, chats, readMarks, realtime]);
}
