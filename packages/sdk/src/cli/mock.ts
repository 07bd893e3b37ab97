#!/usr/bin/env node
/** webchat-mock: see ../mock/cli.ts and docs/mock.md. */
import { main } from '../mock/cli.js';

process.exitCode = await main(process.argv.slice(2));
