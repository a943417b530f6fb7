import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import type { AuditEntryView, AuditList } from '../../../src/shared/audit.ts'
import { startAuthorizationServer } from '../../fixtures/oauth/authorization-server.ts'
import { startProtectedMcpServer } from '../../fixtures/oauth/protected-mcp-server.ts'
import { closedPortUrl } from '../../helpers/closed-port.ts'
import { LOOPBACK_POLICY } from '../../helpers/mcp-servers.ts'
import {
  registerUser,
  sessionCookie,
  startApp,
  TEST_PASSWORD,
  type TestApp,
  uniqueEmail,
} from '../../helpers/start-app.ts'
import { uniqueIp } from '../../helpers/unique-ip.ts'

// Servers are saved with `validate: false` on a closed loopback port: the audit trail does not
// need a live MCP server, only the real routes and services that change one.
// Its own address each run: failed sign-ins count per address, in Redis across runs.
const CLIENT_IP = uniqueIp()
const WRONG_PASSWORD = 'not the password 9c41e'
const BEARER = 'audit-bearer-secret-51d7e0'
const NEW_BEARER = 'audit-bearer-rotated-8a2f3c'
const HEADER_VALUE = 'audit-header-value-7be210'

let t: TestApp
beforeAll(async () => {
  t = await startApp({ config: { ssrf: LOOPBACK_POLICY, trustProxy: true } })
})
afterAll(() => t.close())

/** Every request of these tests comes from one client address, as a proxy reports it. */
function fromClient(init: Parameters<TestApp['request']>[1] = {}) {
  return { ...init, headers: { 'x-forwarded-for': CLIENT_IP, ...init.headers } }
}

async function auditPage(cookie: string, query = ''): Promise<AuditList> {
  const res = await t.request(`/api/user/audit${query}`, { cookie })
  expect(res.status).toBe(200)
  return (await res.json()) as AuditList
}

async function actions(cookie: string): Promise<string[]> {
  return (await auditPage(cookie, '?limit=200')).entries.map((entry) => entry.action)
}

function find(entries: AuditEntryView[], action: string): AuditEntryView {
  const entry = entries.find((e) => e.action === action)
  if (!entry) throw new Error(`no ${action} in ${entries.map((e) => e.action).join(', ')}`)
  return entry
}

async function login(email: string, password: string): Promise<Response> {
  return t.request('/api/auth/login', fromClient({ method: 'POST', json: { email, password } }))
}

async function addServer(cookie: string, body: Record<string, unknown>) {
  const res = await t.request(
    '/api/user/mcp-servers',
    fromClient({
      method: 'POST',
      cookie,
      json: {
        transport: 'streamable-http',
        url: await closedPortUrl(),
        validate: false,
        ...body,
      },
    }),
  )
  expect(res.status).toBe(201)
  return (await res.json()) as { id: string; name: string }
}

