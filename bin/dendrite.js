#!/usr/bin/env node
// Launcher: load the bundled CLI and run it. Built by `npm run build` (also on install).
import { setFlagsFromString } from 'node:v8';

// Keep V8 from tiering the signer's wasm up to TurboFan during a short run:
// the optimising compile then runs in the background and process exit waits
// for it (~100 ms of a single ping, measured). Long sweeps still tier up after
// a few hundred signatures (bench: +10-20 ms over 256 signatures).
setFlagsFromString('--wasm-tiering-budget=100000000');

const { run } = await import('../dist/cli.js');
await run();
