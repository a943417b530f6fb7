/**
 * Browser sign-in to a user's OAuth-protected MCP server (MCP spec 2025-11-25, "Authorization"):
 * `startOAuth` discovers the authorization server (RFC 9728, then RFC 8414 / OpenID discovery),
 * registers Switchboard as a client when no client id is configured (RFC 7591) and builds the
 * authorization URL (PKCE S256, `state`, the `resource` indicator of RFC 8707); `finishOAuth`
 * takes the browser's callback, exchanges the code, stores the tokens sealed, and checks the
 * server again. The protocol steps are the SDK's `auth()`; this module adds the state, the user,
 * the lock and the errors a user can act on.
 *
 * @module
 */

import { randomBytes } from 'node:crypto'
import type { FetchLike } from '@modelcontextprotocol/client'
import {
  AuthorizationServerMismatchError,
  auth,
  computeScopeUnion,
  extractWWWAuthenticateParams,
  InsecureTokenEndpointError,
  IssuerMismatchError,
  LATEST_PROTOCOL_VERSION,
  OAuthError,
  RegistrationRejectedError,
} from '@modelcontextprotocol/client'
import { reasonOf } from '../../../shared/error-reasons.ts'
import { type AuditSource, recordAudit, SYSTEM } from '../../audit/audit-log.ts'
import type { Config } from '../../config/config.ts'
import type { SecretBox } from '../../crypto/secret-box.ts'
import { findServerForUser, type McpServerRowWithCounts } from '../../db/mcp-servers.ts'
import {
  claimOAuthState,
  deleteExpiredOAuthStates,
  deleteOAuthState,
} from '../../db/oauth-states.ts'
import { AppError, NotFoundError, UpstreamError } from '../../errors.ts'
import type { Logger } from '../../log.ts'
import { sanitizeText } from '../../untrusted-text.ts'
import type { McpFailure } from '../client/endpoint.ts'
import { checkUrl, SsrfError } from '../client/ssrf-guard.ts'
import type { UpstreamHttp } from '../client/upstream-http.ts'
import { endpointOfRow } from '../servers/endpoint-of-row.ts'
import { probeServer } from '../servers/probe.ts'
import { recordCheck, type ServerStateDeps, serverChanged } from '../servers/state.ts'
import { oauthLockFor, oauthLockKey } from './lock.ts'
import { createOAuthFetch, createServerOAuthProvider } from './provider.ts'

/** The sign-in stores the tokens sealed, then checks the server and records its state. */
export interface OAuthFlowDeps extends ServerStateDeps {
  box: SecretBox
  config: Config
  log: Logger
  upstreamHttp: UpstreamHttp
}

export const EXPIRED_SIGN_IN = 'this sign-in link expired or was already used: start again'
const SIGN_IN_AGAIN = "sign in again: the server's authorization expired"

const MAX_QUOTE_CHARS = 300

/**
 * Starts a sign-in for the user's server and returns the authorization server's URL to send the
 * browser to. 404 for a server that is not the caller's; 400 unless its auth type is `oauth`;
 * 422 when discovery or registration is refused (SSRF guard included), 502/504 when the
 * authorization server cannot be reached.
 */
