import {
  auth,
  Client,
  StreamableHTTPClientTransport,
  UnauthorizedError,
} from '@modelcontextprotocol/client'
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import {
  answerConsent,
  MemoryOAuthProvider,
  signInClient,
  TEST_REDIRECT,
} from '../../helpers/endpoint-oauth.ts'
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
// 8414), registers (DCR) or identifies itself by a metadata document URL (CIMD), and gets tokens
// with PKCE and a resource indicator; the "browser" answers the consent step as the consent page
// does. Revocation is immediate; a client given a profile reaches that profile only.

const CIMD_URL = 'https://client.example/switchboard-test/client.json'

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
          redirect_uris: [TEST_REDIRECT],
          grant_types: ['authorization_code', 'refresh_token'],
          response_types: ['code'],
          token_endpoint_auth_method: 'none',
        },
        { headers: { 'cache-control': 'max-age=60', 'content-type': 'application/json' } },
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

async function connect(provider: MemoryOAuthProvider, path = '/mcp') {
  const client = new Client({ name: 'oauth-test', version: '1.0.0' })
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${server.url}${path}`), { authProvider: provider }),
  )
  onTestFinished(() => client.close())
  return client
}

async function connectedClients(cookie: string) {
  const res = await t.request('/api/user/mcp-clients', { cookie })
  expect(res.status).toBe(200)
  return ((await res.json()) as { clients: Record<string, unknown>[] }).clients
}

describe('OAuth sign-in to the MCP endpoint', () => {
  it('tells a client without a token where to sign in (RFC 9728, RFC 8414)', async () => {
    const res = await fetch(`${server.url}/mcp/p/coding`, { method: 'POST' })
    expect(res.status).toBe(401)
    expect(res.headers.get('www-authenticate')).toBe(
      `Bearer resource_metadata="${server.url}/.well-known/oauth-protected-resource/mcp/p/coding"`,
    )
    const resource = await (
      await fetch(`${server.url}/.well-known/oauth-protected-resource/mcp/p/coding`)
    ).json()
    expect(resource).toMatchObject({
      resource: `${server.url}/mcp`,
      authorization_servers: [`${server.url}/api/auth`],
    })
    // Clients that look at the root first find the same.
    const atRoot = await (await fetch(`${server.url}/.well-known/oauth-protected-resource`)).json()
    expect(atRoot).toEqual(resource)
    const metadata = await (
      await fetch(`${server.url}/.well-known/oauth-authorization-server/api/auth`)
    ).json()
    expect(metadata).toMatchObject({
      issuer: `${server.url}/api/auth`,
      authorization_endpoint: `${server.url}/api/auth/oauth2/authorize`,
      token_endpoint: `${server.url}/api/auth/oauth2/token`,
      registration_endpoint: `${server.url}/api/auth/oauth2/register`,
      code_challenge_methods_supported: ['S256'],
      client_id_metadata_document_supported: true,
    })
  })

  it('a client registers itself (DCR), the user consents, and it calls tools as the user', async () => {
    const user = await setUpUser()
    const provider = new MemoryOAuthProvider('Registered Client')
    const info = await signInClient(t, provider, {
      serverUrl: `${server.url}/mcp`,
      cookie: user.cookie,
    })
    // Self-registered: its name is its own claim, vouched for by nobody.
    expect(info).toMatchObject({
      name: 'Registered Client',
      redirectHost: '127.0.0.1:9',
      verifiedBy: null,
      profileId: null,
    })
    const client = await connect(provider)
    const { tools } = await client.listTools()
    expect(tools.map((tool) => tool.name)).toContain('everything__echo')
    const result = await client.callTool({ name: 'everything__echo', arguments: { message: 'hi' } })
    expect(JSON.stringify(result.content)).toContain('hi')

    const log = await t.request('/api/user/mcp-tool-calls', { cookie: user.cookie })
    const { calls } = (await log.json()) as { calls: { source: string; toolName: string }[] }
    expect(calls[0]).toMatchObject({ source: 'mcp', toolName: 'echo' })

    const [listed] = await connectedClients(user.cookie)
    expect(listed).toMatchObject({ name: 'Registered Client', profile: null })
    expect(listed?.lastUsedAt).toBeTruthy()
    const audit = await t.request('/api/user/audit?action=mcp_client.authorized', {
      cookie: user.cookie,
    })
    const { entries } = (await audit.json()) as { entries: { details: { name: string } }[] }
    expect(entries[0]?.details.name).toBe('Registered Client')
    const signedIn = await t.request('/api/user/audit?action=mcp_client.signed_in', {
      cookie: user.cookie,
    })
    expect(((await signedIn.json()) as { entries: unknown[] }).entries).toHaveLength(1)

    // The token is for the MCP endpoint only, not the REST API.
    const tokens = provider.tokens()
    const rest = await t.request('/api/user/tokens', { token: tokens?.access_token })
    expect(rest.status).toBe(401)
  })

  it('a client identified by its metadata document (CIMD) shows whose host vouches for it', async () => {
    const user = await setUpUser()
    const provider = new MemoryOAuthProvider('ignored: the document names it', CIMD_URL)
    const info = await signInClient(t, provider, {
      serverUrl: `${server.url}/mcp`,
      cookie: user.cookie,
    })
    expect(info).toMatchObject({
      clientId: CIMD_URL,
      name: 'Metadata Client',
      verifiedBy: 'client.example',
    })
    expect(provider.clientInformation()?.client_id).toBe(CIMD_URL)
    const client = await connect(provider)
    expect((await client.listTools()).tools.length).toBeGreaterThan(0)
  })

  it('refreshes an expired access token with its refresh token', async () => {
    const user = await setUpUser()
    const provider = new MemoryOAuthProvider('Refreshing Client')
    await signInClient(t, provider, { serverUrl: `${server.url}/mcp`, cookie: user.cookie })
    const first = provider.tokens()
    expect(first?.refresh_token).toBeTruthy()
    // The access token runs out: the endpoint refuses it, and the SDK refreshes by itself.
    await t.deps.db
      .updateTable('oauth_access_tokens')
      .set({ expires_at: new Date(Date.now() - 1_000) })
      .execute()
    t.deps.clientTokenCache.clear()
    const stale = await fetch(`${server.url}/mcp`, {
      method: 'POST',
      headers: { authorization: `Bearer ${first?.access_token}` },
    })
    expect(stale.status).toBe(401)
    expect(await auth(provider, { serverUrl: `${server.url}/mcp` })).toBe('AUTHORIZED')
    expect(provider.tokens()?.access_token).not.toBe(first?.access_token)
    const client = await connect(provider)
    expect((await client.listTools()).tools.length).toBeGreaterThan(0)
  })

  it('a revoked client is refused at once, cannot refresh, and must ask again', async () => {
    const user = await setUpUser()
    const provider = new MemoryOAuthProvider('Revoked Client')
    await signInClient(t, provider, { serverUrl: `${server.url}/mcp`, cookie: user.cookie })
    const client = await connect(provider)
    await client.listTools()
    const clientId = provider.clientInformation()?.client_id as string

    const revoked = await t.request(
      `/api/user/mcp-clients?clientId=${encodeURIComponent(clientId)}`,
      { method: 'DELETE', cookie: user.cookie },
    )
    expect(revoked.status).toBe(204)
    const accessToken = provider.tokens()?.access_token
    const refused = await fetch(`${server.url}/mcp`, {
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
      body: '{}',
    })
    expect(refused.status).toBe(401)
    // Its refresh token is dead too: the SDK falls back to a new sign-in (a redirect).
    await expect(client.listTools()).rejects.toThrow(UnauthorizedError)
    expect(await connectedClients(user.cookie)).toEqual([])
    const audit = await t.request('/api/user/audit?action=mcp_client.revoked', {
      cookie: user.cookie,
    })
    expect(((await audit.json()) as { entries: unknown[] }).entries).toHaveLength(1)
    // Again: nothing to revoke.
    const again = await t.request(
      `/api/user/mcp-clients?clientId=${encodeURIComponent(clientId)}`,
      { method: 'DELETE', cookie: user.cookie },
    )
    expect(again.status).toBe(404)
  })

  it('a client given a profile reaches that profile only', async () => {
    const user = await setUpUser()
    const created = await t.request('/api/user/mcp-profiles', {
      method: 'POST',
      cookie: user.cookie,
      json: { name: 'nothing', serverIds: [] },
    })
    const profile = (await created.json()) as { id: string }
    const provider = new MemoryOAuthProvider('Profiled Client')
    await signInClient(t, provider, {
      serverUrl: `${server.url}/mcp/p/nothing`,
      cookie: user.cookie,
      profileId: profile.id,
    })
    const client = await connect(provider, '/mcp/p/nothing')
    expect((await client.listTools()).tools).toEqual([])
    const elsewhere = await fetch(`${server.url}/mcp`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${provider.tokens()?.access_token}`,
        'content-type': 'application/json',
      },
      body: '{}',
    })
    expect(elsewhere.status).toBe(403)
    const [listed] = await connectedClients(user.cookie)
    expect(listed?.profile).toEqual({ id: profile.id, name: 'nothing' })
  })

  it('refuses a profile of someone else, and a denial sends the client back with access_denied', async () => {
    const user = await setUpUser()
    const other = await registerUser(t)
    const created = await t.request('/api/user/mcp-profiles', {
      method: 'POST',
      cookie: other.cookie,
      json: { name: 'theirs', serverIds: [] },
    })
    const theirs = (await created.json()) as { id: string }
    const provider = new MemoryOAuthProvider('Denied Client')
    expect(await auth(provider, { serverUrl: `${server.url}/mcp` })).toBe('REDIRECT')
    const url = provider.authorizationUrl as URL
    const authorize = await t.request(url.pathname + url.search, {
      cookie: user.cookie,
      headers: { accept: 'text/html', 'sec-fetch-mode': 'navigate' },
    })
    const oauthQuery = new URL(
      authorize.headers.get('location') as string,
      server.url,
    ).search.slice(1)
    const foreign = await t.request('/api/user/mcp-clients/consent', {
      method: 'POST',
      cookie: user.cookie,
      json: { accept: true, profileId: theirs.id, oauthQuery },
    })
    expect(foreign.status).toBe(404)
    const bad = await t.request('/api/user/mcp-clients/consent', {
      method: 'POST',
      cookie: user.cookie,
      json: { accept: 'yes', profileId: null, oauthQuery },
    })
    expect(bad.status).toBe(400)

    const { redirect } = await answerConsent(t, url, user.cookie, { accept: false })
    expect(redirect.searchParams.get('error')).toBe('access_denied')
    expect(await connectedClients(user.cookie)).toEqual([])
    // Another user sees none of this user's clients and cannot revoke them.
    const provider2 = new MemoryOAuthProvider('Mine')
    await signInClient(t, provider2, { serverUrl: `${server.url}/mcp`, cookie: user.cookie })
    expect(await connectedClients(other.cookie)).toEqual([])
    const clientId = provider2.clientInformation()?.client_id as string
    const stolen = await t.request(
      `/api/user/mcp-clients?clientId=${encodeURIComponent(clientId)}`,
      { method: 'DELETE', cookie: other.cookie },
    )
    expect(stolen.status).toBe(404)
  })
})

