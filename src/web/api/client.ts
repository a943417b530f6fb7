import type { TFunction } from 'i18next'
import { z } from 'zod'
import type { ErrorReason } from '../../shared/error-reasons.ts'
import { type ErrorCode, ErrorEnvelopeSchema, FieldIssueSchema } from '../../shared/errors.ts'
import { reasonText } from '../i18n/reason-text.ts'

const FieldIssuesSchema = z.array(FieldIssueSchema)

/** A failed API call: the server's error envelope, or a stand-in when there was no usable reply. */
export class ApiError extends Error {
  override readonly name = 'ApiError'
  /** The HTTP status; 0 when the request never got an answer. */
  readonly status: number
  readonly code: ErrorCode
  readonly details: Record<string, unknown> | undefined
  /** The message as an id and parameters the UI translates (see `reasonText`). */
  readonly reason: ErrorReason | undefined
  /** From the `Retry-After` header of a 429 or 503. */
  readonly retryAfterSeconds: number | undefined

  constructor(
    status: number,
    code: ErrorCode,
    message: string,
    options: {
      details?: Record<string, unknown>
      reason?: ErrorReason | undefined
      retryAfterSeconds?: number
      cause?: unknown
    } = {},
  ) {
    super(message, { cause: options.cause })
    this.status = status
    this.code = code
    this.details = options.details
    this.reason = options.reason
    this.retryAfterSeconds = options.retryAfterSeconds
  }

  /**
   * The first message per field from a `validation_failed` reply, keyed by dotted field path, in
   * the reader's language where the server gave the issue's reason.
   */
  fieldErrors(t: TFunction): Record<string, string> {
    const parsed = FieldIssuesSchema.safeParse(this.details?.fields)
    if (!parsed.success) return {}
    const errors: Record<string, string> = {}
    for (const issue of parsed.data)
      errors[issue.field] ??= reasonText(t, issue.reason, issue.message)
    return errors
  }
}

export interface ApiFetchOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  /** Sent as JSON. */
  body?: unknown
  signal?: AbortSignal
}

/**
 * Calls the Switchboard API on this origin with the session cookie. A reply with a `schema` is
 * parsed by it and returned; without one the reply body is ignored (for 204s). Every failure,
 * including a network error or a reply that does not match the schema, throws an `ApiError`.
 */
export function apiFetch<S extends z.ZodType>(
  path: string,
  options: ApiFetchOptions & { schema: S },
): Promise<z.output<S>>
export function apiFetch(path: string, options?: ApiFetchOptions): Promise<void>
export async function apiFetch(
  path: string,
  { method = 'GET', body, signal, schema }: ApiFetchOptions & { schema?: z.ZodType } = {},
): Promise<unknown> {
  const headers = new Headers({ Accept: 'application/json' })
  if (body !== undefined) headers.set('Content-Type', 'application/json')

  let response: Response
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      signal,
    })
  } catch (cause) {
    // An abort is TanStack Query cancelling the request, not a failure to report.
    if (signal?.aborted) throw cause
    throw new ApiError(0, 'unavailable', 'The request could not be sent.', { cause })
  }

  if (!response.ok) throw await toApiError(response)
  if (!schema) return undefined

  const parsed = schema.safeParse(await readJson(response))
  if (!parsed.success) {
    throw new ApiError(response.status, 'internal', `Unexpected reply from ${method} ${path}.`, {
      cause: parsed.error,
    })
  }
  return parsed.data
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return await response.json()
  } catch {
    return undefined
  }
}

/** A failed reply as an `ApiError` (our envelope, or a stand-in by its status). */
export async function toApiError(response: Response): Promise<ApiError> {
  const retryAfterSeconds = parseRetryAfter(response.headers.get('Retry-After'))
  const envelope = ErrorEnvelopeSchema.safeParse(await readJson(response))
  if (envelope.success) {
    const { code, message, details, reason } = envelope.data.error
    return new ApiError(response.status, code, message, { details, reason, retryAfterSeconds })
  }
  // No envelope: a proxy or gateway answered (the API server down behind it, or an HTML error page).
  const message = response.statusText || `HTTP ${response.status}`
  return new ApiError(response.status, codeForStatus(response.status), message, {
    retryAfterSeconds,
  })
}

function codeForStatus(status: number): ErrorCode {
  if (status === 401) return 'unauthenticated'
  if (status === 403) return 'forbidden'
  if (status === 404) return 'not_found'
  if (status === 429) return 'rate_limited'
  if (status === 502 || status === 503 || status === 504) return 'unavailable'
  if (status >= 500) return 'internal'
  return 'bad_request'
}

/** `Retry-After` is either delay-seconds or an HTTP date (RFC 9110 section 10.2.3). */
function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined
  const seconds = Number(value)
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds))
  const date = Date.parse(value)
  if (Number.isNaN(date)) return undefined
  return Math.max(0, Math.ceil((date - Date.now()) / 1000))
}
