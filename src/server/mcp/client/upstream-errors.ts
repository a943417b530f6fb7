/**
 * Turns any failure met while talking to an MCP server (SDK errors, HTTP statuses, socket and
 * DNS errors, TLS, JSON-RPC errors, our own limits) into an `McpFailure`: an error code, the
 * server status it implies, and a message the user can act on. Messages never carry header
 * values, tokens or query strings.
 *
 * @module
 */
import {
  ProtocolError,
  SdkError,
  SdkErrorCode,
  SdkHttpError,
  SseError,
  UnauthorizedError,
} from '@modelcontextprotocol/client'
import { type ErrorReason, type ErrorReasonKey, reasonOf } from '../../../shared/error-reasons.ts'
import { UpstreamError } from '../../errors.ts'
import { sanitizeText } from '../../untrusted-text.ts'
import type { McpEndpoint, McpFailure } from './endpoint.ts'
import { SsrfError } from './ssrf-guard.ts'
import { megabytes, ResponseTooLargeError } from './transports/limit-response-size.ts'

/** One of our own limits ran out (connect, discovery); carries the limit for the message. */
export class McpTimeoutError extends Error {
  override readonly name = 'McpTimeoutError'
  readonly timeoutMs: number

  constructor(timeoutMs: number, options?: ErrorOptions) {
    super(`timed out after ${formatSeconds(timeoutMs)}`, options)
    this.timeoutMs = timeoutMs
  }
}

/** The endpoint cannot be used as configured (no URL, wrong scheme, stdio from a user…). */
export class EndpointError extends Error {
  override readonly name = 'EndpointError'
  readonly reason: ErrorReason

  constructor(message: string, reason: ErrorReason) {
    super(message)
    this.reason = reason
  }
}

/**
 * The URL answered, but what came back is not MCP at all: plain JSON or text that is not
 * JSON-RPC, an event stream whose events are not JSON-RPC, or an answer that never answers the
 * request. Raised by the transports as soon as they see it, so the request fails at once
 * instead of waiting for its timeout.
 */
export class NotMcpError extends Error {
  override readonly name = 'NotMcpError'
}

export interface Deadline {
  readonly signal: AbortSignal
  readonly timedOut: boolean
  /** `promise`, or a rejection as soon as the deadline passes or the outer signal aborts. */
  race<T>(promise: Promise<T>): Promise<T>
  clear(): void
}

/** An abort signal that fires after `ms` or when `outer` aborts, whichever comes first. */
export function startDeadline(ms: number, outer?: AbortSignal): Deadline {
  const controller = new AbortController()
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    controller.abort(new McpTimeoutError(ms))
  }, ms)
  const onOuterAbort = () => controller.abort(outer?.reason)
  outer?.addEventListener('abort', onOuterAbort, { once: true })
  if (outer?.aborted) onOuterAbort()
  const aborted = new Promise<never>((_resolve, reject) => {
    if (controller.signal.aborted) reject(controller.signal.reason)
    controller.signal.addEventListener('abort', () => reject(controller.signal.reason))
  })
  aborted.catch(() => undefined)
  return {
    signal: controller.signal,
    get timedOut() {
      return timedOut
    },
    race: (promise) => {
      promise.catch(() => undefined)
      return Promise.race([promise, aborted])
    },
    clear: () => {
      clearTimeout(timer)
      outer?.removeEventListener('abort', onOuterAbort)
    },
  }
}

export interface FailureContext {
  /** The limit that ran out, for "timed out after N s" when the error does not carry it. */
  timeoutMs?: number
  /** Secret values (header values, env values) that must never appear in a message. */
  redact?: readonly string[]
}

type Target = Pick<McpEndpoint, 'name' | 'url' | 'transport'>
type Rule = (error: unknown, target: Target, context: FailureContext) => McpFailure | null

const MAX_QUOTE_CHARS = 300

