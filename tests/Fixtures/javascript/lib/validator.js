import { readBearerToken } from './tokens.js';
import * as tokens from './tokens.js';

// Base class of every validator.
export class Validator {
  constructor(name) {
    this.name = name;
  }

  validate(request) {
    const token = readBearerToken(request.headers);
    return this.check(token);
  }

  check(token) {
    return token !== null;
  }
}

export class AdminValidator extends Validator {
  check(token) {
    return super.check(token) && !tokens.isExpired(token, Date.now());
  }
}

export function useAdminJwtValidationMiddleware(app) {
  function middleware(request) {
    return new AdminValidator('admin').validate(request);
  }
  app.use(middleware);
}
