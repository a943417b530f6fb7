import {
  auth,
  Client,
  type OAuthClientProvider,
  StreamableHTTPClientTransport,
} from '@modelcontextprotocol/client'
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import { type Listening, listen } from '../../helpers/listen.ts'
import {
  freePort,
  LOOPBACK_POLICY,
  type RunningHttp,
  startEverything,
} from '../../helpers/mcp-servers.ts'
import { registerUser, startApp, type TestApp } from '../../helpers/start-app.ts'

// Signing in to the personal MCP endpoint with OAuth (issue 15): Switchboard is the authorization
// server. The v2 client SDK's own `auth()` discovers it from the endpoint's 401 (RFC 9728, RFC
// 8414), registers (DCR) or identifies itself by a metadata document URL (CIMD), and gets a token
// with PKCE and a resource indicator; the "browser" here answers the consent step the way the
// consent page does.

const CIMD_URL = 'https://client.example/switchboard-test/client.json'
const REDIRECT = 'http://127.0.0.1:9/callback'

let t: TestApp
let server: Listening
let everything: RunningHttp
beforeAll(async () => {
  const port = await freePort()
  everything = await startEverything('streamableHttp')
  t = await startApp({
    config: { ssrf: LOOPBACK_POLICY },
    env: { SWITCHBOARD_PUBLIC_URL: `http://127.0.0.1:${port}` },
    // The CIMD document of a made-up public host, as its HTTPS server would answer.
    fetchClientMetadata: async (input) => {
      const url = String(input instanceof Request ? input.url : input)
      if (url !== CIMD_URL) return new Response('not found', { status: 404 })
      return Response.json(
        {
          client_id: CIMD_URL,
          client_name: 'Metadata Client',
          redirect_uris: [REDIRECT],
          grant_types: ['authorization_code', 'refresh_token'],
          response_types: ['code'],
          token_endpoint_auth_method: 'none',
        },
        { headers: { 'cache-control': 'max-age=60' } },
      )
    },
  })
  server = await listen(t.app, port)
}, 60_000)
afterAll(async () => {
  await server?.close()
  await everything?.close()
  await t?.close()
})

class MemoryProvider implements OAuthClientProvider {
  private client?: Awaited<ReturnType<OAuthClientProvider['clientInformation']>>
  private saved?: Awaited<ReturnType<OAuthClientProvider['tokens']>>
  private verifier = ''
  authorizationUrl?: URL
  constructor(
    readonly name: string,
    readonly clientMetadataUrl?: string,
  ) {}
  get redirectUrl() {
    return REDIRECT
  }
  get clientMetadata() {
    return {
      client_name: this.name,
      redirect_uris: [REDIRECT],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    }
  }
  clientInformation() {
    return this.client
  }
  saveClientInformation(info: NonNullable<typeof this.client>) {
    this.client = info
  }
  tokens() {
    return this.saved
  }
  saveTokens(tokens: NonNullable<typeof this.saved>) {
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
}

async function setUpUser() {
  const user = await registerUser(t)
  const added = await t.request('/api/user/mcp-servers', {
    method: 'POST',
    cookie: user.cookie,
    json: { name: 'everything', transport: 'streamable-http', url: everything.url },
  })
  expect(added.status).toBe(201)
  return user
}

/** What the browser does between the client's authorization URL and its redirect. */
async function consent(
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
  const consentPage = new URL(authorize.headers.get('location') as string, server.url)
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
  return { info: await info.json(), redirect: new URL(url) }
}

async function signIn(provider: MemoryProvider, cookie: string, path = '/mcp') {
  const serverUrl = `${server.url}${path}`
  expect(await auth(provider, { serverUrl })).toBe('REDIRECT')
  const { info, redirect } = await consent(provider.authorizationUrl as URL, cookie, {
    accept: true,
  })
  const code = redirect.searchParams.get('code')
  expect(code).toBeTruthy()
  const iss = redirect.searchParams.get('iss') ?? undefined
  expect(await auth(provider, { serverUrl, authorizationCode: code as string, iss })).toBe(
    'AUTHORIZED',
  )
  return info
}

async function connect(provider: MemoryProvider, path = '/mcp') {
  const client = new Client({ name: 'oauth-test', version: '1.0.0' })
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${server.url}${path}`), { authProvider: provider }),
  )
  onTestFinished(() => client.close())
  return client
}

describe('OAuth sign-in to the MCP endpoint', () => {
  it('a client registers itself (DCR), the user consents, and it lists and calls tools', async () => {
    const user = await setUpUser()
    const provider = new MemoryProvider('Registered Client')
    const info = await signIn(provider, user.cookie)
    expect(info).toMatchObject({ name: 'Registered Client', redirectHost: '127.0.0.1:9' })
    const client = await connect(provider)
    const { tools } = await client.listTools()
    expect(tools.map((tool) => tool.name)).toContain('everything__echo')
    const result = await client.callTool({ name: 'everything__echo', arguments: { message: 'hi' } })
    expect(JSON.stringify(result.content)).toContain('hi')
  })
})