/**
 * Classifies `error` (anything thrown by the SDK, a transport, fetch, DNS, a child process or
 * this module) for the server `endpoint`. Idempotent: an `UpstreamError` made by
 * `toUpstreamError` maps back to its own failure. Never throws.
 */
export function toMcpFailure(
  error: unknown,
  endpoint: Target,
  context: FailureContext = {},
): McpFailure {
  const rules: Rule[] = [
    alreadyTranslated,
    timeoutFailure,
    ssrfFailure,
    endpointFailure,
    httpStatusFailure,
    notMcpFailure,
    contentTypeFailure,
    networkFailure,
    protocolFailure,
    closedFailure,
    invalidMcpFailure,
  ]
  for (const rule of rules) {
    const failure = rule(error, endpoint, context)
    if (failure) return redact(failure, context.redact)
  }
  return redact(fallbackFailure(error), context.redact)
}

/**
 * The `UpstreamError` (an `AppError`: 422/502/504) carrying `failure` and its reason; details:
 * `{ status }`.
 */
export function toUpstreamError(failure: McpFailure, cause?: unknown): UpstreamError {
  return new UpstreamError(failure.code, failure.message, {
    details: { status: failure.status },
    reason: failure.reason,
    cause,
  })
}

/**
 * True when `error` (or its cause chain) says the server no longer knows the session: an HTTP
 * 404, as the spec has it (2025-11-25, transports, "Session Management" item 4: the client MUST
 * then initialize again), or the 400 "No valid session ID provided" that many servers answer
 * instead (the SDK v1 examples, server-everything). Asked only of requests made over an
 * established session, and answered by one re-initialize, so a stray match costs one handshake.
 */
export function isSessionExpired(error: unknown): boolean {
  return errorChain(error).some((entry) => {
    const http = httpStatusOf(entry)
    return http !== null && isUnknownSession(http)
  })
}

function isUnknownSession(http: HttpStatus): boolean {
  return http.status === 404 || (http.status === 400 && /session/i.test(http.body ?? ''))
}

const FAILURE_CODES = new Set<string>(['upstream_rejected', 'upstream_failed', 'upstream_timeout'])
const FAILURE_STATUSES = new Set<unknown>(['offline', 'error', 'needs_auth'])

/**
 * The connection was reset or closed under a request before any answer: typically a pooled
 * keep-alive socket the server closed just as we reused it. Safe to retry only for requests
 * with no side effects (the handshake), never for a tool call.
 */
export function isConnectionReset(error: unknown): boolean {
  return errorChain(error).some((entry) => {
    const code = codeOf(entry)
    return code !== null && RESET_CODES.has(code)
  })
}

const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET'])

function alreadyTranslated(error: unknown): McpFailure | null {
  if (!(error instanceof UpstreamError)) return null
  const status = error.details?.status
  if (!FAILURE_CODES.has(error.code) || !FAILURE_STATUSES.has(status)) return null
  return {
    code: error.code as McpFailure['code'],
    status: status as McpFailure['status'],
    message: error.message,
    reason: error.reason ?? reasonOf('upstream.failedWith', { detail: error.message }),
  }
}

function timeoutFailure(error: unknown, _target: Target, context: FailureContext) {
  for (const entry of errorChain(error)) {
    let timeoutMs: number | undefined
    if (entry instanceof McpTimeoutError) timeoutMs = entry.timeoutMs
    else if (entry instanceof SdkError && entry.code === SdkErrorCode.RequestTimeout) {
      const data = entry.data as { timeout?: unknown } | undefined
      timeoutMs = context.timeoutMs ?? (typeof data?.timeout === 'number' ? data.timeout : 0)
    } else continue
    if (!timeoutMs) {
      return failure(
        'upstream_timeout',
        'offline',
        'timed out',
        reasonOf('upstream.timedOutNoLimit', {}),
      )
    }
    return failure(
      'upstream_timeout',
      'offline',
      `timed out after ${formatSeconds(timeoutMs)}`,
      reasonOf('upstream.timedOut', { seconds: seconds(timeoutMs) }),
    )
  }
  return null
}

