// `node:http` for bundles, taken with `require`: Node's ES facade of `http` loads all of undici.
module.exports = require('node:http');
