// See undici-lazy.cjs: the llhttp build for CPUs without wasm SIMD (the SIMD one is bundled).
const { load } = require('./undici-lazy.cjs');
module.exports = load('llhttp/llhttp-wasm.js');
