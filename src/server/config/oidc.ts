import type { OidcConfigFile } from '../../shared/config.ts'
import { ConfigError, type OidcConfig } from './config.ts'

type Env = Record<string, string | undefined>

const DEFAULT_SECRET_ENV = 'OIDC_CLIENT_SECRET'
const DEFAULT_SCOPES = ['openid', 'email', 'profile']

/**
 * `auth.oidc` as the app uses it, or null when single sign-on is off. Throws ConfigError naming
 * the key for what the schema cannot see: a secret that is missing from the environment, an
 * issuer that could not be an OpenID Connect issuer (OIDC Discovery 1.0 §2: https, no query or
 * fragment), or password sign-in turned off with no single sign-on to replace it.
 */
export function readOidcConfig(section: OidcConfigFile | undefined, env: Env): OidcConfig | null {
  if (!section) return null
  const issuer = section.issuer.replace(/\/+$/, '')
  const url = new URL(issuer)
  if (url.protocol !== 'https:' && !isLoopbackHttp(url)) {
    throw new ConfigError(
      `auth.oidc.issuer: must be an https URL (plain http only for a provider on localhost), got ${issuer}`,
    )
  }
  if (url.search || url.hash) {
    throw new ConfigError('auth.oidc.issuer: an issuer has no query or fragment')
  }
  if (url.username || url.password) {
    throw new ConfigError('auth.oidc.issuer: put no user name or password in the issuer URL')
  }
  const secretEnv = section.clientSecretEnv ?? DEFAULT_SECRET_ENV
  const clientSecret = env[secretEnv]
  if (!clientSecret) {
    throw new ConfigError(
      `auth.oidc: the client secret is read from the environment variable ${secretEnv}, which is not set`,
    )
  }
  const scopes = [...new Set(['openid', ...(section.scopes ?? DEFAULT_SCOPES)])]
  return {
    issuer,
    clientId: section.clientId,
    clientSecret,
    scopes,
    displayName: section.displayName ?? url.hostname,
    adminGroups: section.adminGroups ?? [],
    groupsClaim: section.groupsClaim ?? 'groups',
    createAccounts: section.createAccounts ?? true,
    requireVerifiedEmail: section.requireVerifiedEmail ?? true,
  }
}

/** Tokens cross the wire in the clear over http: only to a provider on this machine (development). */
function isLoopbackHttp(url: URL): boolean {
  return url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname)
}
