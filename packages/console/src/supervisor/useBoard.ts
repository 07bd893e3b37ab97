/**
 * The live board, the open sessions and the waiting requests: fetched on (re)connect and after
 * `board.changed`, at most about once a second however often the server pushes.
 */
import { ServerEvent, type Board, type SessionSummary, type WaitingRequestView } from '@elitewebchat/protocol/browser';
import { useCallback, useEffect, useRef, useState } from 'react';
import { supervisorApi } from '../api/supervisor';
import { useServices } from '../app/services';
import { errorMessage } from '../ui/ErrorNote';

const MIN_INTERVAL_MS = 1_000;

export interface BoardData {
  board: Board | null;
  sessions: SessionSummary[] | null;
  /** Every waiting request, oldest first. */
  requests: WaitingRequestView[] | null;
  /** When the board was read (its waits are as of then). */
  fetchedAt: number;
  error: string | null;
}

export function useBoard(): BoardData & { refresh: () => void } {
  const { realtime } = useServices();
  const [data, setData] = useState<BoardData>({ board: null, sessions: null, requests: null, fetchedAt: 0, error: null });
  const scheduleRef = useRef<() => void>(() => undefined);

  useEffect(() => {
    let stopped = false;
    let inFlight = false;
    let dirty = false;
    let last = 0;
    let timer: number | undefined;

    const fetchNow = async () => {
      inFlight = true;
      dirty = false;
      last = Date.now();
      try {
        const [board, sessions, requests] = await Promise.all([supervisorApi.board(), supervisorApi.openSessions(), supervisorApi.waitingRequests()]);
        if (!stopped) setData({ board, sessions, requests, fetchedAt: Date.now(), error: null });
      } catch (err) {
        if (!stopped) setData((d) => ({ ...d, error: errorMessage(err) }));
      } finally {
        inFlight = false;
        if (dirty && !stopped) schedule();
      }
    };
    const schedule = () => {
      dirty = true;
      if (inFlight || timer !== undefined) return;
      const wait = Math.max(0, last + MIN_INTERVAL_MS - Date.now());
      timer = window.setTimeout(() => {
        timer = undefined;
        void fetchNow();
      }, wait);
    };

    scheduleRef.current = schedule;
    schedule();
    const offs = [realtime.on(ServerEvent.BOARD_CHANGED, schedule), realtime.onResync(schedule)];
    // Waits also grow while nothing happens; a slow refresh keeps "today" current too.
    const slow = window.setInterval(schedule, 30_000);
    return () => {
      stopped = true;
      scheduleRef.current = () => undefined;
      for (const off of offs) off();
      window.clearInterval(slow);
      if (timer !== undefined) window.clearTimeout(timer);
    };
  }, [realtime]);

  // After an assignment or a move: board.changed follows, but the one who did it sees it now.
  const refresh = useCallback(() => scheduleRef.current(), []);
  return { ...data, refresh };
}
