import { auth, type OAuthClientProvider } from '@modelcontextprotocol/client'
import { expect } from 'vitest'
import type { TestApp } from './start-app.ts'

// An MCP client signing in to Switchboard's endpoint with OAuth, through the v2 client SDK's own
// `auth()`, and the browser's part of it (the authorize redirect and the consent page's answer).

export const TEST_REDIRECT = 'http://127.0.0.1:9/callback'

type ClientInformation = Awaited<ReturnType<OAuthClientProvider['clientInformation']>>
type Tokens = Awaited<ReturnType<OAuthClientProvider['tokens']>>
type DiscoveryState = Awaited<ReturnType<NonNullable<OAuthClientProvider['discoveryState']>>>

/** A client's memory: what a desktop app keeps between runs. */
export class MemoryOAuthProvider implements OAuthClientProvider {
  private client?: ClientInformation
  private saved?: Tokens
  private discovery?: DiscoveryState
  private verifier = ''
  authorizationUrl?: URL
  constructor(
    readonly name: string,
    readonly clientMetadataUrl?: string,
  ) {}
  get redirectUrl() {
    return TEST_REDIRECT
  }
  get clientMetadata() {
    return {
      client_name: this.name,
      redirect_uris: [TEST_REDIRECT],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    }
  }
  clientInformation() {
    return this.client
  }
  saveClientInformation(info: NonNullable<ClientInformation>) {
    this.client = info
  }
  tokens() {
    return this.saved
  }
  saveTokens(tokens: NonNullable<Tokens>) {
    this.saved = tokens
  }
  redirectToAuthorization(url: URL) {
    this.authorizationUrl = url
  }
  saveCodeVerifier(verifier: string) {
    this.verifier = verifier
  }
  codeVerifier() {
    return this.verifier
  }
  saveDiscoveryState(state: NonNullable<DiscoveryState>) {
    this.discovery = state
  }
  discoveryState() {
    return this.discovery
  }
}

/**
 * What the browser does between the client's authorization URL and its redirect: follow the
 * authorize redirect to the consent page, read what it shows, answer. Returns the client's
 * redirect (with `code` or `error`).
 */
export async function answerConsent(
  t: TestApp,
  authorizationUrl: URL,
  cookie: string,
  answer: { accept: boolean; profileId?: string | null },
) {
  // A browser navigation (better-auth answers a script's fetch with JSON instead; Node's fetch
  // always says `sec-fetch-mode: cors`, so this goes to the app directly).
  const authorize = await t.request(authorizationUrl.pathname + authorizationUrl.search, {
    cookie,
    headers: { accept: 'text/html', 'sec-fetch-mode': 'navigate' },
  })
  expect(authorize.status).toBe(302)
  const consentPage = new URL(authorize.headers.get('location') as string, 'http://app')
  expect(consentPage.pathname).toBe('/oauth/consent')
  const oauthQuery = consentPage.search.slice(1)
  const info = await t.request(
    `/api/user/mcp-clients/consent?oauthQuery=${encodeURIComponent(oauthQuery)}`,
    { cookie },
  )
  expect(info.status).toBe(200)
  const answered = await t.request('/api/user/mcp-clients/consent', {
    method: 'POST',
    cookie,
    json: { accept: answer.accept, profileId: answer.profileId ?? null, oauthQuery },
  })
  expect(answered.status).toBe(200)
  const { url } = (await answered.json()) as { url: string }
  return { info: (await info.json()) as Record<string, unknown>, redirect: new URL(url) }
}

/** The whole sign-in: discovery, registration, consent, code for tokens. */
export async function signInClient(
  t: TestApp,
  provider: MemoryOAuthProvider,
  input: { serverUrl: string; cookie: string; profileId?: string | null },
) {
  const { serverUrl, cookie } = input
  expect(await auth(provider, { serverUrl })).toBe('REDIRECT')
  const { info, redirect } = await answerConsent(t, provider.authorizationUrl as URL, cookie, {
    accept: true,
    profileId: input.profileId ?? null,
  })
  const code = redirect.searchParams.get('code')
  expect(code).toBeTruthy()
  const iss = redirect.searchParams.get('iss') ?? undefined
  expect(await auth(provider, { serverUrl, authorizationCode: code as string, iss })).toBe(
    'AUTHORIZED',
  )
  return info
}
