// The X-Ray SDK needs semver only to check an AWS SDK v2 in `captureAWS`, which nothing here calls.
module.exports = {
  gte() {
    throw new Error('semver is not bundled: the AWS SDK v2 is not traced here');
  },
};
