import { createHash } from 'node:crypto'
import { cimd } from '@better-auth/cimd'
import { fetchClientMetadataResource } from '@better-auth/cimd/node'
import { mcp } from '@better-auth/mcp'
import type { ClientMetadataResourceFetch } from '@better-auth/oauth-provider'
import type { Config } from '../config/config.ts'

/**
 * Switchboard as the OAuth 2.1 authorization server of its own MCP endpoint (issue 15), from
 * better-auth's pieces: `@better-auth/mcp` (the OAuth provider bound to the endpoint as its one
 * protected resource, and its RFC 9728 metadata) and `@better-auth/cimd` (clients identified by a
 * Client ID Metadata Document URL). Dynamic client registration is on only when the operator
 * leaves it on, for MCP clients older than CIMD.
 *
 * Access tokens are opaque rows, not JWTs: the endpoint looks each one up (through a short cache
 * that every instance drops on a revocation), so a revoked client is refused at once everywhere.
 */

/** The one scope a client asks for: use the user's MCP endpoint. */
export const MCP_SCOPE = 'mcp'
/** Prefixes that tell an OAuth token from a personal API token (`sb_`) at a glance. */
export const ACCESS_TOKEN_PREFIX = 'sbat_'
const REFRESH_TOKEN_PREFIX = 'sbrt_'
/** Where the OAuth provider's login and consent steps happen: pages of the web app. */
export const LOGIN_PAGE = '/login'
export const CONSENT_PAGE = '/oauth/consent'
export const OAUTH_ERROR_PAGE = '/oauth/error'

/** The endpoint's canonical resource identifier (RFC 8707): tokens are bound to it. */
export function mcpResource(config: Pick<Config, 'publicUrl'>): string {
  return `${config.publicUrl.replace(/\/$/, '')}/mcp`
}

/** Tokens are stored as hashes: a leaked table holds nothing that works. */
export function hashOAuthToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url')
}

export interface OAuthProviderOptions {
  config: Config
  /** How CIMD documents are fetched; the default resolves DNS once and refuses private hosts. */
  fetchClientMetadata?: ClientMetadataResourceFetch | undefined
}

/** The better-auth plugins, with their tables mapped to our snake_case schema (migration 0017). */
export function oauthProviderPlugins(options: OAuthProviderOptions) {
  const { config } = options
  const providerOptions = {
    loginPage: LOGIN_PAGE,
    consentPage: CONSENT_PAGE,
    resource: mcpResource(config),
    scopes: [MCP_SCOPE, 'offline_access'],
    clientRegistrationDefaultScopes: [MCP_SCOPE, 'offline_access'],
    clientRegistrationAllowedScopes: [MCP_SCOPE, 'offline_access'],
    allowDynamicClientRegistration: config.mcpEndpoint.dynamicClientRegistration,
    // MCP clients are public clients that register themselves (the spec's DCR path).
    allowUnauthenticatedClientRegistration: config.mcpEndpoint.dynamicClientRegistration,
    disableJwtPlugin: true,
    storeClientSecret: 'encrypted' as const,
    storeTokens: { hash: async (token: string) => hashOAuthToken(token) },
    prefix: { opaqueAccessToken: ACCESS_TOKEN_PREFIX, refreshToken: REFRESH_TOKEN_PREFIX },
    accessTokenExpiresIn: 60 * 60,
    refreshTokenExpiresIn: 60 * 60 * 24 * 90,
  }
  const schemaOf = (plugin: { schema?: Record<string, { fields: Record<string, unknown> }> }) =>
    snakeCaseSchema(plugin.schema ?? {})
  const provider = mcp({
    ...providerOptions,
    schema: schemaOf(mcp(providerOptions)) as never,
  })
  return [
    provider,
    cimd({
      fetchClientMetadataResource: options.fetchClientMetadata ?? fetchClientMetadataResource,
      metadataProfile: 'mcp-2026-07-28',
    }),
  ]
}

/** `oauthClient` → table `oauth_clients`, `clientId` → column `client_id`. */
function snakeCaseSchema(schema: Record<string, { fields: Record<string, unknown> }>) {
  const snake = (name: string) =>
    name.replace(/([a-z0-9])([A-Z]+)/g, (_, a: string, b: string) => `${a}_${b}`).toLowerCase()
  return Object.fromEntries(
    Object.entries(schema).map(([model, { fields }]) => [
      model,
      {
        modelName: `${snake(model)}s`,
        fields: Object.fromEntries(Object.keys(fields).map((field) => [field, snake(field)])),
      },
    ]),
  )
}
