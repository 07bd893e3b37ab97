#!/usr/bin/env node
/** Reads the environment once, builds the platform, listens; SIGTERM/SIGINT stop it gracefully. */
import { buildApp } from './app.js';
import { ConfigError, configFromEnv } from './config.js';
import { ProvisioningError } from './provisioning/load.js';

async function main(): Promise<void> {
  const config = configFromEnv(process.env);
  const platform = await buildApp(config);
  await platform.start();
  await platform.app.listen({ host: config.host, port: config.port });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    platform.app.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    platform.close().then(
      () => process.exit(0),
      (error: unknown) => {
        platform.app.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof ProvisioningError) {
    console.error(`elitewebchat: ${error.message}`);
  } else {
    console.error(error);
  }
  process.exit(1);
});
