import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import type { AppDeps } from '../../../src/server/app-deps.ts'
import { findServerForUser } from '../../../src/server/db/mcp-servers.ts'
import { buildDeps } from '../../../src/server/deps.ts'
import type { AppError } from '../../../src/server/errors.ts'
import { connectMcp } from '../../../src/server/mcp/client/connect.ts'
import { createUpstreamHttp } from '../../../src/server/mcp/client/upstream-http.ts'
import { clientMetadataDocument } from '../../../src/server/mcp/oauth/client-metadata.ts'
import { finishOAuth, startOAuth } from '../../../src/server/mcp/oauth/flow.ts'
import { createServerOAuthProvider } from '../../../src/server/mcp/oauth/provider.ts'
import { endpointOfRow } from '../../../src/server/mcp/servers/endpoint-of-row.ts'
import { probeServer } from '../../../src/server/mcp/servers/probe.ts'
import { openAuthData } from '../../../src/server/mcp/servers/secrets.ts'
import { createServer } from '../../../src/server/mcp/servers/servers.ts'
import { McpServerCreateSchema } from '../../../src/shared/mcp-servers.ts'
import {
  type PreRegisteredClient,
  startAuthorizationServer,
  type TestAuthorizationServer,
} from '../../fixtures/oauth/authorization-server.ts'
import {
  ADMIN_SCOPE,
  ADMIN_TOOL,
  BASE_SCOPE,
  type ProtectedMcpServer,
  startProtectedMcpServer,
} from '../../fixtures/oauth/protected-mcp-server.ts'
import { LOOPBACK_POLICY } from '../../helpers/mcp-servers.ts'
import { testConfig } from '../../helpers/test-config.ts'
import { openTestDatabase, type TestDatabase } from '../../helpers/test-db.ts'

// The OAuth provider and flow against our own authorization server and protected MCP server,
// with real deps (PGlite, secret box, guarded fetch) and no HTTP app in between.
let database: TestDatabase
let deps: AppDeps
let closeDeps: () => Promise<void>
beforeAll(async () => {
  database = await openTestDatabase()
  const built = await buildDeps(testConfig({}, { ssrf: LOOPBACK_POLICY }), {
    database,
    migrate: true,
  })
  deps = built.deps
  closeDeps = built.close
})
afterAll(async () => {
  await closeDeps?.()
  await database?.close()
})

interface Setup {
  as: TestAuthorizationServer
  mcp: ProtectedMcpServer
  userId: string
  serverId: string
}

/** A fresh authorization server, protected MCP server, user and (unconnected) server row. */
async function setup(
  options: {
    auth?: { clientId?: string; clientSecret?: string; scope?: string }
    clients?: PreRegisteredClient[]
  } = {},
): Promise<Setup> {
  const as = await startAuthorizationServer(options.clients ? { clients: options.clients } : {})
  onTestFinished(() => as.close())
  const mcp = await startProtectedMcpServer(as)
  onTestFinished(() => mcp.close())
  const userId = randomUUID()
  await deps.db
    .insertInto('users')
    .values({ id: userId, email: `${userId}@example.test`, name: 'OAuth tester' })
    .execute()
  const row = await createServer(deps, {
    userId,
    server: McpServerCreateSchema.parse({
      name: 'protected',
      transport: 'streamable-http',
      url: mcp.url,
      auth: { type: 'oauth', ...options.auth },
      validate: false,
    }),
  })
  return { as, mcp, userId, serverId: row.id }
}

/** The browser's part: open the authorization URL, read where the server sends it back. */
async function authorize(authorizationUrl: string) {
  const response = await fetch(authorizationUrl, { redirect: 'manual' })
  expect(response.status).toBe(302)
  const back = new URL(response.headers.get('location')!)
  const q = back.searchParams
  return {
    back,
    state: q.get('state')!,
    code: q.get('code') ?? undefined,
    iss: q.get('iss') ?? undefined,
    error: q.get('error') ?? undefined,
  }
}

async function signIn(s: Setup): Promise<void> {
  const { authorizationUrl } = await startOAuth(deps, { userId: s.userId, serverId: s.serverId })
  const { state, code, iss } = await authorize(authorizationUrl)
  await finishOAuth(deps, { userId: s.userId, state, code, iss })
}

