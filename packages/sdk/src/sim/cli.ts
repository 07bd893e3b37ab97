/**
 * The command line of webchat-sim (the bin, src/cli/sim.ts, only calls main):
 *
 *   webchat-sim <scenario.yaml> [--json out.json] [--url URL] [--listen host:port] [--quiet]
 *
 * Plays the scenario's customers against a platform, prints a summary line every few seconds
 * (stderr) and the report at the end (stdout). Exit code: 0 no protocol violation seen,
 * 1 violations seen, 2 a bad scenario or command line (or the run could not start).
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { formatReport, loadScenario, runSimulation, ScenarioError } from './index.js';

const USAGE = 'usage: webchat-sim <scenario.yaml> [--json out.json] [--url http://platform:8080] [--listen host:port] [--quiet]';

/** Where the CLI writes: the process's streams by default. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
}
const processIo: CliIo = { stdout: (t) => void process.stdout.write(t), stderr: (t) => void process.stderr.write(t) };

/** Runs the command line; resolves with the exit code. */
export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { json: { type: 'string' }, url: { type: 'string' }, listen: { type: 'string' }, quiet: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    io.stderr(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  if (positionals.length !== 1) {
    io.stderr(`${USAGE}\n`);
    return 2;
  }
  const file = positionals[0]!;
  try {
    const scenario = await loadScenario(file);
    if (values.listen !== undefined && !/^[^:]+:\d+$/.test(values.listen)) throw new ScenarioError([`--listen: ${values.listen} is not host:port`]);
    if (values.url !== undefined && !/^https?:\/\//.test(values.url)) throw new ScenarioError([`--url: ${values.url} is not an http(s) URL`]);
    const stop = new AbortController();
    const interrupt = () => {
      io.stderr('interrupted: stopping and reporting\n');
      stop.abort();
    };
    process.once('SIGINT', interrupt);
    const report = await runSimulation(scenario, {
      ...(values.url ? { url: values.url } : {}),
      ...(values.listen ? { listen: values.listen } : {}),
      baseDir: path.dirname(path.resolve(file)),
      signal: stop.signal,
      onListening: (a) => io.stderr(`listening for callbacks on ${a.host}:${a.port}; ${scenario.customers} customer(s) against ${values.url ?? scenario.platform.url}\n`),
      ...(values.quiet ? {} : { onSummary: (line: string) => io.stderr(`${line}\n`) }),
    });
    process.off('SIGINT', interrupt);
    io.stdout(`${formatReport(report)}\n`);
    if (values.json) await writeFile(values.json, `${JSON.stringify(report, null, 2)}\n`);
    return report.violations.total > 0 ? 1 : 0;
  } catch (error) {
    if (error instanceof ScenarioError) {
      io.stderr(`${file}: ${error.message}\n`);
      return 2;
    }
    io.stderr(`webchat-sim: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
}

