// `node:https` for bundles, taken with `require` (see node-http.cjs).
module.exports = require('https');
