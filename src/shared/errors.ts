import { z } from 'zod'
import { ErrorReasonSchema } from './error-reasons.ts'

/**
 * The closed set of error codes the API answers with. The HTTP status for each lives in one table
 * on the server (`src/server/errors.ts`); the UI translates each as `errors.<code>`.
 */
export const ERROR_CODES = [
  'bad_request',
  'validation_failed',
  'unauthenticated',
  'invalid_credentials',
  'forbidden',
  'csrf_rejected',
  'registration_closed',
  // single sign-on (auth.oidc)
  'password_login_disabled',
  'sso_unavailable',
  'sso_issuer_mismatch',
  // user administration
  'invite_required',
  'email_domain_not_allowed',
  'account_disabled',
  'link_invalid',
  'not_found',
  'name_taken',
  'email_taken',
  'disabled',
  'last_admin',
  'own_account',
  'set_by_operator',
  'invites_closed',
  'busy',
  'tool_changed',
  'approval_required',
  'payload_too_large',
  'unsupported_media_type',
  'images_not_supported',
  'rate_limited',
  'message_limit_reached',
  'set_by_environment',
  'upstream_rejected',
  'upstream_failed',
  'upstream_timeout',
  'unavailable',
  'internal',
] as const

export const ErrorCodeSchema = z.enum(ERROR_CODES)
export type ErrorCode = z.infer<typeof ErrorCodeSchema>

/**
 * One bad field in a request: a dotted path (`headers.0.name`), what is wrong with it in English,
 * and (mostly) the same as a `reason` the UI translates.
 */
export const FieldIssueSchema = z.object({
  field: z.string(),
  message: z.string(),
  reason: ErrorReasonSchema.optional(),
})
export type FieldIssue = z.infer<typeof FieldIssueSchema>

/**
 * Every error reply has this shape. `message` is English, for programs and logs; `reason` (when
 * the server has one) says the same as a message id with parameters, which the UI shows in the
 * reader's language. `details` never carries a stack trace or a secret.
 */
export const ErrorEnvelopeSchema = z
  .object({
    error: z.object({
      code: ErrorCodeSchema,
      message: z.string(),
      reason: ErrorReasonSchema.optional(),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  })
  .meta({ id: 'Error' })
export type ErrorEnvelope = z.infer<typeof ErrorEnvelopeSchema>
