#!/usr/bin/env node
// Launcher: load the bundled CLI and run it. Built by `npm run build` (also on install).
import { setFlagsFromString } from 'node:v8';
import { CLI_V8_FLAGS } from './v8-flags.js';

// Before any wasm is compiled or the heap grows: see bin/v8-flags.js.
for (const flag of CLI_V8_FLAGS) setFlagsFromString(flag);

const { run } = await import('../dist/cli.js');
await run();
