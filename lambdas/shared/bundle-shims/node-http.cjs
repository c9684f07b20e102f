// `node:http` for bundles, taken with `require` (Node's ES facade of `http` loads all of undici). The
// unprefixed name, so the bundler's alias of `node:http` does not send this file back to itself.
module.exports = require('http');
