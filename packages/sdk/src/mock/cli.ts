/**
 * The webchat-mock command: reads the options and the YAML configuration, starts the mock,
 * prints its URL and stops on SIGINT/SIGTERM. docs/mock.md describes it.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { MockConfigError, resolveConfig, startMock, type MockConfig, type RunningMock } from './index.js';

export const USAGE = `webchat-mock: a stand-in EliteWebChat platform for testing a third party's bridge

Usage: webchat-mock [--config mock.yaml] [--port 8080] [--host 127.0.0.1]

  --config <file>  the scripts, channels, agents and queues (YAML; see docs/mock.md)
  --port <n>       the port to listen on (default: the file's port, else 8080; 0: any free port)
  --host <addr>    the address to listen on (default: the file's host, else 127.0.0.1)
  --help           this text

The TPI is at POST {url}/EliteWebChat/tpi and POST {url}/webchat/tpi; the control API at
{url}/mock/… (GET /mock/state). Stops on Ctrl-C (SIGINT) or SIGTERM.`;

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

const stdio: CliIo = { out: (l) => process.stdout.write(`${l}\n`), err: (l) => process.stderr.write(`${l}\n`) };

/** Reads the options and the file; answers the running mock, or an exit code when it did not start. */
export async function startFromArgs(argv: string[], io: CliIo = stdio): Promise<RunningMock | number> {
  let values: { config?: string | undefined; port?: string | undefined; host?: string | undefined; help?: boolean | undefined };
  try {
    ({ values } = parseArgs({ args: argv, options: { config: { type: 'string', short: 'c' }, port: { type: 'string', short: 'p' }, host: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: false }));
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  let config: MockConfig = {};
  if (values.config !== undefined) {
    let text: string;
    try {
      text = await readFile(values.config, 'utf8');
    } catch (error) {
      io.err(`cannot read ${values.config}: ${(error as Error).message}`);
      return 2;
    }
    try {
      config = (parseYaml(text) as MockConfig | null) ?? {};
    } catch (error) {
      io.err(`${values.config} is not valid YAML: ${(error as Error).message}`);
      return 2;
    }
  }
  if (values.port !== undefined) {
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      io.err(`--port must be an integer from 0 to 65535; got ${values.port}`);
      return 2;
    }
    config = { ...config, port };
  } else if (config.port === undefined) config = { ...config, port: 8080 };
  if (values.host !== undefined) config = { ...config, host: values.host };
  try {
    resolveConfig(config);
    return await startMock(config);
  } catch (error) {
    io.err(error instanceof MockConfigError ? `${values.config ?? 'the configuration'}: ${error.message}` : `cannot start: ${(error as Error).message}`);
    return 1;
  }
}

/** The command: runs until SIGINT or SIGTERM; answers the exit code. */
export async function main(argv: string[], io: CliIo = stdio): Promise<number> {
  const started = await startFromArgs(argv, io);
  if (typeof started === 'number') return started;
  io.out(`webchat-mock listening on ${started.url}`);
  io.out(`  TPI: POST ${started.url}/EliteWebChat/tpi (or /webchat/tpi); state: GET ${started.url}/mock/state`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await started.close();
  io.out('webchat-mock stopped');
  return 0;
}
