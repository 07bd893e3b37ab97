/**
 * The real Redis for tests (TEST_REDIS_URL, default redis://127.0.0.1:6379): an admin
 * connection, and random prefixes whose keys are deleted after each test, so that runs side by
 * side (both store projects) and other users of the Redis never meet.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export class TestRedis {
  readonly admin = new Redis(TEST_REDIS_URL, { lazyConnect: true });
  private readonly prefixes: string[] = [];

  connect(): Promise<void> {
    return this.admin.connect();
  }

  /** A prefix of this test's own; its keys go at cleanUp(). */
  newPrefix(): string {
    const prefix = `ewc-test-${randomBytes(5).toString('hex')}:`;
    this.prefixes.push(prefix);
    return prefix;
  }

  /** Every key under a prefix, sorted. */
  async keysOf(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await this.admin.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      keys.push(...batch);
    } while (cursor !== '0');
    return keys.sort();
  }

  /** Deletes the keys of every prefix handed out since the last clean-up. */
  async cleanUp(): Promise<void> {
    for (const prefix of this.prefixes.splice(0)) {
      const keys = await this.keysOf(prefix);
      if (keys.length > 0) await this.admin.del(...keys);
    }
  }

  quit(): Promise<unknown> {
    return this.admin.quit();
  }
}