async function row(s: Setup) {
  const found = await findServerForUser(deps.db, { userId: s.userId, id: s.serverId })
  if (!found) throw new Error('server row is gone')
  return found
}

/** A connection as servers.ts makes it for an oauth server: the provider on the transport. */
async function probe(s: Setup) {
  const current = await row(s)
  return probeServer(deps, endpointOfRow(deps, current), {
    authProvider: createServerOAuthProvider(deps, {
      id: current.id,
      userId: current.user_id,
      config: current.config,
    }),
  })
}

async function storedTokens(s: Setup) {
  const current = await row(s)
  const data = openAuthData(deps.box, s.userId, current.auth_data)
  return data?.type === 'oauth' ? data.tokens : undefined
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('startOAuth / finishOAuth', () => {
  it('discovers, registers, uses PKCE S256 and the resource indicator, then connects', async () => {
    const s = await setup()
    const events: unknown[] = []
    const unsubscribe = deps.events.subscribe(s.userId, (event) => events.push(event))
    onTestFinished(unsubscribe)

    const { authorizationUrl } = await startOAuth(deps, { userId: s.userId, serverId: s.serverId })
    const url = new URL(authorizationUrl)
    expect(url.origin + url.pathname).toBe(`${s.as.issuer}/authorize`)
    const q = url.searchParams
    expect(q.get('code_challenge_method')).toBe('S256')
    expect(q.get('code_challenge')).toMatch(/^[\w-]{43}$/)
    expect(q.get('resource')).toBe(s.mcp.resource)
    // The scope the server's 401 named (RFC 6750 §3), not everything it supports.
    expect(q.get('scope')).toBe(BASE_SCOPE)
    expect(q.get('redirect_uri')).toBe(`${deps.config.publicUrl}/api/oauth/callback`)
    expect(q.get('state')).toMatch(/^[\w-]{43}$/)
    expect(s.as.counters.registrations).toBe(1)

    const { state, code, iss } = await authorize(authorizationUrl)
    expect(await finishOAuth(deps, { userId: s.userId, state, code, iss })).toEqual({
      serverId: s.serverId,
    })
    expect(s.as.counters.codeExchanges).toBe(1)

    const after = await row(s)
    expect(after).toMatchObject({ status: 'online', last_error: null, tool_count: 2 })
    expect(after.config).toMatchObject({ oauthConnected: true })
    // Through Redis (the PostgreSQL pass) events arrive a moment later.
    await expect
      .poll(() => events)
      .toContainEqual(
        expect.objectContaining({ type: 'server.status', serverId: s.serverId, status: 'online' }),
      )
    // The verifier's row is gone once used.
    const states = await deps.db
      .withTables<{ mcp_oauth_states: { state: string } }>()
      .selectFrom('mcp_oauth_states')
      .selectAll()
      .execute()
    expect(states).toEqual([])

    // A later connection uses the stored token: no new token request.
    const again = await probe(s)
    expect(again.ok).toBe(true)
    expect(s.as.tokenRequests).toHaveLength(1)
  })

  it('uses a configured client id and secret instead of registering', async () => {
    const client = {
      client_id: 'switchboard-preregistered',
      client_secret: 'preregistered-secret-0b7d2e',
      redirect_uris: [`${deps.config.publicUrl}/api/oauth/callback`],
    }
    const s = await setup({
      clients: [client],
      auth: { clientId: client.client_id, clientSecret: client.client_secret },
    })
    await signIn(s)
    expect(s.as.counters.registrations).toBe(0)
    expect(s.as.tokenRequests).toEqual([{ grantType: 'authorization_code', clientAuth: 'basic' }])
    expect((await row(s)).status).toBe('online')
    expect(JSON.stringify(await row(s))).not.toContain(client.client_secret)
  })

  it("answers 422 with the authorization server's error when it refuses", async () => {
    const s = await setup()
    const { authorizationUrl } = await startOAuth(deps, { userId: s.userId, serverId: s.serverId })
    const { state, iss } = await authorize(authorizationUrl)
    const refused = await finishOAuth(deps, {
      userId: s.userId,
      state,
      code: 'code_not_issued',
      iss,
    }).catch((error: AppError) => error)
    expect(refused).toMatchObject({
      code: 'upstream_rejected',
      status: 422,
      message: expect.stringMatching(
        /refused: invalid_grant: unknown or expired authorization code/,
      ),
    })

    s.as.settings.deny = { error: 'access_denied', description: 'the user said no' }
    const second = await authorize(
      (await startOAuth(deps, { userId: s.userId, serverId: s.serverId })).authorizationUrl,
    )
    const denied = await finishOAuth(deps, {
      userId: s.userId,
      state: second.state,
      error: second.error,
      errorDescription: second.back.searchParams.get('error_description') ?? undefined,
    }).catch((error: AppError) => error)
    expect(denied).toMatchObject({
      code: 'upstream_rejected',
      message: /access_denied: the user said no/,
    })
  })

  it('sends every discovery request through the SSRF guard', async () => {
    const s = await setup()
    // The MCP server's own host and port are allowed; the authorization server's are not.
    const upstreamHttp = createUpstreamHttp({
      allowedHosts: [`127.0.0.1:${s.mcp.port}`],
      allowPrivateNetworks: false,
    })
    onTestFinished(() => upstreamHttp.close())
    const refused = await startOAuth(
      { ...deps, upstreamHttp },
      { userId: s.userId, serverId: s.serverId },
    ).catch((error: AppError) => error)
    expect(refused).toMatchObject({
      code: 'upstream_rejected',
      message: expect.stringMatching(/127\.0\.0\.1 is allowed only on port .*allowedHosts/),
    })
    expect(s.as.counters.metadata + s.as.counters.registrations).toBe(0)
  })
})

describe('the provider on background connections', () => {
  it('refreshes an access token about to expire before sending it, rotating the refresh token', async () => {
    const s = await setup()
    s.as.settings.accessTokenTtlSeconds = 1
    await signIn(s)
    const before = await storedTokens(s)
    const unauthorized = s.mcp.counters.unauthorized
    await sleep(1_100)

    const result = await probe(s)
    expect(result.ok).toBe(true)
    expect(s.as.counters.refreshes).toBe(1)
    // Refreshed before the request was sent, not after a 401.
    expect(s.mcp.counters.unauthorized).toBe(unauthorized)
    const after = await storedTokens(s)
    expect(after?.refresh_token).not.toBe(before?.refresh_token)
  })

  it('refreshes once for parallel connections that all find the token expired', async () => {
    const s = await setup()
    s.as.settings.accessTokenTtlSeconds = 1
    await signIn(s)
    s.as.settings.accessTokenTtlSeconds = 3600
    s.as.settings.refreshDelayMs = 150
    await sleep(1_100)

    const results = await Promise.all(Array.from({ length: 5 }, () => probe(s)))
    expect(results.map((r) => r.ok)).toEqual([true, true, true, true, true])
    expect(s.as.counters.refreshes).toBe(1)
    expect(s.as.counters.refreshRejected).toBe(0)
  })

  it('serializes the refreshes that 401s trigger, so none spends a rotated refresh token', async () => {
    const s = await setup()
    await signIn(s)
    // The resource rejects the access token early (before its expiry): every connection gets a
    // 401 and the SDK refreshes. Reusing a spent refresh token would revoke the grant.
    const tokens = await storedTokens(s)
    s.as.settings.refreshDelayMs = 100
    const verify = s.as.verifyAccessToken
    s.as.verifyAccessToken = (value) => (value === tokens?.access_token ? null : verify(value))

    const results = await Promise.all(Array.from({ length: 3 }, () => probe(s)))
    expect(results.map((r) => r.ok)).toEqual([true, true, true])
    expect(s.as.counters.refreshes).toBeGreaterThanOrEqual(1)
    expect(s.as.counters.refreshRejected).toBe(0)
  })

  async function revokeGrant(s: Setup) {
    const tokens = await storedTokens(s)
    const revoked = await fetch(`${s.as.issuer}/revoke`, {
      method: 'POST',
      body: new URLSearchParams({ token: String(tokens?.refresh_token) }),
    })
    expect(revoked.status).toBe(200)
  }

  it('reports needs_auth once the grant is revoked', async () => {
    const s = await setup()
    await signIn(s)
    await revokeGrant(s)
    const result = await probe(s)
    expect(result.ok).toBe(false)
    expect(!result.ok && result.failure.status).toBe('needs_auth')
  })

  // The SDK reads the refusal on the transport's fetch (the guarded fetch of create-transport):
  // it must answer with web-standard Responses, or `invalid_grant` reads as `server_error`.
  it('forgets refused tokens, so the server shows as not connected', async () => {
    const s = await setup()
    await signIn(s)
    await revokeGrant(s)
    await probe(s)
    expect(await storedTokens(s)).toBeUndefined()
    expect((await row(s)).config).toMatchObject({ oauthConnected: false })
  })

  it('step-up: a 403 asking for more scope is asked for at the next sign-in', async () => {
    const s = await setup()
    await signIn(s)
    const callAdmin = async () => {
      const current = await row(s)
      const connection = await connectMcp(endpointOfRow(deps, current), {
        upstreamHttp: deps.upstreamHttp,
        log: deps.log,
        authProvider: createServerOAuthProvider(deps, {
          id: current.id,
          userId: current.user_id,
          config: current.config,
        }),
      })
      try {
        return await connection.client.callTool({ name: ADMIN_TOOL, arguments: { message: 'hi' } })
      } finally {
        await connection.close()
      }
    }
    await expect(callAdmin()).rejects.toMatchObject({ name: 'UnauthorizedError' })
    expect((await row(s)).config).toMatchObject({
      oauthRequestedScope: `${BASE_SCOPE} ${ADMIN_SCOPE}`,
    })

    const { authorizationUrl } = await startOAuth(deps, { userId: s.userId, serverId: s.serverId })
    expect(new URL(authorizationUrl).searchParams.get('scope')).toBe(`${BASE_SCOPE} ${ADMIN_SCOPE}`)
    const { state, code, iss } = await authorize(authorizationUrl)
    await finishOAuth(deps, { userId: s.userId, state, code, iss })
    expect(await callAdmin()).toMatchObject({ content: [{ type: 'text', text: 'admin: hi' }] })
  })
})

describe('Client ID Metadata Documents (SEP-991)', () => {
  it('signs in with the document URL as client id where the server takes one, registering nothing', async () => {
    const publicUrl = 'https://switchboard.example'
    const built = await buildDeps(
      testConfig({ SWITCHBOARD_PUBLIC_URL: publicUrl }, { ssrf: LOOPBACK_POLICY }),
      {
        database,
        migrate: true,
      },
    )
    onTestFinished(() => built.close())
    const cimdDeps = built.deps
    const documentUrl = `${publicUrl}/api/oauth/client-metadata.json`
    const as = await startAuthorizationServer({
      clientMetadataDocuments: (clientId) =>
        clientId === documentUrl ? clientMetadataDocument(publicUrl) : null,
    })
    onTestFinished(() => as.close())
    const mcp = await startProtectedMcpServer(as)
    onTestFinished(() => mcp.close())
    const userId = randomUUID()
    await cimdDeps.db
      .insertInto('users')
      .values({ id: userId, email: `${userId}@example.test`, name: 'CIMD tester' })
      .execute()
    const server = await createServer(cimdDeps, {
      userId,
      server: McpServerCreateSchema.parse({
        name: 'protected',
        transport: 'streamable-http',
        url: mcp.url,
        auth: { type: 'oauth' },
        validate: false,
      }),
    })

    const { authorizationUrl } = await startOAuth(cimdDeps, { userId, serverId: server.id })
    expect(new URL(authorizationUrl).searchParams.get('client_id')).toBe(documentUrl)
    const { state, code, iss } = await authorize(authorizationUrl)
    await finishOAuth(cimdDeps, { userId, state, code, iss })
    expect(as.counters).toMatchObject({ registrations: 0, metadataDocuments: 1, codeExchanges: 1 })
    const after = await findServerForUser(cimdDeps.db, { userId, id: server.id })
    expect(after).toMatchObject({ status: 'online' })
  })

  it('serves the document at its own URL, for every authorization server', async () => {
    const document = clientMetadataDocument('https://switchboard.example/')
    expect(document).toEqual({
      client_id: 'https://switchboard.example/api/oauth/client-metadata.json',
      client_name: 'Switchboard',
      client_uri: 'https://switchboard.example',
      redirect_uris: ['https://switchboard.example/api/oauth/callback'],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    })
  })
})
