// V8 settings of the CLI process, applied by bin/dendrite.js before anything
// runs (and by the bench, to measure what the CLI does). Measured on a
// 2-core machine with `npm run bench`:
//  - wasm tiering budget: a short run (one ping) no longer tiers the signer's
//    wasm up to TurboFan, whose background compile process exit waited for
//    (~100 ms of a single ping); long sweeps still tier up after a few
//    hundred signatures (+10-20 ms over the first 256).
//  - heap growing 25 %: a 4096-axon sweep repeated (--watch) keeps ~70 MB
//    live but V8's default growth let the old space swell to 450-630 MB of
//    RSS between collections; 1.25x growth keeps the peak near 250 MB at the
//    same sweep time.
export const CLI_V8_FLAGS = ['--wasm-tiering-budget=100000000', '--heap-growing-percent=25'];
