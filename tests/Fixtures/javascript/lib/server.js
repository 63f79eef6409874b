const { readBearerToken } = require('./tokens');
const validator = require('./validator');

function start(app) {
  validator.useAdminJwtValidationMiddleware(app);
  return readBearerToken(app.headers);
}

module.exports = start;
