#!/usr/bin/env node
/** Reads the environment once, builds the platform, listens; SIGTERM/SIGINT stop it gracefully. */
import type { AddressInfo } from 'node:net';
import { buildApp } from './app.js';
import { ConfigError, configFromEnv, type Config } from './config.js';
import { ProvisioningError } from './provisioning/load.js';
import { StoreInUseError } from './nodes/store-nodes.js';

async function main(): Promise<void> {
  const config = configFromEnv(process.env);
  const platform = await buildApp(config);
  await platform.start();
  await platform.app.listen({ host: config.host, port: config.port });
  const { port } = platform.app.server.address() as AddressInfo;
  const webChannels = await platform.store.db.selectFrom('channels').select('id').where('kind', '=', 'web').orderBy('id').execute();
  platform.app.log.info(startLine(config, port, webChannels.map((c) => c.id)));

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

/**
 * The one line a person reads at start: where the console, the web chat, the TPI and the API docs are. A
 * wildcard HOST is reached through any of the machine's addresses, so the line shows loopback
 * and says so.
 */
function startLine(config: Config, port: number, webChannels: string[]): string {
  const wildcard = config.host === '0.0.0.0' || config.host === '::' || config.host === '[::]';
  const host = wildcard ? '127.0.0.1' : config.host.includes(':') && !config.host.startsWith('[') ? `[${config.host}]` : config.host;
  const base = `http://${host}:${port}`;
  const parts = [`console ${base}/`, ...webChannels.map((id) => `web chat ${base}/chat/${encodeURIComponent(id)}`), `TPI POST ${base}/EliteWebChat/tpi`];
  if (config.docs) parts.push(`API docs ${base}/docs`);
  const where = wildcard ? ` (listening on every address of this machine, HOST=${config.host}; from elsewhere use its name or address instead of 127.0.0.1)` : '';
  return `EliteWebChat is running: ${parts.join(' · ')}${where}`;
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof ProvisioningError || error instanceof StoreInUseError) {
    console.error(`elitewebchat: ${error.message}`);
  } else {
    console.error(error);
  }
  process.exit(1);
});
