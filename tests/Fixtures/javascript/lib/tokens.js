'use strict';

/**
 * Reads the bearer token of a request.
 * @param {object} headers
 */
function readBearerToken(headers) {
  const value = headers.authorization || '';
  return value.startsWith('Bearer ') ? value.slice(7) : null;
}

const isExpired = (token, now) => token.exp < now;

module.exports = { readBearerToken, isExpired };
