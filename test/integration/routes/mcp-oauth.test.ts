import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import { createUpstreamHttp } from '../../../src/server/mcp/client/upstream-http.ts'
import { openAuthData } from '../../../src/server/mcp/servers/secrets.ts'
import {
  startAuthorizationServer,
  type TestAuthorizationServer,
} from '../../fixtures/oauth/authorization-server.ts'
import {
  type ProtectedMcpServer,
  startProtectedMcpServer,
} from '../../fixtures/oauth/protected-mcp-server.ts'
import { closedPortUrl } from '../../helpers/closed-port.ts'
import { LOOPBACK_POLICY } from '../../helpers/mcp-servers.ts'
import { listTables } from '../../helpers/schema-snapshot.ts'
import { registerUser, startApp, type TestApp } from '../../helpers/start-app.ts'

// The browser sign-in through the real app: the authorization server and the protected MCP
// server are ours (test/fixtures/oauth), reached over loopback as the operator's policy allows.
let t: TestApp
beforeAll(async () => {
  t = await startApp({ config: { ssrf: LOOPBACK_POLICY } })
})
afterAll(() => t?.close())

interface Setup {
  as: TestAuthorizationServer
  mcp: ProtectedMcpServer
  cookie: string
  userId: string
  serverId: string
}

let counter = 0
async function setup(): Promise<Setup> {
  const as = await startAuthorizationServer()
  onTestFinished(() => as.close())
  const mcp = await startProtectedMcpServer(as)
  onTestFinished(() => mcp.close())
  const { cookie, userId } = await registerUser(t)
  counter += 1
  const res = await t.request('/api/user/mcp-servers', {
    method: 'POST',
    cookie,
    json: {
      name: `protected ${counter}`,
      transport: 'streamable-http',
      url: mcp.url,
      auth: { type: 'oauth' },
    },
  })
  // Validation is on, yet an OAuth server that asks for sign-in is saved: Connect comes next.
  expect(res.status).toBe(201)
  const server = await res.json()
  expect(server).toMatchObject({ status: 'needs_auth', auth: { type: 'oauth', connected: false } })
  return { as, mcp, cookie, userId, serverId: server.id }
}

async function start(s: Pick<Setup, 'cookie' | 'serverId'>): Promise<Response> {
  return t.request(`/api/user/mcp-servers/${s.serverId}/oauth/start`, {
    method: 'POST',
    cookie: s.cookie,
  })
}

/** The browser at the authorization server: where it is sent back to (our callback URL). */
async function authorize(s: Setup): Promise<string> {
  const res = await start(s)
  expect(res.status).toBe(200)
  const { authorizationUrl } = await res.json()
  const answer = await fetch(authorizationUrl, { redirect: 'manual' })
  expect(answer.status).toBe(302)
  const back = new URL(answer.headers.get('location')!)
  expect(`${back.origin}${back.pathname}`).toBe(`${t.deps.config.publicUrl}/api/oauth/callback`)
  return `${back.pathname}${back.search}`
}

/** The browser back at Switchboard with a session cookie: where it is redirected next. */
async function callback(path: string, cookie: string): Promise<URL> {
  const res = await t.request(path, { cookie })
  expect(res.status).toBe(302)
  expect(res.headers.get('cache-control')).toBe('no-store')
  return new URL(res.headers.get('location')!, 'http://switchboard.test')
}

async function signIn(s: Setup): Promise<void> {
  const next = await callback(await authorize(s), s.cookie)
  expect(next.searchParams.get('oauth')).toBe('connected')
}

async function getServer(s: Setup) {
  const res = await t.request(`/api/user/mcp-servers/${s.serverId}`, { cookie: s.cookie })
  return res.json()
}

async function testConnection(s: Setup) {
  const res = await t.request(`/api/user/mcp-servers/${s.serverId}/test`, {
    method: 'POST',
    cookie: s.cookie,
  })
  expect(res.status).toBe(200)
  return res.json()
}

