import { AsyncLocalStorage } from 'node:async_hooks'
import type { BetterAuthPlugin, ValidateUserInfoResult, ValidateUserInfoSource } from 'better-auth'
import { genericOAuth } from 'better-auth/plugins/generic-oauth'
import type { Config, OidcConfig } from '../config/config.ts'
import type { Db } from '../db/database.ts'
import { findUserById } from '../db/users.ts'

/**
 * Single sign-on with an OpenID Connect provider, from better-auth's generic OAuth plugin (OIDC
 * discovery from the issuer, PKCE, state, nonce, ID tokens checked against the provider's keys and
 * `iss` of the authorization response, RFC 9207). Its sign-in start is called through the server
 * API and only its callback path is mounted (routes/sso.ts). Our own small plugin beside it
 * refuses disabled accounts and unverified emails, links to an account with the same (verified)
 * email, and keeps none of the provider's tokens: Switchboard never calls the provider for the
 * user, so there is nothing to keep them for.
 */

export const OIDC_PROVIDER_ID = 'oidc'
/** The redirect URI to register at the provider is the public URL + this path. */
export const SSO_CALLBACK_PATH = `/api/auth/callback/${OIDC_PROVIDER_ID}`

/** Error codes of ours that a refused SSO sign-in lands on the sign-in page with (`?error=`). */
export const SSO_REFUSALS = {
  disabled: 'account_disabled',
  emailNotVerified: 'email_not_verified',
} as const

/**
 * What one callback learned inside better-auth, for the work after it (auth/sso.ts): who signed
 * in, whether they are new, and the provider's claims (groups). One scope per callback request.
 */
export interface SsoCallbackScope {
  action?: ValidateUserInfoSource['action']
  profile?: Record<string, unknown>
  userId?: string
  sessionId?: string
  /** The sign-in linked an existing account whose email Switchboard had never verified. */
  linkedUnverifiedAccount?: boolean
}

/** A per-request scope (like a tracing context), not shared state: nothing in it outlives it. */
export const ssoCallbackScope = new AsyncLocalStorage<SsoCallbackScope>()

export function ssoPlugins(deps: { config: Config; db: Db }): BetterAuthPlugin[] {
  const oidc = deps.config.auth.oidc
  if (!oidc) return []
  return [
    genericOAuth({
      config: [
        {
          providerId: OIDC_PROVIDER_ID,
          name: oidc.displayName,
          discoveryUrl: `${oidc.issuer}/.well-known/openid-configuration`,
          // No provider at all rather than one whose ID tokens go unchecked.
          requireIdTokenVerification: true,
          clientId: oidc.clientId,
          clientSecret: oidc.clientSecret,
          scopes: oidc.scopes,
          pkce: true,
          disableSignUp: !oidc.createAccounts,
          mapProfileToUser: () => (oidc.requireVerifiedEmail ? {} : { emailVerified: true }),
        },
      ],
    }) as BetterAuthPlugin,
    switchboardSso(deps.db),
  ]
}

function switchboardSso(db: Db): BetterAuthPlugin {
  const stripTokens = <T extends { providerId?: string }>(account: T) =>
    account.providerId === OIDC_PROVIDER_ID
      ? {
          data: {
            ...account,
            accessToken: null,
            refreshToken: null,
            idToken: null,
            accessTokenExpiresAt: null,
            refreshTokenExpiresAt: null,
          },
        }
      : undefined
  return {
    id: 'switchboard-sso',
    init: () => ({
      options: {
        account: {
          // An account with the same email is linked at the first SSO sign-in, when the provider
          // says it verified that email (checked below): Switchboard itself verifies no emails,
          // so its own flag would never allow it.
          accountLinking: { enabled: true, requireLocalEmailVerified: false },
        },
        user: {
          validateUserInfo: async ({ user, source }) => {
            if (source.method !== 'oauth' || source.oauth?.providerId !== OIDC_PROVIDER_ID) return
            return checkSsoUser(db, { user, source })
          },
        },
        databaseHooks: {
          account: {
            create: { before: async (account) => stripTokens(account) },
            update: { before: async (account) => stripTokens(account) },
          },
          session: {
            create: {
              after: async (session) => {
                const scope = ssoCallbackScope.getStore()
                if (!scope) return
                scope.userId = session.userId
                scope.sessionId = session.id
              },
            },
          },
        },
      },
    }),
  }
}

/** Refuses what Switchboard must not let in, and notes what the callback learned. */
async function checkSsoUser(
  db: Db,
  input: { user: Record<string, unknown>; source: ValidateUserInfoSource },
): Promise<ValidateUserInfoResult | undefined> {
  const { user, source } = input
  const scope = ssoCallbackScope.getStore()
  if (scope) {
    scope.action = source.action
    scope.profile = source.oauth?.profile ?? {}
  }
  if (source.action !== 'sign-in' && user.emailVerified !== true) {
    return {
      error: SSO_REFUSALS.emailNotVerified,
      errorDescription: 'the identity provider has not verified this email address',
    }
  }
  if (source.action === 'create-user' || typeof user.id !== 'string') return
  const existing = await findUserById(db, { id: user.id })
  if (existing && isDisabled(existing)) {
    return { error: SSO_REFUSALS.disabled, errorDescription: 'this account is disabled' }
  }
  if (scope && source.action === 'link-account' && existing && !existing.email_verified) {
    scope.linkedUnverifiedAccount = true
  }
}

/**
 * better-auth's admin plugin marks a disabled user `banned` (until `banExpires`, if set); this
 * reads those columns when the schema has them, so the check holds however the account was
 * disabled. (The admin plugin itself also refuses to open a session for a banned user.)
 */
export function isDisabled(row: object): boolean {
  const { banned, ban_expires: expires } = row as { banned?: unknown; ban_expires?: unknown }
  if (banned !== true) return false
  return !(expires instanceof Date) || expires.getTime() > Date.now()
}

/** The groups the provider put in `claim` (a dotted path such as `realm_access.roles` works). */
export function groupsOf(profile: Record<string, unknown>, claim: string): string[] {
  let value: unknown = claim in profile ? profile[claim] : profile
  if (!(claim in profile)) {
    for (const key of claim.split('.')) {
      value =
        value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined
    }
  }
  if (typeof value === 'string') return [value]
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []
}

/** The role the provider's groups give, or null when roles are Switchboard's to manage. */
export function roleFromGroups(
  oidc: Pick<OidcConfig, 'adminGroups' | 'groupsClaim'>,
  profile: Record<string, unknown>,
): 'admin' | 'user' | null {
  if (oidc.adminGroups.length === 0) return null
  const groups = new Set(groupsOf(profile, oidc.groupsClaim))
  return oidc.adminGroups.some((group) => groups.has(group)) ? 'admin' : 'user'
}
