import { isAPIError } from 'better-auth/api'
import { ANONYMOUS, type AuditDeps, recordAudit } from '../audit/audit-log.ts'
import type { Config, OidcConfig } from '../config/config.ts'
import { ConfigError } from '../config/config.ts'
import type { Db } from '../db/database.ts'
import { revokeOtherSignIns } from '../db/sso-links.ts'
import { findUserById, promoteIfNoAdmin, setUserRole } from '../db/users.ts'
import { AppError } from '../errors.ts'
import type { EventBus } from '../events/event-bus.ts'
import type { Auth } from './auth.ts'
import {
  OIDC_PROVIDER_ID,
  roleFromGroups,
  type SsoCallbackScope,
  ssoCallbackScope,
} from './sso-plugins.ts'
import { forgetCachedTokens, type TokenCaches } from './token-cache.ts'

export interface SsoDeps extends AuditDeps, TokenCaches {
  db: Db
  auth: Auth
  config: Pick<Config, 'publicUrl' | 'auth'>
  events: EventBus
}

/** Where the sign-in page is: every refused SSO sign-in lands there with `?error=<code>`. */
const LOGIN_PAGE = '/login'
const DISCOVERY_TIMEOUT_MS = 5_000

export type IssuerCheck =
  | { ok: true }
  | { ok: false; problem: 'unreachable'; detail: string }
  | { ok: false; problem: 'mismatch'; found: string }

/**
 * Reads the provider's discovery document and checks it names exactly the configured issuer
 * (OpenID Connect Discovery 1.0 §4.3): a document for another issuer means the URL is wrong, or
 * someone else answers it, and its keys must not be trusted.
 */
export async function checkIssuer(
  oidc: Pick<OidcConfig, 'issuer'>,
  fetchFn: typeof fetch = fetch,
): Promise<IssuerCheck> {
  const url = `${oidc.issuer}/.well-known/openid-configuration`
  const get = () =>
    fetchFn(url, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(DISCOVERY_TIMEOUT_MS),
    })
  let document: { issuer?: unknown }
  try {
    // Once more on a network error: a kept-alive connection the provider just closed fails once.
    const res = await get().catch((error: unknown) => {
      if (error instanceof Error && error.name === 'TimeoutError') throw error
      return get()
    })
    if (!res.ok)
      return { ok: false, problem: 'unreachable', detail: `${url} answered ${res.status}` }
    document = (await res.json()) as { issuer?: unknown }
  } catch (error) {
    return { ok: false, problem: 'unreachable', detail: `${url}: ${(error as Error).message}` }
  }
  const found = typeof document?.issuer === 'string' ? document.issuer : String(document?.issuer)
  if (found.replace(/\/+$/, '') !== oidc.issuer) return { ok: false, problem: 'mismatch', found }
  return { ok: true }
}

/**
 * At start-up: a provider that names another issuer stops the start (the operator must fix the
 * file); one that cannot be reached is only logged, since it may come up later.
 */
export async function checkIssuerAtStart(
  deps: { config: Pick<Config, 'auth' | 'publicUrl'>; log: AuditDeps['log'] },
  fetchFn: typeof fetch = fetch,
): Promise<void> {
  const oidc = deps.config.auth.oidc
  if (!oidc) return
  const check = await checkIssuer(oidc, fetchFn)
  if (!check.ok && check.problem === 'mismatch') {
    throw new ConfigError(issuerMismatch(oidc, check.found))
  }
  if (!check.ok) {
    deps.log.warn({ issuer: oidc.issuer, detail: check.detail }, 'OIDC provider unreachable')
  } else {
    deps.log.info(
      { issuer: oidc.issuer, redirectUri: ssoRedirectUri(deps.config) },
      'single sign-on ready',
    )
  }
}

/** The redirect URI to register at the provider. */
export function ssoRedirectUri(config: Pick<Config, 'publicUrl'>): string {
  return `${config.publicUrl}/api/auth/callback/${OIDC_PROVIDER_ID}`
}

/**
 * Starts a sign-in at the provider: returns its authorization URL and the cookie that ties the
 * callback to this browser (better-auth keeps the state, PKCE verifier and nonce server-side).
 */
