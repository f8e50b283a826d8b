#!/usr/bin/env node
// Launcher: load the bundled CLI and run it. Built by `npm run build` (also on install).
import { run } from '../dist/cli.js';

await run();