describe('hostile input to the authorization server', () => {
  it('answers nonsense with 4xx, never 500', async () => {
    const form = { 'content-type': 'application/x-www-form-urlencoded' }
    // A browser following a broken link lands on the page that explains it.
    for (const link of [
      '/api/auth/oauth2/authorize',
      '/api/auth/oauth2/authorize?client_id=nope&response_type=code&redirect_uri=x',
    ]) {
      const res = await t.request(link)
      expect(res.status).toBe(302)
      const to = new URL(res.headers.get('location') as string)
      expect(`${to.origin}${to.pathname}`).toBe(`${server.url}/oauth/error`)
      expect(to.searchParams.get('error')).toBe('invalid_request')
    }
    const answers = await Promise.all([
      t.request('/api/auth/oauth2/token', { method: 'POST', headers: form, body: '' }),
      t.request('/api/auth/oauth2/token', {
        method: 'POST',
        headers: form,
        body: 'grant_type=authorization_code&code=x&client_id=%00&code_verifier=y',
      }),
      t.request('/api/auth/oauth2/token', { method: 'POST', json: { grant_type: 42 } }),
      t.request('/api/auth/oauth2/revoke', { method: 'POST', headers: form, body: 'token=x' }),
      t.request('/api/auth/oauth2/register', { method: 'POST', json: { redirect_uris: 'x' } }),
      t.request('/api/auth/oauth2/register', {
        method: 'POST',
        body: '{"a":',
        headers: { 'content-type': 'application/json' },
      }),
      t.request('/api/user/mcp-clients/consent?oauthQuery=client_id%3Dnope'),
    ])
    for (const answer of answers) {
      expect(answer.status, await answer.clone().text()).toBeGreaterThanOrEqual(400)
      expect(answer.status, await answer.clone().text()).toBeLessThan(500)
    }
  })
})

