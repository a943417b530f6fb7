import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { ErrorReason } from '../shared/error-reasons.ts'
import type { ErrorCode, FieldIssue } from '../shared/errors.ts'

/** The one table from error code to HTTP status (as tRPC keeps it: one place, one file). */
export const HTTP_STATUS: Record<ErrorCode, ContentfulStatusCode> = {
  bad_request: 400,
  validation_failed: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  forbidden: 403,
  csrf_rejected: 403,
  registration_closed: 403,
  password_login_disabled: 403,
  sso_unavailable: 503,
  sso_issuer_mismatch: 502,
  invite_required: 403,
  email_domain_not_allowed: 403,
  account_disabled: 403,
  link_invalid: 400,
  not_found: 404,
  name_taken: 409,
  email_taken: 409,
  disabled: 409,
  last_admin: 409,
  own_account: 409,
  set_by_operator: 409,
  invites_closed: 409,
  busy: 409,
  tool_changed: 409,
  approval_required: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  images_not_supported: 400,
  upstream_rejected: 422,
  rate_limited: 429,
  message_limit_reached: 429,
  set_by_environment: 409,
  internal: 500,
  upstream_failed: 502,
  unavailable: 503,
  upstream_timeout: 504,
}

export interface AppErrorOptions {
  details?: Record<string, unknown>
  cause?: unknown
  /** The message as an id the UI translates (`errors.reasons.<key>`) and its parameters. */
  reason?: ErrorReason | undefined
}

/**
 * Every error the app means to show a client. The message is for the user ("server answered 401:
 * check the token") in English, and `reason` says it again as a message id with parameters, so
 * the UI can say it in the reader's language; `details` names fields and never holds secrets or
 * stack traces.
 */
export class AppError extends Error {
  override name = 'AppError'
  readonly code: ErrorCode
  readonly details: Record<string, unknown> | undefined
  readonly reason: ErrorReason | undefined

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, { cause: options.cause })
    this.code = code
    this.details = options.details
    this.reason = options.reason
  }

  get status(): ContentfulStatusCode {
    return HTTP_STATUS[this.code]
  }
}

export class NotFoundError extends AppError {
  constructor(what: string) {
    super('not_found', `${what} not found`)
  }
}

/** 400 naming each bad field; give each issue a `reason` so the UI can say it in any language. */
export class ValidationError extends AppError {
  constructor(fields: FieldIssue[], message?: string, reason?: ErrorReason) {
    super('validation_failed', message ?? describeFields(fields), { details: { fields }, reason })
  }
}

export class ConflictError extends AppError {}

export class RateLimitedError extends AppError {
  readonly retryAfterSeconds: number

  constructor(
    message: string,
    retryAfterSeconds: number,
    reason?: ErrorReason,
    code: 'rate_limited' | 'message_limit_reached' = 'rate_limited',
  ) {
    super(code, message, { details: { retryAfterSeconds }, reason })
    this.retryAfterSeconds = Math.max(1, Math.ceil(retryAfterSeconds))
  }
}

export class UpstreamError extends AppError {}

function describeFields(fields: FieldIssue[]): string {
  const [first, ...rest] = fields
  if (!first) return 'invalid request'
  const more = rest.length ? ` (and ${rest.length} more)` : ''
  return `${first.field || 'body'}: ${first.message}${more}`
}