function ssrfFailure(error: unknown): McpFailure | null {
  const found = errorChain(error).find((entry) => entry instanceof SsrfError)
  if (!found) return null
  const why = found.reason ?? reasonOf('upstream.failedWith', { detail: found.message })
  return failure('upstream_rejected', 'error', found.message, why)
}

function endpointFailure(error: unknown): McpFailure | null {
  const found = errorChain(error).find((entry) => entry instanceof EndpointError)
  return found ? failure('upstream_rejected', 'error', found.message, found.reason) : null
}

function notMcpFailure(error: unknown): McpFailure | null {
  const found = errorChain(error).some((entry) => entry instanceof NotMcpError)
  return found
    ? failure('upstream_failed', 'error', NOT_MCP_ANSWER, reasonOf('upstream.notMcp', {}))
    : null
}

function httpStatusFailure(error: unknown, target: Target): McpFailure | null {
  for (const entry of errorChain(error)) {
    const http = httpStatusOf(entry)
    if (http) return describeStatus(http, target)
  }
  return null
}

interface HttpStatus {
  status: number
  body?: string
  contentType?: string
}

function httpStatusOf(error: unknown): HttpStatus | null {
  if (error instanceof SdkHttpError) {
    const { text, contentType } = error.data as { text?: unknown; contentType?: unknown }
    return {
      status: error.status,
      ...(typeof text === 'string' ? { body: text } : {}),
      ...(typeof contentType === 'string' ? { contentType } : {}),
    }
  }
  if (error instanceof UnauthorizedError) return { status: 401 }
  // eventsource reports the status of a failed stream; a 2xx failure is a content problem.
  if (error instanceof SseError && typeof error.code === 'number' && error.code >= 300) {
    return { status: error.code }
  }
  return null
}

type Advice = [
  McpFailure['code'],
  McpFailure['status'],
  (said: string, at: string) => string,
  ErrorReasonKey,
]
const UNAVAILABLE: Advice = [
  'upstream_failed',
  'offline',
  (said) => `${said}: the server (or a proxy in front of it) is unavailable; try again later`,
  'upstream.http.unavailable',
]
const STATUS_ADVICE: Record<number, Advice> = {
  401: [
    'upstream_rejected',
    'needs_auth',
    (said) => `${said}: check the token`,
    'upstream.http.unauthorized',
  ],
  403: [
    'upstream_rejected',
    'needs_auth',
    (said) =>
      `${said}: the credentials were accepted but do not allow access; check their permissions`,
    'upstream.http.forbidden',
  ],
  404: [
    'upstream_rejected',
    'error',
    (said, at) => `${said}${at}: check the URL path (often /mcp)`,
    'upstream.http.notFound',
  ],
  405: [
    'upstream_rejected',
    'error',
    (said, at) =>
      `${said}${at}: this URL does not accept MCP requests; check the path and transport`,
    'upstream.http.methodNotAllowed',
  ],
  429: [
    'upstream_rejected',
    'error',
    (said) => `${said}: too many requests; try again later`,
    'upstream.http.tooManyRequests',
  ],
  502: UNAVAILABLE,
  503: UNAVAILABLE,
  504: UNAVAILABLE,
}
const HTML_ANSWER = 'this URL answered HTML, not MCP: check the URL path'
const NOT_MCP_ANSWER =
  'this URL answered, but it does not speak MCP: check that it is the MCP endpoint (often ending in /mcp) and the transport'