describe('GET /api/user/audit: what is recorded', () => {
  it('records register, sign-out and sign-in with the actor and the client ip', async () => {
    const email = uniqueEmail('audit')
    const reg = await t.request(
      '/api/auth/register',
      fromClient({ method: 'POST', json: { email, password: TEST_PASSWORD } }),
    )
    expect(reg.status).toBe(201)
    const cookie = sessionCookie(reg)
    const logout = await t.request('/api/auth/logout', fromClient({ method: 'POST', cookie }))
    expect(logout.status).toBe(204)
    const again = await login(email, TEST_PASSWORD)
    expect(again.status).toBe(200)

    const { entries } = await auditPage(sessionCookie(again))
    expect(entries.map((e) => e.action)).toEqual([
      'auth.sign_in',
      'auth.sign_out',
      'auth.sign_in',
      'auth.register',
    ])
    const userId = (await reg.json()).user.id
    for (const entry of entries) {
      expect(entry).toMatchObject({ userId, actor: email, ip: CLIENT_IP })
    }
    expect(find(entries, 'auth.register')).toMatchObject({ targetType: 'user', targetId: userId })
  })

  it('files a failed sign-in under the account, as anonymous, without the password', async () => {
    const { cookie, email, userId } = await registerUser(t)
    expect((await login(email, WRONG_PASSWORD)).status).toBe(401)
    const failed = find((await auditPage(cookie)).entries, 'auth.sign_in_failed')
    expect(failed).toMatchObject({ userId, actor: 'anonymous', ip: CLIENT_IP, details: { email } })
  })

  it('records a failed sign-in for an unknown email with no user', async () => {
    const email = uniqueEmail('nobody')
    expect((await login(email, WRONG_PASSWORD)).status).toBe(401)
    const rows = await t.deps.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'auth.sign_in_failed')
      .execute()
    const row = rows.find((r) => r.details.email === email)
    expect(row).toMatchObject({ user_id: null, actor: 'anonymous', ip: CLIENT_IP })
  })

  it('records API tokens created and revoked by id and name, never the token', async () => {
    const { cookie, email } = await registerUser(t)
    const created = await t.request(
      '/api/user/tokens',
      fromClient({ method: 'POST', cookie, json: { name: 'ci runner' } }),
    )
    const { token, secret } = await created.json()
    const revoked = await t.request(
      `/api/user/tokens/${token.id}`,
      fromClient({ method: 'DELETE', cookie }),
    )
    expect(revoked.status).toBe(204)

    const { entries } = await auditPage(cookie)
    for (const action of ['token.created', 'token.revoked']) {
      expect(find(entries, action)).toMatchObject({
        actor: email,
        ip: CLIENT_IP,
        targetType: 'api_token',
        targetId: token.id,
        details: { name: 'ci runner' },
      })
    }
    expect(JSON.stringify(entries)).not.toContain(secret)
  })

  it('records a server created, updated (with its new secret) and deleted', async () => {
    const { cookie, email } = await registerUser(t)
    const server = await addServer(cookie, {
      name: 'audited',
      auth: { type: 'bearer', token: BEARER },
    })
    const base = `/api/user/mcp-servers/${server.id}`
    const renamed = await t.request(
      base,
      fromClient({
        method: 'PATCH',
        cookie,
        json: { name: 'audited-2', description: 'no secret here', validate: false },
      }),
    )
    expect(renamed.status).toBe(200)
    const rotated = await t.request(
      base,
      fromClient({
        method: 'PATCH',
        cookie,
        json: { auth: { type: 'bearer', token: NEW_BEARER }, validate: false },
      }),
    )
    expect(rotated.status).toBe(200)
    const headers = await t.request(
      base,
      fromClient({
        method: 'PATCH',
        cookie,
        json: {
          auth: { type: 'headers', headers: [{ name: 'X-Api-Key', value: HEADER_VALUE }] },
          validate: false,
        },
      }),
    )
    expect(headers.status).toBe(200)
    expect((await t.request(base, fromClient({ method: 'DELETE', cookie }))).status).toBe(204)

    const { entries } = await auditPage(cookie)
    const serverEntries = entries.filter((e) => e.targetId === server.id)
    // An update and the secret change it makes are written in the same millisecond: their
    // order within the page is not defined, so compare them as a set.
    expect(serverEntries.map((e) => e.action).sort()).toEqual([
      'server.created',
      'server.deleted',
      'server.secret_changed',
      'server.secret_changed',
      'server.updated',
      'server.updated',
      'server.updated',
    ])
    expect(serverEntries.at(0)?.action).toBe('server.deleted')
    expect(serverEntries.at(-1)?.action).toBe('server.created')
    for (const entry of serverEntries) {
      expect(entry).toMatchObject({ actor: email, ip: CLIENT_IP, targetType: 'mcp_server' })
    }
    const created = find(serverEntries, 'server.created')
    expect(created.details).toEqual({
      name: 'audited',
      transport: 'streamable-http',
      authType: 'bearer',
    })
    const updates = serverEntries.filter((e) => e.action === 'server.updated')
    expect(updates.map((e) => e.details.fields)).toEqual([
      ['auth'],
      ['auth'],
      ['name', 'description'],
    ])
    expect(updates.every((e) => e.details.name === 'audited-2')).toBe(true)
    const secrets = serverEntries.filter((e) => e.action === 'server.secret_changed')
    expect(secrets.map((e) => e.details)).toEqual([
      expect.objectContaining({ authType: 'headers', fields: ['auth.headers.X-Api-Key'] }),
      expect.objectContaining({ authType: 'bearer', fields: ['auth.token'] }),
    ])
    const deleted = find(serverEntries, 'server.deleted')
    expect(deleted.details).toMatchObject({ name: 'audited-2' })
  })

  it('records a tool disabled, enabled and its policy changed, only when it changes', async () => {
    const { cookie } = await registerUser(t)
    const server = await addServer(cookie, { name: 'with tools' })
    const tool = await t.deps.db
      .insertInto('mcp_tools')
      .values({
        server_id: server.id,
        name: 'echo',
        input_schema: JSON.stringify({ type: 'object' }),
        schema_hash: 'test',
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const patchTool = (json: Record<string, unknown>) =>
      t.request(
        `/api/user/mcp-servers/${server.id}/tools/${tool.id}`,
        fromClient({ method: 'PATCH', cookie, json }),
      )
    expect((await patchTool({ enabled: false })).status).toBe(200)
    expect((await patchTool({ enabled: false })).status).toBe(200)
    expect((await patchTool({ enabled: true })).status).toBe(200)
    expect((await patchTool({ approvalPolicy: 'always' })).status).toBe(200)

    const { entries } = await auditPage(cookie)
    const toolEntries = entries.filter((e) => e.targetId === tool.id)
    expect(toolEntries.map((e) => e.action)).toEqual([
      'tool.policy_changed',
      'tool.enabled',
      'tool.disabled',
    ])
    for (const entry of toolEntries) {
      expect(entry).toMatchObject({
        targetType: 'mcp_tool',
        details: { serverId: server.id, server: 'with tools', tool: 'echo' },
      })
    }
    expect(toolEntries[0]?.details).toMatchObject({ from: 'auto', to: 'always' })
  })

  it('records the OAuth sign-in to a server when the callback finishes', async () => {
    const as = await startAuthorizationServer()
    onTestFinished(() => as.close())
    const mcp = await startProtectedMcpServer(as)
    onTestFinished(() => mcp.close())
    const { cookie, email } = await registerUser(t)
    const server = await addServer(cookie, {
      name: 'oauth-audited',
      url: mcp.url,
      auth: { type: 'oauth' },
    })
    const started = await t.request(
      `/api/user/mcp-servers/${server.id}/oauth/start`,
      fromClient({ method: 'POST', cookie }),
    )
    const { authorizationUrl } = await started.json()
    const consent = await fetch(authorizationUrl, { redirect: 'manual' })
    const back = new URL(consent.headers.get('location') ?? '')
    const done = await t.request(`${back.pathname}${back.search}`, fromClient({ cookie }))
    expect(done.headers.get('location')).toMatch(/oauth=connected/)

    const connected = find((await auditPage(cookie)).entries, 'server.oauth_connected')
    expect(connected).toMatchObject({
      actor: email,
      ip: CLIENT_IP,
      targetType: 'mcp_server',
      targetId: server.id,
      details: { name: 'oauth-audited' },
    })
    const rows = JSON.stringify(await t.deps.db.selectFrom('audit_log').selectAll().execute())
    expect(rows).not.toContain(back.searchParams.get('code') ?? 'no code')
  })
})

describe('GET /api/user/audit: reading', () => {
  it("shows the caller only their own entries, not another user's", async () => {
    const alice = await registerUser(t)
    const bob = await registerUser(t)
    await t.request('/api/user/tokens', {
      method: 'POST',
      cookie: alice.cookie,
      json: { name: 'alice only' },
    })
    const bobs = (await auditPage(bob.cookie, '?limit=200')).entries
    expect(bobs.length).toBeGreaterThan(0)
    expect(bobs.every((e) => e.userId === bob.userId)).toBe(true)
    expect(JSON.stringify(bobs)).not.toContain('alice only')
    expect(await actions(alice.cookie)).toContain('token.created')
  })

  it('pages with the cursor so that every entry comes exactly once, newest first', async () => {
    const { cookie } = await registerUser(t)
    for (let i = 0; i < 7; i += 1) {
      await t.request('/api/user/tokens', { method: 'POST', cookie, json: { name: `t${i}` } })
    }
    const all = (await auditPage(cookie, '?limit=200')).entries
    expect(all.length).toBe(9) // register, sign-in, 7 tokens
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const page: AuditList = await auditPage(
        cookie,
        `?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      )
      expect(page.entries.length).toBeLessThanOrEqual(2)
      seen.push(...page.entries.map((e) => e.id))
      cursor = page.nextCursor
    } while (cursor)
    expect(seen).toEqual(all.map((e) => e.id))
    const times = all.map((e) => Date.parse(e.at))
    expect(times).toEqual([...times].sort((a, b) => b - a))
  })

  it('filters by action and by time', async () => {
    const { cookie } = await registerUser(t)
    await t.request('/api/user/tokens', { method: 'POST', cookie, json: { name: 'x' } })
    expect(await actions(cookie)).toEqual(['token.created', 'auth.sign_in', 'auth.register'])
    const onlyTokens = await auditPage(cookie, '?action=token.created')
    expect(onlyTokens.entries.map((e) => e.action)).toEqual(['token.created'])
    const future = new Date(Date.now() + 60_000).toISOString()
    expect((await auditPage(cookie, `?from=${future}`)).entries).toEqual([])
    const past = new Date(Date.now() - 60_000).toISOString()
    expect((await auditPage(cookie, `?to=${past}`)).entries).toEqual([])
    expect((await auditPage(cookie, `?from=${past}&to=${future}`)).entries).toHaveLength(3)
  })

  it('answers 400 for a bad cursor, action or limit, and 401 when not signed in', async () => {
    const { cookie } = await registerUser(t)
    for (const query of ['?cursor=bogus', '?action=nope', '?limit=201', '?limit=0']) {
      const res = await t.request(`/api/user/audit${query}`, { cookie })
      expect(res.status, query).toBe(400)
      expect((await res.json()).error.code).toBe('validation_failed')
    }
    const forged = Buffer.from(JSON.stringify(['yesterday', 'x'])).toString('base64url')
    expect((await t.request(`/api/user/audit?cursor=${forged}`, { cookie })).status).toBe(400)
    expect((await t.request('/api/user/audit')).status).toBe(401)
  })
})

describe('audit_log at rest', () => {
  it('holds no password, bearer token, header value or API token used in these tests', async () => {
    const { cookie } = await registerUser(t)
    const { secret } = await (
      await t.request('/api/user/tokens', { method: 'POST', cookie, json: { name: 'scan' } })
    ).json()
    const rows = await t.deps.db.selectFrom('audit_log').selectAll().execute()
    expect(rows.length).toBeGreaterThan(20)
    const text = JSON.stringify(rows)
    for (const value of [TEST_PASSWORD, WRONG_PASSWORD, BEARER, NEW_BEARER, HEADER_VALUE, secret]) {
      expect(text).not.toContain(value)
    }
  })
})