export async function startOAuth(
  deps: Pick<OAuthFlowDeps, 'db' | 'box' | 'config' | 'log' | 'now' | 'upstreamHttp'>,
  input: { userId: string; serverId: string },
): Promise<{ authorizationUrl: string }> {
  const row = await oauthServer(deps, { userId: input.userId, id: input.serverId })
  const serverUrl = row.url!
  await deleteExpiredOAuthStates(deps.db, { now: deps.now() })
  const state = randomBytes(32).toString('base64url')
  let authorizationUrl: URL | undefined
  const provider = createServerOAuthProvider(deps, serverRef(row), {
    state,
    onRedirect: (url) => {
      authorizationUrl = url
    },
  })
  const fetchFn = oauthFetch(deps)
  try {
    checkUrl(serverUrl, deps.upstreamHttp.ssrfPolicy)
    // A new sign-in is when a server that moved to another authorization server is noticed.
    await provider.invalidateCredentials?.('discovery')
    const challenge = await readChallenge(row, fetchFn)
    const config = row.config as { oauth?: { scope?: string }; oauthRequestedScope?: unknown }
    // The configured scope, else the one the server's 401 names; plus what a step-up asked for.
    // With none of them the SDK takes the resource's scopes_supported (MCP "Scope Selection").
    const scope = computeScopeUnion(
      config.oauth?.scope || challenge.scope,
      typeof config.oauthRequestedScope === 'string' ? config.oauthRequestedScope : undefined,
    )
    await auth(provider, {
      serverUrl,
      fetchFn,
      forceReauthorization: true,
      ...(scope ? { scope } : {}),
      ...(challenge.resourceMetadataUrl
        ? { resourceMetadataUrl: challenge.resourceMetadataUrl }
        : {}),
    })
  } catch (error) {
    throw toFlowError(error)
  }
  const url = authorizationUrl as URL | undefined
  // It becomes a Location in the user's browser: never a javascript: or data: URL.
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw new UpstreamError(
      'upstream_rejected',
      "the authorization server's sign-in page is not an http(s) URL",
      { reason: reasonOf('oauth.signInPageNotHttp', {}) },
    )
  }
  return { authorizationUrl: url.href }
}

/**
 * Finishes the sign-in that `state` names: the state works once, only for the user who started
 * it and for 10 minutes (400 otherwise). Exchanges the code, stores the tokens, marks the server
 * connected, then checks it and syncs its tools (the outcome becomes its status, announced over
 * `GET /api/events`). An authorization server's refusal is a 422 quoting its error.
 */
export async function finishOAuth(
  deps: OAuthFlowDeps,
  input: {
    userId: string
    state: string
    code?: string | undefined
    /** RFC 9207: the issuer the callback names, checked against the one sign-in started with. */
    iss?: string | undefined
    error?: string | undefined
    errorDescription?: string | undefined
  } & AuditSource,
): Promise<{ serverId: string }> {
  const now = deps.now()
  const claimed = await claimOAuthState(deps.db, { state: input.state, now })
  // Claimed even when presented by someone else: a state seen elsewhere is burnt.
  if (!claimed || claimed.user_id !== input.userId || claimed.expires_at <= now) {
    if (claimed) await deleteOAuthState(deps.db, input)
    throw new AppError('bad_request', EXPIRED_SIGN_IN, { reason: reasonOf('oauth.expired', {}) })
  }
  const key = { userId: input.userId, id: claimed.server_id }
  let serverName = ''
  try {
    if (input.error) throw refusal(input.error, input.errorDescription)
    if (!input.code) {
      throw new AppError('bad_request', 'the sign-in came back without a code: start again', {
        reason: reasonOf('oauth.noCode', {}),
      })
    }
    const row = await oauthServer(deps, key)
    serverName = row.name
    const provider = createServerOAuthProvider(deps, serverRef(row), { state: input.state })
    const authorizationCode = input.code
    // Saved under the lock: a refresh of the old tokens must not land after the new ones.
    await oauthLockFor(deps.db).run(oauthLockKey(row.user_id, row.id), () =>
      auth(provider, {
        serverUrl: row.url!,
        authorizationCode,
        fetchFn: oauthFetch(deps),
        ...(input.iss ? { iss: input.iss } : {}),
      }),
    )
  } catch (error) {
    throw toFlowError(error)
  } finally {
    await deleteOAuthState(deps.db, input)
  }
  await recordAudit(deps, {
    userId: input.userId,
    actor: input.actor ?? SYSTEM,
    action: 'server.oauth_connected',
    target: { type: 'mcp_server', id: claimed.server_id },
    ip: input.ip,
    details: { name: serverName },
  })
  // A session (and a circuit breaker) from before the sign-in must not outlive it.
  await deps.pool.drop({ userId: input.userId, serverId: claimed.server_id })
  await recheck(deps, key)
  return { serverId: claimed.server_id }
}