describe('self-registration', () => {
  it('is bounded per address', async () => {
    const register = () =>
      t.request('/api/auth/oauth2/register', {
        method: 'POST',
        json: {
          client_name: 'Spammer',
          application_type: 'native',
          redirect_uris: [TEST_REDIRECT],
          grant_types: ['authorization_code', 'refresh_token'],
          response_types: ['code'],
          token_endpoint_auth_method: 'none',
        },
      })
    let attempts = 0
    let last: Response | undefined
    while (attempts < 40) {
      attempts += 1
      last = await register()
      if (last.status !== 201 && last.status !== 200) break
    }
    expect(last?.status).toBe(429)
    expect(attempts).toBeLessThanOrEqual(31)
    expect(Number(last?.headers.get('retry-after'))).toBeGreaterThan(0)
  })
})

describe('with dynamic client registration off', () => {
  it('refuses self-registration and says so in the metadata', async () => {
    const off = await startApp({
      config: { mcpEndpoint: { enabled: true, dynamicClientRegistration: false } },
    })
    onTestFinished(() => off.close())
    const metadata = await off.request('/.well-known/oauth-authorization-server/api/auth')
    expect((await metadata.json()).registration_endpoint).toBeUndefined()
    const register = await off.request('/api/auth/oauth2/register', {
      method: 'POST',
      json: { redirect_uris: [TEST_REDIRECT], token_endpoint_auth_method: 'none' },
    })
    expect(register.status).toBeGreaterThanOrEqual(400)
    expect(register.status).toBeLessThan(500)
  })
})