function describeStatus({ status, body, contentType }: HttpStatus, target: Target): McpFailure {
  const said = `server answered ${status}`
  if (status < 300 && contentType && /html/i.test(contentType)) {
    return failure('upstream_failed', 'error', HTML_ANSWER, reasonOf('upstream.html', {}))
  }
  if ((status === 404 || status === 400) && body && /session/i.test(body)) {
    const text = `${said}: the server no longer knows this session (it may have restarted); reconnect`
    return failure(
      'upstream_failed',
      'error',
      text,
      reasonOf('upstream.http.sessionLost', { status }),
    )
  }
  const url = urlOf(target)
  const advice = STATUS_ADVICE[status]
  if (advice) {
    const [code, serverStatus, text, key] = advice
    return failure(code, serverStatus, text(said, at(target)), withStatus(key, status, url))
  }
  if (status >= 300 && status < 400) {
    const text = `${said}${at(target)} (a redirect to another address): use the address it redirects to`
    return failure(
      'upstream_rejected',
      'error',
      text,
      reasonOf('upstream.http.redirect', { status, url }),
    )
  }
  const quoted = serverText(body)
  const detail = quoted ? `: "${quoted}"` : ''
  if (status >= 500) {
    const why = quoted
      ? reasonOf('upstream.http.serverErrorSaid', { status, said: quoted })
      : reasonOf('upstream.http.serverError', { status })
    return failure('upstream_failed', 'error', `${said}${detail}: check the server's logs`, why)
  }
  if (status >= 400) {
    const why = quoted
      ? reasonOf('upstream.http.clientErrorSaid', { status, said: quoted })
      : reasonOf('upstream.http.clientError', { status })
    return failure(
      'upstream_rejected',
      'error',
      `${said}${detail}: check the URL and transport`,
      why,
    )
  }
  return failure(
    'upstream_failed',
    'error',
    `${said} but not with MCP: check the URL path`,
    reasonOf('upstream.http.notMcp', { status }),
  )
}

/** The reason of a status advice: every one names the status, the path ones the URL too. */
function withStatus(key: ErrorReasonKey, status: number, url: string): ErrorReason {
  const withUrl = key === 'upstream.http.notFound' || key === 'upstream.http.methodNotAllowed'
  return { key, params: withUrl ? { status, url } : { status } }
}

function contentTypeFailure(error: unknown): McpFailure | null {
  for (const entry of errorChain(error)) {
    const isUnexpected =
      (entry instanceof SdkError && entry.code === SdkErrorCode.ClientHttpUnexpectedContent) ||
      (entry instanceof SseError && /content.type/i.test(entry.message))
    if (!isUnexpected) continue
    const data = entry instanceof SdkError ? (entry.data as { contentType?: unknown }) : undefined
    const type = typeof data?.contentType === 'string' ? data.contentType : entry.message
    if (/html/i.test(type))
      return failure('upstream_failed', 'error', HTML_ANSWER, reasonOf('upstream.html', {}))
    const text =
      'this URL did not answer with MCP (unexpected content type): check the URL path and the transport'
    return failure('upstream_failed', 'error', text, reasonOf('upstream.unexpectedContent', {}))
  }
  return null
}

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL', 'EAI_NODATA'])
const CLOSED_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'ERR_STREAM_PREMATURE_CLOSE',
])
const TIMEOUT_CODES = new Set([
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
])