/** Connects with the new tokens and records what it found, as adding a server does. */
async function recheck(deps: OAuthFlowDeps, input: { userId: string; id: string }): Promise<void> {
  const row = await findServerForUser(deps.db, input)
  if (!row) return
  const authProvider = createServerOAuthProvider(deps, serverRef(row))
  const checked = await probeServer(deps, endpointOfRow(deps, row), { authProvider })
  const probe = checked.ok ? checked : { ...checked, failure: forOAuthServer(checked.failure) }
  await recordCheck(deps, { server: row, outcome: probe })
  // What the user may call changed with the grant, whatever the check found.
  await serverChanged(deps, { userId: input.userId, serverId: row.id })
}

/**
 * A failed connection to an OAuth server, worded for it: there, `needs_auth` (a 401, or a 403
 * asking for more scope) is fixed by signing in again, not by checking a token.
 */
export function forOAuthServer(failure: McpFailure): McpFailure {
  if (failure.status !== 'needs_auth') return failure
  return { ...failure, message: SIGN_IN_AGAIN, reason: reasonOf('upstream.signInAgain', {}) }
}

async function oauthServer(
  deps: Pick<OAuthFlowDeps, 'db'>,
  input: { userId: string; id: string },
): Promise<McpServerRowWithCounts> {
  const row = await findServerForUser(deps.db, input)
  if (!row) throw new NotFoundError('server')
  if (row.auth_type !== 'oauth') {
    throw new AppError(
      'bad_request',
      `this server uses ${row.auth_type} auth, not OAuth: change its auth to OAuth first`,
      {
        details: { fields: [{ field: 'auth.type', message: 'not oauth' }] },
        reason: reasonOf('oauth.notOAuth', { authType: row.auth_type }),
      },
    )
  }
  if (!row.url || (row.transport !== 'streamable-http' && row.transport !== 'sse')) {
    throw new AppError('bad_request', 'OAuth sign-in needs a streamable-http or sse server URL', {
      reason: reasonOf('oauth.needsHttpServer', {}),
    })
  }
  return row
}

function serverRef(row: McpServerRowWithCounts) {
  return { id: row.id, userId: row.user_id, config: row.config }
}

/** Every request of the flow is SSRF-guarded: users' URLs and whatever their metadata names. */
function oauthFetch(deps: Pick<OAuthFlowDeps, 'upstreamHttp'>): FetchLike {
  return createOAuthFetch(deps.upstreamHttp, { trusted: false })
}

/**
 * What the server's 401 says (RFC 9728 §5.1 `resource_metadata`, RFC 6750 §3 `scope`), from an
 * unauthenticated first request as a client would send it. Anything else: no hints, and the SDK
 * falls back to the well-known URLs.
 */
async function readChallenge(
  row: McpServerRowWithCounts,
  fetchFn: FetchLike,
): Promise<{ resourceMetadataUrl?: URL; scope?: string }> {
  const init: RequestInit =
    row.transport === 'sse'
      ? { method: 'GET', headers: { accept: 'text/event-stream' } }
      : {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'application/json, text/event-stream',
          },
          body: JSON.stringify({
            jsonrpc: '2.0',
            id: 0,
            method: 'initialize',
            params: {
              protocolVersion: LATEST_PROTOCOL_VERSION,
              capabilities: {},
              clientInfo: { name: 'switchboard', version: '0.1.0' },
            },
          }),
        }
  let response: Response
  try {
    response = await fetchFn(row.url!, { ...init, redirect: 'manual' })
  } catch (error) {
    if (error instanceof SsrfError) throw error
    return {}
  }
  await response.body?.cancel().catch(() => undefined)
  if (response.status !== 401) return {}
  const { resourceMetadataUrl, scope } = extractWWWAuthenticateParams(response)
  return {
    ...(resourceMetadataUrl ? { resourceMetadataUrl } : {}),
    ...(scope ? { scope: scope.slice(0, 1000) } : {}),
  }
}

