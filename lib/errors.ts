// The domain's errors, typed once and mapped once: to `{ error, message }` with an HTTP status
// for the API (lib/api/route.ts) and to form state for server actions.
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class Invalid extends DomainError {
  constructor(message: string, details?: unknown, code = 'invalid_input') {
    super(code, message, 400, details);
  }
}
export class Unauthenticated extends DomainError {
  constructor(message = 'Sign in or send a valid API token (Authorization: Bearer …).') {
    super('unauthenticated', message, 401);
  }
}
export class Forbidden extends DomainError {
  constructor(message = 'Your role does not allow this.', code = 'forbidden') {
    super(code, message, 403);
  }
}
export class NotFound extends DomainError {
  constructor(message = 'Not found.') {
    super('not_found', message, 404);
  }
}
export class Conflict extends DomainError {
  constructor(message: string, code = 'conflict') {
    super(code, message, 409);
  }
}
export class PayloadTooLarge extends DomainError {
  constructor(limit: number) {
    super('payload_too_large', `The request body is larger than ${limit} bytes.`, 413);
  }
}
export class TooManyAttempts extends DomainError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super('too_many_attempts', message, 429, { retryAfterSeconds });
  }
}