export async function startSsoSignIn(
  deps: Pick<SsoDeps, 'auth' | 'config' | 'log'>,
  input: { returnTo?: string | undefined; headers: Headers },
): Promise<{ url: string; headers: Headers }> {
  const oidc = deps.config.auth.oidc
  if (!oidc) throw new AppError('not_found', 'single sign-on is not configured')
  const check = await checkIssuer(oidc)
  if (!check.ok && check.problem === 'mismatch') {
    throw new AppError('sso_issuer_mismatch', issuerMismatch(oidc, check.found))
  }
  if (!check.ok) {
    deps.log.warn({ issuer: oidc.issuer, detail: check.detail }, 'OIDC provider unreachable')
    throw unavailable(oidc)
  }
  const base = deps.config.publicUrl
  try {
    const { headers, response } = await deps.auth.api.signInSocial({
      body: {
        provider: OIDC_PROVIDER_ID,
        // Absolute URLs on our own origin only: the path was checked by the schema (no `//`).
        callbackURL: `${base}${input.returnTo ?? '/chat'}`,
        errorCallbackURL: `${base}${LOGIN_PAGE}`,
        disableRedirect: true,
      },
      headers: input.headers,
      returnHeaders: true,
    })
    if (!response.url) throw unavailable(oidc)
    return { url: response.url, headers }
  } catch (error) {
    // The plugin drops a provider whose discovery failed (and retries on the next start).
    if (isAPIError(error)) throw unavailable(oidc, error)
    throw error
  }
}

/**
 * The provider's redirect back: better-auth checks state, code, PKCE, ID token and nonce and opens
 * the session; then Switchboard gives the role (the provider's groups, or first account = admin),
 * closes other ways into an account it has just linked, and audits. A refusal of any kind lands
 * on the sign-in page with one error code and nothing else from the URL, which anyone can write.
 */
export async function finishSsoSignIn(
  deps: SsoDeps,
  input: { request: Request; ip?: string | undefined },
): Promise<Response> {
  const oidc = deps.config.auth.oidc
  if (!oidc) return redirect(`${deps.config.publicUrl}${LOGIN_PAGE}`, new Headers())
  const scope: SsoCallbackScope = {}
  const res = await ssoCallbackScope.run(scope, () => deps.auth.handler(input.request))
  const location = res.headers.get('location')
  const error = location ? errorCodeOf(location) : 'unknown_error'
  if (!scope.userId || !scope.sessionId || error) {
    const code = error ?? 'unknown_error'
    await recordAudit(deps, {
      userId: null,
      actor: ANONYMOUS,
      action: 'auth.sign_in_failed',
      ip: input.ip,
      details: { method: 'sso', error: code },
    })
    deps.log.warn({ error: code }, 'single sign-on refused')
    const login = new URL(`${deps.config.publicUrl}${LOGIN_PAGE}`)
    login.searchParams.set('error', code)
    return redirect(login.href, res.headers)
  }
  await afterSsoSignIn(deps, oidc, { ...scope, userId: scope.userId, sessionId: scope.sessionId })
  const user = await findUserById(deps.db, { id: scope.userId })
  await recordAudit(deps, {
    userId: scope.userId,
    actor: user?.email ?? scope.userId,
    action: scope.action === 'create-user' ? 'auth.register' : 'auth.sign_in',
    ip: input.ip,
    details: { method: 'sso', role: user?.role },
  })
  return res
}

async function afterSsoSignIn(
  deps: SsoDeps,
  oidc: OidcConfig,
  scope: SsoCallbackScope & { userId: string; sessionId: string },
): Promise<void> {
  const role = roleFromGroups(oidc, scope.profile ?? {})
  if (role) {
    const user = await findUserById(deps.db, { id: scope.userId })
    if (user && user.role !== role) {
      await setUserRole(deps.db, { id: scope.userId, role })
      deps.log.info({ userId: scope.userId, role }, 'role set from the provider’s groups')
    }
  } else if (scope.action === 'create-user') {
    await promoteIfNoAdmin(deps.db, { id: scope.userId })
  }
  if (scope.linkedUnverifiedAccount) {
    const revoked = await revokeOtherSignIns(deps.db, {
      userId: scope.userId,
      keepSessionId: scope.sessionId,
    })
    if (revoked.apiTokens > 0) forgetCachedTokens(deps)
    deps.log.info({ userId: scope.userId, ...revoked }, 'linked to single sign-on')
  }
}

/** `error` of a redirect URL, kept only if it looks like a code; null for no error. */
function errorCodeOf(location: string): string | null {
  const url = URL.canParse(location) ? new URL(location) : new URL(location, 'http://relative')
  const error = url.searchParams.get('error')
  if (error === null) return null
  return /^[A-Za-z0-9_]{1,64}$/.test(error) ? error.toLowerCase() : 'unknown_error'
}

/** A redirect carrying the Set-Cookie headers better-auth gave (state cookie cleared). */
function redirect(location: string, from: Headers): Response {
  const headers = new Headers({ location, 'cache-control': 'no-store' })
  for (const cookie of from.getSetCookie()) headers.append('set-cookie', cookie)
  return new Response(null, { status: 302, headers })
}

function unavailable(oidc: OidcConfig, cause?: unknown): AppError {
  return new AppError(
    'sso_unavailable',
    `${oidc.displayName} cannot be reached right now: try again later, or tell your administrator`,
    { cause },
  )
}

function issuerMismatch(oidc: OidcConfig, found: string): string {
  return `auth.oidc.issuer: ${oidc.issuer} serves the discovery document of issuer ${found}: set issuer to exactly the provider's issuer`
}
