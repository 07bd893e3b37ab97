#!/usr/bin/env node
/**
 * `npm run reset-password -- <username>`: gives an agent (the administrator, typically) a new
 * one-time password, printed here once, and ends their sessions. A disabled account is enabled
 * again: this is the way back in for an administrator locked out of their own console. Uses the same store settings
 * as the server (DATA_DIR, DATABASE_URL, DATABASE_SCHEMA).
 */
import { ConfigError, configFromEnv } from '../config.js';
import { resetToOneTimePassword } from '../auth/one-time-password.js';
import { openStore } from '../db/database.js';

async function main(): Promise<number> {
  const username = process.argv[2];
  if (!username || process.argv.length > 3) {
    console.error('usage: npm run reset-password -- <username>');
    return 2;
  }
  const config = configFromEnv(process.env);
  const store = await openStore(config.store);
  try {
    const password = await resetToOneTimePassword(store.db, username, Date.now());
    if (password === undefined) {
      console.error(`elitewebchat: no agent with the username "${username}"`);
      return 1;
    }
    console.log(`The one-time password of "${username}" is now: ${password}`);
    console.log('Log in to the console with it and choose a new one. Their other sessions were ended, and the account is enabled.');
    return 0;
  } finally {
    await store.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof ConfigError ? `elitewebchat: ${error.message}` : error);
    process.exit(1);
  },
);
