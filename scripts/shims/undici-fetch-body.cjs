// See undici-lazy.cjs: FormData/Blob request bodies; the dendrite sends strings.
const { load } = require('./undici-lazy.cjs');
module.exports = {
  get extractBody() {
    return load('web/fetch/body.js').extractBody;
  },
};