function networkFailure(error: unknown, target: Target): McpFailure | null {
  for (const entry of errorChain(error)) {
    if (entry instanceof ResponseTooLargeError) {
      return failure(
        'upstream_failed',
        'error',
        entry.message,
        reasonOf('upstream.tooLarge', { limit: megabytes(entry.limitBytes) }),
      )
    }
    // fetch refuses some ports outright (https://fetch.spec.whatwg.org/#bad-port), before any
    // connection is tried: say so rather than "fetch failed".
    if (entry instanceof Error && entry.message === 'bad port') {
      const port = hostPortOf(target).split(':').pop()
      return failure(
        'upstream_rejected',
        'error',
        `port ${port} is blocked for web clients (the fetch standard's "bad ports"): run the server on another port`,
        reasonOf('upstream.badPort', { port: port ?? '' }),
      )
    }
    const code = codeOf(entry)
    if (!code) continue
    const info = entry as { hostname?: unknown; address?: unknown; port?: unknown }
    const host = typeof info.hostname === 'string' ? info.hostname : hostOf(target)
    const address =
      typeof info.address === 'string' && typeof info.port === 'number'
        ? `${info.address}:${info.port}`
        : hostPortOf(target)
    if (DNS_CODES.has(code)) {
      const temporary = code === 'EAI_AGAIN'
      const hint = temporary ? ' (temporary DNS failure; try again)' : ''
      return failure(
        'upstream_failed',
        'offline',
        `DNS lookup failed for ${host}${hint}`,
        reasonOf(temporary ? 'upstream.dnsTemporary' : 'upstream.dns', { host }),
      )
    }
    if (code === 'ECONNREFUSED') {
      const text = `could not connect to ${address} (connection refused): is the server running?`
      return failure(
        'upstream_failed',
        'offline',
        text,
        reasonOf('upstream.connectionRefused', { address }),
      )
    }
    if (CLOSED_CODES.has(code)) {
      return failure(
        'upstream_failed',
        'offline',
        'the connection closed before the server answered',
        reasonOf('upstream.connectionClosed', {}),
      )
    }
    if (TIMEOUT_CODES.has(code)) {
      return failure(
        'upstream_timeout',
        'offline',
        `could not connect to ${address} (timed out)`,
        reasonOf('upstream.connectTimeout', { address }),
      )
    }
    if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') {
      return failure(
        'upstream_failed',
        'offline',
        `could not reach ${address} (no route to host)`,
        reasonOf('upstream.noRoute', { address }),
      )
    }
    const tls = tlsMessage(code, entry, host)
    if (tls) return failure('upstream_failed', 'error', tls.message, tls.reason)
    const spawn = spawnMessage(code, entry)
    if (spawn) return failure('upstream_failed', 'error', spawn.message, spawn.reason)
  }
  return null
}

interface Said {
  message: string
  reason: ErrorReason
}

function tlsMessage(code: string, error: unknown, host: string): Said | null {
  const text = error instanceof Error ? error.message : ''
  const said = (message: string, key: ErrorReasonKey) => ({
    message,
    reason: { key, params: { host } },
  })
  if (code === 'CERT_HAS_EXPIRED') {
    return said(`the TLS certificate of ${host} has expired`, 'upstream.tls.expired')
  }
  if (code === 'DEPTH_ZERO_SELF_SIGNED_CERT' || code === 'SELF_SIGNED_CERT_IN_CHAIN') {
    return said(
      `the TLS certificate of ${host} is self-signed and not trusted`,
      'upstream.tls.selfSigned',
    )
  }
  if (code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' || code === 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY') {
    return said(
      `the TLS certificate of ${host} is not signed by a trusted authority`,
      'upstream.tls.untrusted',
    )
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return said(`the TLS certificate does not match ${host}`, 'upstream.tls.hostMismatch')
  }
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || /wrong version number/i.test(text)) {
    return said(
      `the TLS handshake with ${host} failed: is this an https URL on a plain http port?`,
      'upstream.tls.plainHttp',
    )
  }
  if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_') || code === 'EPROTO') {
    return {
      message: `the TLS handshake with ${host} failed (${code})`,
      reason: reasonOf('upstream.tls.failed', { host, code }),
    }
  }
  return null
}

function spawnMessage(code: string, error: unknown): Said | null {
  const { syscall, path } = error as { syscall?: unknown; path?: unknown }
  if (typeof syscall !== 'string' || !syscall.startsWith('spawn')) return null
  const name = typeof path === 'string' ? clean(path) : ''
  const command = name ? `"${name}"` : 'the command'
  if (code === 'ENOENT') {
    return {
      message: `could not start ${command}: command not found; check the command`,
      reason: reasonOf('upstream.spawn.notFound', { command: name }),
    }
  }
  if (code === 'EACCES') {
    return {
      message: `could not start ${command}: permission denied`,
      reason: reasonOf('upstream.spawn.denied', { command: name }),
    }
  }
  return {
    message: `could not start ${command} (${code})`,
    reason: reasonOf('upstream.spawn.failed', { command: name, code }),
  }
}

