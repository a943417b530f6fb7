import type { OAuthClientMetadata } from '@modelcontextprotocol/client'

/**
 * Switchboard as an OAuth client, described once for every authorization server: the Client ID
 * Metadata Document (SEP-991, MCP 2025-11-25 and 2026-07-28, which prefer it to Dynamic Client
 * Registration). Its URL is the client id: an authorization server that supports it fetches the
 * document instead of taking a registration. The spec requires an https URL, so an instance
 * served over plain http (a laptop) registers dynamically as before.
 */

export const CLIENT_METADATA_PATH = '/api/oauth/client-metadata.json'

function base(publicUrl: string): string {
  return publicUrl.replace(/\/+$/, '')
}

/** Where authorization servers send the browser back after sign-in. */
export function oauthRedirectUrl(publicUrl: string): string {
  return `${base(publicUrl)}/api/oauth/callback`
}

/** The document's URL, which is also the client id; null when the instance is not on https. */
export function clientMetadataUrl(publicUrl: string): string | null {
  const url = `${base(publicUrl)}${CLIENT_METADATA_PATH}`
  return url.startsWith('https://') ? url : null
}

/**
 * The document served at `CLIENT_METADATA_PATH`. A public client proving itself with PKCE: no
 * secret, since one document serves every server. Scopes are asked per sign-in, not here.
 */
export function clientMetadataDocument(
  publicUrl: string,
): OAuthClientMetadata & { client_id: string } {
  return {
    client_id: `${base(publicUrl)}${CLIENT_METADATA_PATH}`,
    client_name: 'Switchboard',
    client_uri: base(publicUrl),
    redirect_uris: [oauthRedirectUrl(publicUrl)],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'none',
  }
}
