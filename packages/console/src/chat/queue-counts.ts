/** Waiting counts of the queues this agent serves: fetched on (re)connect, then pushed. */
import type { QueueCount } from '@elitewebchat/protocol/browser';
import { createStore, type Store } from '../app/store';
import { agentApi } from '../api/agent';

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