function protocolFailure(error: unknown): McpFailure | null {
  for (const entry of errorChain(error)) {
    if (entry instanceof ProtocolError) {
      const said = clean(entry.message)
      const text = `server answered with an error: "${said}" (JSON-RPC ${entry.code})`
      const why = reasonOf('upstream.jsonRpcError', { said, code: entry.code })
      return failure('upstream_rejected', 'error', text, why)
    }
    if (entry instanceof Error && entry.message.startsWith("Server's protocol version")) {
      const version = clean(entry.message.replace(/^[^:]*:\s*/, ''))
      const text = `the server speaks MCP protocol version "${version}", which Switchboard does not support`
      return failure(
        'upstream_rejected',
        'error',
        text,
        reasonOf('upstream.protocolVersion', { version }),
      )
    }
    if (entry instanceof Error && /subprotocol/i.test(entry.message)) {
      const text =
        'the server did not accept the WebSocket subprotocol "mcp": is this an MCP WebSocket URL?'
      return failure(
        'upstream_rejected',
        'error',
        text,
        reasonOf('upstream.websocketSubprotocol', {}),
      )
    }
  }
  return null
}

const CLOSED_SDK_CODES = new Set<string>([
  SdkErrorCode.ConnectionClosed,
  SdkErrorCode.NotConnected,
  SdkErrorCode.SendFailed,
])

function closedFailure(error: unknown, target: Target): McpFailure | null {
  const closed = errorChain(error).some(
    (entry) =>
      (entry instanceof SdkError && CLOSED_SDK_CODES.has(entry.code)) ||
      (entry instanceof Error &&
        /closed before the connection was established/i.test(entry.message)),
  )
  if (!closed) return null
  if (target.transport === 'stdio') {
    const text =
      'the server process exited before it answered: check its command and the server log'
    return failure('upstream_failed', 'offline', text, reasonOf('upstream.processExited', {}))
  }
  const text = 'the connection closed before the server answered'
  return failure('upstream_failed', 'offline', text, reasonOf('upstream.connectionClosed', {}))
}

function invalidMcpFailure(error: unknown): McpFailure | null {
  const invalid = errorChain(error).some(
    (entry) =>
      (entry instanceof SdkError && entry.code === SdkErrorCode.InvalidResult) ||
      entry instanceof SyntaxError ||
      (entry instanceof Error && (entry.name === 'ZodError' || entry.name === '$ZodError')) ||
      (entry instanceof Error && entry.message.startsWith('Server sent invalid initialize result')),
  )
  if (!invalid) return null
  const text = 'the server sent a response that is not valid MCP'
  return failure('upstream_failed', 'error', text, reasonOf('upstream.invalidMcp', {}))
}

function fallbackFailure(error: unknown): McpFailure {
  if (error instanceof Error && error.name === 'AbortError') {
    return failure(
      'upstream_failed',
      'error',
      'the request was cancelled',
      reasonOf('upstream.cancelled', {}),
    )
  }
  const text = error instanceof Error ? clean(error.message) : ''
  if (!text) {
    return failure(
      'upstream_failed',
      'error',
      'could not talk to the server',
      reasonOf('upstream.failed', {}),
    )
  }
  return failure(
    'upstream_failed',
    'error',
    `could not talk to the server: ${text}`,
    reasonOf('upstream.failedWith', { detail: text }),
  )
}

function failure(
  code: McpFailure['code'],
  status: McpFailure['status'],
  message: string,
  why: ErrorReason,
): McpFailure {
  return { code, status, message, reason: why }
}