/** Every row of every table, as text: what someone with a copy of the database would read. */
async function dumpDatabase(): Promise<string> {
  const tables = await listTables(t.deps.db)
  const dumps = await Promise.all(
    tables.map(async (table) => {
      const rows = await sql<{
        row: string
      }>`select row_to_json(x)::text as row from ${sql.table(table)} x`.execute(t.deps.db)
      return rows.rows.map((r) => r.row).join('\n')
    }),
  )
  return dumps.join('\n')
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('OAuth sign-in through the browser', () => {
  it('connects the server, syncs its tools, and keeps every secret sealed', async () => {
    const s = await setup()
    // One sign-in left pending: its state is stored only as a hash.
    const pending = new URL(await authorize(s), 'http://x').searchParams.get('state')!

    const path = await authorize(s)
    const next = await callback(path, s.cookie)
    expect(next.pathname).toBe('/servers')
    expect(Object.fromEntries(next.searchParams)).toEqual({
      oauth: 'connected',
      server: s.serverId,
    })

    const server = await getServer(s)
    expect(server).toMatchObject({
      status: 'online',
      lastError: null,
      toolCount: 2,
      auth: { type: 'oauth', connected: true },
    })
    expect(JSON.stringify(server)).not.toMatch(/access_token|refresh_token|at_|rt_/)

    const dump = await dumpDatabase()
    const secrets = [
      ...s.as.secrets.accessTokens,
      ...s.as.secrets.refreshTokens,
      ...s.as.secrets.codeVerifiers,
      pending,
      new URL(path, 'http://x').searchParams.get('code')!,
    ]
    expect(secrets.length).toBeGreaterThanOrEqual(5)
    for (const secret of secrets) expect(dump).not.toContain(secret)
  })

  it('forgets the grant when the server moves to another URL, so tokens never go elsewhere', async () => {
    const s = await setup()
    await signIn(s)
    const moved = await t.request(`/api/user/mcp-servers/${s.serverId}`, {
      method: 'PATCH',
      cookie: s.cookie,
      json: { url: await closedPortUrl(), validate: false },
    })
    expect(moved.status).toBe(200)
    expect((await moved.json()).auth).toMatchObject({ type: 'oauth', connected: false })
    const row = await t.deps.db
      .selectFrom('mcp_servers')
      .select('auth_data')
      .where('id', '=', s.serverId)
      .executeTakeFirstOrThrow()
    const data = t.deps.box.openJson(s.userId, row.auth_data ?? '') as Record<string, unknown>
    expect(data.tokens).toBeUndefined()
  })

  it('refuses to start for a server that is not the caller’s (404) or not OAuth (400)', async () => {
    const s = await setup()
    const other = await registerUser(t)
    expect((await start({ cookie: other.cookie, serverId: s.serverId })).status).toBe(404)
    expect(
      (await start({ cookie: s.cookie, serverId: '00000000-0000-4000-8000-000000000000' })).status,
    ).toBe(404)
    expect(
      (await t.request(`/api/user/mcp-servers/${s.serverId}/oauth/start`, { method: 'POST' }))
        .status,
    ).toBe(401)

    const plain = await t.request('/api/user/mcp-servers', {
      method: 'POST',
      cookie: s.cookie,
      json: {
        name: 'bearer one',
        transport: 'streamable-http',
        url: s.mcp.url,
        auth: { type: 'bearer', token: 'x' },
        validate: false,
      },
    })
    const res = await start({ cookie: s.cookie, serverId: (await plain.json()).id })
    expect(res.status).toBe(400)
    expect((await res.json()).error).toMatchObject({ code: 'bad_request', message: /not OAuth/ })
  })

  it('sends the browser back with an error when a state is used twice', async () => {
    const s = await setup()
    const path = await authorize(s)
    expect((await callback(path, s.cookie)).searchParams.get('oauth')).toBe('connected')
    const again = await callback(path, s.cookie)
    expect(Object.fromEntries(again.searchParams)).toEqual({
      oauth: 'error',
      message: 'this sign-in link expired or was already used: start again',
    })
    expect(s.as.counters.codeExchanges).toBe(1)
  })

  it('binds the state to the user who started the sign-in', async () => {
    const s = await setup()
    const path = await authorize(s)
    const mallory = await registerUser(t)
    const stolen = await callback(path, mallory.cookie)
    expect(stolen.searchParams.get('oauth')).toBe('error')
    // Presented by someone else, the state is spent for everyone.
    const late = await callback(path, s.cookie)
    expect(late.searchParams.get('message')).toMatch(/expired or was already used/)
    expect(s.as.counters.codeExchanges).toBe(0)
    expect((await getServer(s)).status).toBe('needs_auth')

    const signedOut = await t.request(path)
    expect(signedOut.status).toBe(302)
    expect(signedOut.headers.get('location')).toBe('/servers?oauth=error&message=sign+in+first')
  })

  it('refuses a state older than 10 minutes', async () => {
    const s = await setup()
    const path = await authorize(s)
    const realNow = t.deps.now
    t.deps.now = () => new Date(Date.now() + 10 * 60_000 + 1_000)
    try {
      const next = await callback(path, s.cookie)
      expect(next.searchParams.get('message')).toMatch(/expired or was already used/)
    } finally {
      t.deps.now = realNow
    }
    expect(s.as.counters.codeExchanges).toBe(0)
  })

  it('sends the browser back with the authorization server’s refusal', async () => {
    const s = await setup()
    s.as.settings.deny = { error: 'access_denied', description: 'the user declined' }
    const next = await callback(await authorize(s), s.cookie)
    expect(Object.fromEntries(next.searchParams)).toEqual({
      oauth: 'error',
      message: 'the authorization server refused: access_denied: the user declined',
    })
  })

  it('fetches OAuth discovery through the SSRF guard', async () => {
    const s = await setup()
    const allowed = t.deps.upstreamHttp
    // Only the MCP server's port is allowed on loopback: the authorization server is not.
    t.deps.upstreamHttp = createUpstreamHttp({
      allowedHosts: [`127.0.0.1:${s.mcp.port}`],
      allowPrivateNetworks: false,
    })
    try {
      const res = await start(s)
      expect(res.status).toBe(422)
      expect((await res.json()).error).toMatchObject({
        code: 'upstream_rejected',
        message: expect.stringMatching(/127\.0\.0\.1 is allowed only on port/),
      })
    } finally {
      await t.deps.upstreamHttp.close()
      t.deps.upstreamHttp = allowed
    }
    expect(s.as.counters.metadata).toBe(0)
  })
})

// These go through POST /api/user/mcp-servers/:id/test, so they need servers.ts to pass the
// OAuth provider to the connections of `auth_type = 'oauth'` servers.
describe('connections after sign-in', () => {
  it('refreshes an expired access token transparently', async () => {
    const s = await setup()
    s.as.settings.accessTokenTtlSeconds = 1
    await signIn(s)
    await sleep(1_100)
    expect(await testConnection(s)).toMatchObject({ ok: true, status: 'online', toolCount: 2 })
    expect(s.as.counters.refreshes).toBe(1)
  })

  it('refreshes exactly once for parallel connections', async () => {
    const s = await setup()
    s.as.settings.accessTokenTtlSeconds = 1
    await signIn(s)
    s.as.settings.accessTokenTtlSeconds = 3600
    s.as.settings.refreshDelayMs = 150
    await sleep(1_100)
    const results = await Promise.all(Array.from({ length: 4 }, () => testConnection(s)))
    expect(results.map((r) => r.ok)).toEqual([true, true, true, true])
    expect(s.as.counters.refreshes).toBe(1)
    expect(s.as.counters.refreshRejected).toBe(0)
  })

  it('marks the server needs_auth once the authorization server revokes the grant', async () => {
    const s = await setup()
    await signIn(s)
    expect(await testConnection(s)).toMatchObject({ ok: true })
    const row = await t.deps.db
      .selectFrom('mcp_servers')
      .select('auth_data')
      .where('id', '=', s.serverId)
      .executeTakeFirstOrThrow()
    const data = openAuthData(t.deps.box, s.userId, row.auth_data)
    const refreshToken = data?.type === 'oauth' ? data.tokens?.refresh_token : undefined
    const revoked = await fetch(`${s.as.issuer}/revoke`, {
      method: 'POST',
      body: new URLSearchParams({ token: String(refreshToken) }),
    })
    expect(revoked.status).toBe(200)

    expect(await testConnection(s)).toMatchObject({ ok: false, status: 'needs_auth' })
    expect(await getServer(s)).toMatchObject({ status: 'needs_auth' })
  })
})
