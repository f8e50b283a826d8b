// Build-time stand-ins for parts of undici a dendrite never uses over plain
// HTTP/1.1 with string bodies: the HTTP/2 client (it loads node:http2 and
// node:tls at start-up), the fetch body helpers (FormData, Blob bodies) and
// the llhttp build for CPUs without wasm SIMD. Each loads the real module
// from node_modules on first use, so nothing stops working; the bundle just
// no longer parses and runs them on every start-up.
const load = (name) => require(['undici', 'lib', ...name.split('/')].join('/'));

module.exports = { load };