/** The error and its causes (and AggregateError members), outermost first, at most 8. */
function errorChain(error: unknown): unknown[] {
  const seen: unknown[] = []
  const queue: unknown[] = [error]
  while (queue.length > 0 && seen.length < 8) {
    const next = queue.shift()
    if (next === undefined || next === null || seen.includes(next)) continue
    seen.push(next)
    if (next instanceof AggregateError) queue.push(...next.errors)
    if (next instanceof Error) queue.push(next.cause)
  }
  return seen
}

function codeOf(error: unknown): string | null {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' ? code : null
}

/** What the server said in an error body: a JSON-RPC error message or short plain text. */
function serverText(body: string | undefined): string | null {
  const text = body?.trim()
  if (!text || text.startsWith('<')) return null
  try {
    const parsed = JSON.parse(text) as { error?: { message?: unknown }; message?: unknown }
    const message = parsed.error?.message ?? parsed.message
    return typeof message === 'string' ? clean(message) : null
  } catch {
    return clean(text)
  }
}

/** Server text is untrusted: one line, invisible characters gone, at most 300 characters. */
function clean(text: string): string {
  return sanitizeText(text, { maxChars: MAX_QUOTE_CHARS })
}

/** " at https://host/path": origin and path only; a query string may carry a key. */
function at(target: Target): string {
  const url = urlOf(target)
  return url ? ` at ${url}` : ''
}

/** The server's origin and path (never its query string), or '' without a URL. */
function urlOf(target: Target): string {
  const url = parseUrl(target.url)
  return url ? `${url.origin}${url.pathname}` : ''
}

function hostOf(target: Target): string {
  return parseUrl(target.url)?.hostname ?? 'the server'
}

function hostPortOf(target: Target): string {
  const url = parseUrl(target.url)
  if (!url) return 'the server'
  const port = url.port || (url.protocol === 'https:' || url.protocol === 'wss:' ? '443' : '80')
  return `${url.hostname}:${port}`
}

function parseUrl(text: string | undefined): URL | null {
  return text && URL.canParse(text) ? new URL(text) : null
}

function redact(result: McpFailure, secrets: readonly string[] = []): McpFailure {
  const params = result.reason.params
  const reason = params
    ? {
        ...result.reason,
        params: Object.fromEntries(
          Object.entries(params).map(([name, value]) => [
            name,
            typeof value === 'string' ? redactSecrets(value, secrets) : value,
          ]),
        ),
      }
    : result.reason
  return { ...result, message: redactSecrets(result.message, secrets), reason }
}

/** Scheme words of an Authorization value: not secret, and common in messages. */
const AUTH_SCHEMES = /^(bearer|basic|token|digest)$/i

/**
 * `text` with every credential taken out: Bearer/Basic values, and each secret given (and each
 * of its lines or words, so a value split by a line break is caught in every part).
 */
export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  let clean = text.replace(/\b(Bearer|Basic)\s+[^\s"']+/gi, '$1 [redacted]')
  const parts = secrets.flatMap((secret) => [
    secret,
    ...secret.split(/\s+/).filter((word) => !AUTH_SCHEMES.test(word)),
  ])
  // Longest first, so a whole secret is replaced before one of its parts.
  for (const part of [...new Set(parts)].sort((a, b) => b.length - a.length)) {
    if (part.length >= 4) clean = clean.replaceAll(part, '[redacted]')
  }
  return clean
}

/** A limit as configured: 10_000 -> "10 s", 1_500 -> "1.5 s". */
export function formatSeconds(ms: number): string {
  return `${seconds(ms)} s`
}

/** A limit in seconds, as precise as it was set (at most two decimals): 1_500 -> 1.5. */
function seconds(ms: number): number {
  return Number((ms / 1000).toFixed(2))
}

/**
 * A wait that counts down, for people: "less than a second" under one, else whole seconds
 * rounded up ("3 s"): "not trying again for 0.01 s" says nothing useful.
 */
export function formatWait(ms: number): string {
  return ms < 1000 ? 'less than a second' : `${waitSeconds(ms)} s`
}

/** The whole seconds of a wait, rounded up (never 0 for a wait that is not over). */
export function waitSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000))
}
