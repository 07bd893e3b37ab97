/**
 * localStorage that never throws: a frame on another site may be refused storage (Safari's
 * privacy modes, a full quota), and then the chat still works for the life of the page.
 */
export interface KeyValue {
  get(key: string): string | null;
  /** False when it could only be kept in memory. */
  set(key: string, value: string): boolean;
  remove(key: string): void;
}

export function memoryStorage(): KeyValue {
  const map = new Map<string, string>();
  return {
    get: (k) => map.get(k) ?? null,
    set: (k, v) => (map.set(k, v), true),
    remove: (k) => void map.delete(k),
  };
}

export function safeStorage(open: () => Storage): KeyValue {
  const fallback = memoryStorage();
  let store: Storage | null;
  try {
    store = open();
  } catch {
    store = null;
  }
  return {
    get(k) {
      try {
        return store ? (store.getItem(k) ?? fallback.get(k)) : fallback.get(k);
      } catch {
        return fallback.get(k);
      }
    },
    set(k, v) {
      fallback.set(k, v);
      try {
        store?.setItem(k, v);
        return store !== null;
      } catch {
        return false;
      }
    },
    remove(k) {
      fallback.remove(k);
      try {
        store?.removeItem(k);
      } catch {
        // nothing kept there
      }
    },
  };
}

export const keys = {
  token: (channelId: string) => `ewc:${channelId}:token`,
  outbox: (channelId: string) => `ewc:${channelId}:outbox`,
  nickname: (channelId: string) => `ewc:${channelId}:nickname`,
};
