/** Waiting counts of the queues this agent serves: fetched on (re)connect, then pushed. */
import { createStore, type Store } from '../app/store';
import { agentApi } from '../api/agent';
import type { QueueCount } from '../api/types';

export class QueueCounts {
  readonly store: Store<readonly QueueCount[] | null> = createStore<readonly QueueCount[] | null>(null);

  set(queues: readonly QueueCount[]): void {
    this.store.set(queues);
  }

  async refresh(): Promise<void> {
    try {
      this.set(await agentApi.queues());
    } catch {
      // Keep the last counts; the next push or reconnect brings new ones.
    }
  }

  name(id: number): string | undefined {
    return this.store.get()?.find((q) => q.id === id)?.name;
  }
}
