// The domain's errors, typed once and mapped once: to `{ error, message }` with an HTTP status
// for the API (lib/api/route.ts) and to form state for server actions.
//
// Every error code the API can answer with, and its status: one closed set, so a new code is a
// decision (it needs a line here and one in the README's table, which a test compares).
export const ERROR_CODES = {
  // 400: the request is wrong
  invalid_input: 400,
  invalid_json: 400,
  invalid_text: 400,
  invalid_row: 400,
  invalid_token: 400,
  unsupported_format: 400,
  empty_import: 400,
  empty_cohort: 400,
  filter_required: 400,
  reason_required: 400,
  multiple_recipients: 400,
  credential_change_refused: 400,
  notice_incomplete: 400,
  duplicate_email: 400,
  email_taken: 400,
  wrong_password: 400,
  totp_invalid: 400,
  totp_not_started: 400,
  webhook_target_refused: 400,
  // 401: who is asking is unknown
  unauthenticated: 401,
  // 403: who is asking may not
  forbidden: 403,
  account_locked: 403,
  cross_site: 403,
  session_required: 403,
  token_for_other: 403,
  self_approval: 403,
  approval_requires_session: 403,
  approver_needs_2fa: 403,
  approver_not_independent: 403,
  requester_required: 403,
  requester_disabled: 403,
  password_reset_required: 403,
  // 404
  not_found: 404,
  // 409: the state does not allow it (now)
  conflict: 409,
  concurrent_change: 409,
  staff_exists: 409,
  last_admin: 409,
  no_change: 409,
  not_pending: 409,
  not_frozen: 409,
  incident_closed: 409,
  password_changed: 409,
  totp_enabled: 409,
  totp_disabled: 409,
  totp_changed: 409,
  stale_revision: 409,
  not_approved: 409,
  no_blast_radius: 409,
  blast_radius_changed: 409,
  // 413, 429, 500, 503
  payload_too_large: 413,
  too_many_attempts: 429,
  internal: 500,
  unavailable: 503,
  not_configured: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;
/** The codes of one status: what each error class below may carry. */
export type ErrorCodeOf<S extends number> = {
  [K in ErrorCode]: (typeof ERROR_CODES)[K] extends S ? K : never;
}[ErrorCode];

export class DomainError extends Error {
  /** The HTTP status, from the code: a code never answers with two statuses. */
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
    this.status = ERROR_CODES[code];
  }
}

export class Invalid extends DomainError {
  constructor(message: string, details?: unknown, code: ErrorCodeOf<400> = 'invalid_input') {
    super(code, message, details);
  }
}
export class Unauthenticated extends DomainError {
  constructor(message = 'Sign in or send a valid API token (Authorization: Bearer …).') {
    super('unauthenticated', message);
  }
}
export class Forbidden extends DomainError {
  constructor(message = 'Your role does not allow this.', code: ErrorCodeOf<403> = 'forbidden') {
    super(code, message);
  }
}
export class NotFound extends DomainError {
  constructor(message = 'Not found.') {
    super('not_found', message);
  }
}
export class Conflict extends DomainError {
  constructor(message: string, code: ErrorCodeOf<409> = 'conflict') {
    super(code, message);
  }
}
/** The deployment lacks a setting this needs (e.g. the notice signing key): said, never worked around. */
export class NotConfigured extends DomainError {
  constructor(message: string) {
    super('not_configured', message);
  }
}
export class PayloadTooLarge extends DomainError {
  constructor(limit: number) {
    super('payload_too_large', `The request body is larger than ${limit} bytes.`);
  }
}
export class TooManyAttempts extends DomainError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super('too_many_attempts', message, { retryAfterSeconds });
  }
}
