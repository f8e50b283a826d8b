// See undici-lazy.cjs: HTTP/2 only when a server negotiates it (never over plain http).
const { load } = require('./undici-lazy.cjs');
module.exports = (...args) => load('dispatcher/client-h2.js')(...args);