/** Anything the flow threw, as the error the API answers with. Never echoes tokens or codes. */
function toFlowError(error: unknown): AppError {
  if (error instanceof AppError) return error
  if (error instanceof SsrfError) {
    return new UpstreamError('upstream_rejected', `OAuth sign-in refused: ${error.message}`, {
      cause: error,
      reason: error.reason ?? reasonOf('oauth.failed', { detail: error.message }),
    })
  }
  if (error instanceof OAuthError) {
    // The SDK's wrapper for an answer that is not an OAuth error quotes the raw body: not shown.
    const unreadable = /Invalid OAuth error response/.exec(error.message)
    if (unreadable) {
      const status = /^HTTP (\d{3})/.exec(error.message)?.[1]
      const said = status ? `HTTP ${status}` : 'an answer'
      return new UpstreamError(
        'upstream_failed',
        `the authorization server sent ${said} that is not an OAuth response`,
        {
          cause: error,
          reason: status
            ? reasonOf('oauth.notOAuthResponseStatus', { status: Number(status) })
            : reasonOf('oauth.notOAuthResponse', {}),
        },
      )
    }
    return refusal(error.code, error.message, error)
  }
  if (error instanceof RegistrationRejectedError) {
    const body = parseJson(error.body) as { error?: unknown; error_description?: unknown }
    const code = typeof body?.error === 'string' ? body.error : `HTTP ${error.status}`
    const description = typeof body?.error_description === 'string' ? body.error_description : ''
    return new UpstreamError(
      'upstream_rejected',
      `the authorization server refused to register Switchboard as a client: ${quote(code)}` +
        (description ? `: ${quote(description)}` : '') +
        '; set a client id (and secret) registered for Switchboard',
      {
        cause: error,
        reason: reasonOf('oauth.registrationRefused', {
          said: description ? `${quote(code)}: ${quote(description)}` : quote(code),
        }),
      },
    )
  }
  // The values these carry may come from an attacker (an OAuth mix-up): never shown.
  if (error instanceof IssuerMismatchError || error instanceof AuthorizationServerMismatchError) {
    return new UpstreamError(
      'upstream_rejected',
      'the authorization server is not the one this sign-in started with: start again',
      { cause: error, reason: reasonOf('oauth.issuerMismatch', {}) },
    )
  }
  if (error instanceof InsecureTokenEndpointError) {
    return new UpstreamError(
      'upstream_rejected',
      "the authorization server's token endpoint is not https: tokens would travel in clear",
      { cause: error, reason: reasonOf('oauth.insecureTokenEndpoint', {}) },
    )
  }
  if (isTimeout(error)) {
    return new UpstreamError(
      'upstream_timeout',
      `the authorization server did not answer in time: try again`,
      { cause: error, reason: reasonOf('oauth.timeout', {}) },
    )
  }
  const message = error instanceof Error ? error.message : String(error)
  if (/dynamic client registration/i.test(message)) {
    return new UpstreamError(
      'upstream_rejected',
      'the authorization server does not register clients itself: set a client id (and secret) for this server',
      { cause: error, reason: reasonOf('oauth.noRegistration', {}) },
    )
  }
  if (error instanceof TypeError) {
    return new UpstreamError('upstream_failed', 'could not reach the authorization server', {
      cause: error,
      reason: reasonOf('oauth.unreachable', {}),
    })
  }
  return new UpstreamError('upstream_failed', `OAuth sign-in failed: ${quote(message)}`, {
    cause: error,
    reason: reasonOf('oauth.failed', { detail: quote(message) }),
  })
}

/** The authorization server said no (RFC 6749 §4.1.2.1 / §5.2): 422 with its words. */
function refusal(code: string, description: string | undefined, cause?: unknown): UpstreamError {
  const said = description ? `${quote(code)}: ${quote(description)}` : quote(code)
  return new UpstreamError('upstream_rejected', `the authorization server refused: ${said}`, {
    cause,
    reason: reasonOf('oauth.refused', { said }),
    details: {
      error: quote(code),
      ...(description ? { errorDescription: quote(description) } : {}),
    },
  })
}

function isTimeout(error: unknown): boolean {
  for (let entry = error; entry instanceof Error; entry = entry.cause) {
    if (entry.name === 'TimeoutError') return true
  }
  return false
}

/** What an authorization server said, as untrusted text on one line. */
function quote(text: string): string {
  return sanitizeText(text, { maxChars: MAX_QUOTE_CHARS })
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return null
  }
}
