#!/usr/bin/env node
/** webchat-sim: see ../sim/cli.ts and docs/simulator.md. */
import { main } from '../sim/cli.js';

process.exitCode = await main(process.argv.slice(2));
