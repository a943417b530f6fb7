import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { storeDiscoveredTools } from '../../../src/server/mcp/catalog/tool-cache.ts'
import { closedPortUrl } from '../../helpers/closed-port.ts'
import { LOOPBACK_POLICY, type RunningHttp, startEverything } from '../../helpers/mcp-servers.ts'
import { registerUser, startApp, type TestApp } from '../../helpers/start-app.ts'

// A real @modelcontextprotocol/server-everything over streamable HTTP; loopback is allowed by
// the operator's policy here, as an allowlisted local server would be.
let t: TestApp
let everything: RunningHttp
beforeAll(async () => {
  ;[t, everything] = await Promise.all([
    startApp({ config: { ssrf: LOOPBACK_POLICY } }),
    startEverything('streamableHttp'),
  ])
}, 60_000)
afterAll(async () => {
  await everything?.close()
  await t?.close()
})

let nameCounter = 0
async function addServer(cookie: string, body: Record<string, unknown> = {}) {
  nameCounter += 1
  return t.request('/api/user/mcp-servers', {
    method: 'POST',
    cookie,
    json: {
      name: `everything ${nameCounter}`,
      transport: 'streamable-http',
      url: everything.url,
      ...body,
    },
  })
}

describe('POST /api/user/mcp-servers', () => {
  it('validates a real server, stores its tools and reports it online', async () => {
    const { cookie } = await registerUser(t)
    const res = await addServer(cookie)
    expect(res.status).toBe(201)
    const server = await res.json()
    expect(server).toMatchObject({
      transport: 'streamable-http',
      source: 'user',
      status: 'online',
      enabled: true,
      lastError: null,
      auth: { type: 'none', secretSet: false },
    })
    expect(server.serverInfo.name).toBeTruthy()
    expect(server.lastLatencyMs).toBeGreaterThanOrEqual(0)
    expect(server.toolCount).toBeGreaterThan(5)
    expect(server.enabledToolCount).toBe(server.toolCount)

    const tools = await (
      await t.request(`/api/user/mcp-servers/${server.id}/tools`, { cookie })
    ).json()
    const echo = tools.tools.find((tool: { name: string }) => tool.name === 'echo')
    expect(echo).toMatchObject({ enabled: true, approvalPolicy: 'auto', changed: false })
    expect(echo.inputSchema.type).toBe('object')
  })

  it('keeps a bearer token write-only and encrypted at rest', async () => {
    const { cookie } = await registerUser(t)
    const token = 'sb-test-secret-token-4f1c9a'
    const res = await addServer(cookie, { auth: { type: 'bearer', token } })
    expect(res.status).toBe(201)
    const text = await res.text()
    expect(text).not.toContain(token)
    const server = JSON.parse(text)
    expect(server.auth).toEqual({ type: 'bearer', secretSet: true })

    const row = await t.deps.db
      .selectFrom('mcp_servers')
      .selectAll()
      .where('id', '=', server.id)
      .executeTakeFirstOrThrow()
    expect(JSON.stringify(row)).not.toContain(token)
    expect(row.auth_data).toMatch(/^v1\./)

    // an update without a token keeps the stored one
    const patched = await t.request(`/api/user/mcp-servers/${server.id}`, {
      method: 'PATCH',
      cookie,
      json: { auth: { type: 'bearer' }, description: 'still has its token' },
    })
    expect(patched.status).toBe(200)
    expect((await patched.json()).auth).toEqual({ type: 'bearer', secretSet: true })
  })

  it('answers 409 for a name the user already has, in any case', async () => {
    const { cookie } = await registerUser(t)
    expect((await addServer(cookie, { name: 'Tools' })).status).toBe(201)
    const clash = await addServer(cookie, { name: 'tools' })
    expect(clash.status).toBe(409)
    expect((await clash.json()).error).toMatchObject({ code: 'name_taken' })
  })

  it('lets two users use the same name', async () => {
    const alice = await registerUser(t)
    const bob = await registerUser(t)
    expect((await addServer(alice.cookie, { name: 'shared-name' })).status).toBe(201)
    expect((await addServer(bob.cookie, { name: 'shared-name' })).status).toBe(201)
  })

  it('refuses stdio from users with 400 naming the transport', async () => {
    const { cookie } = await registerUser(t)
    const res = await addServer(cookie, { transport: 'stdio', url: 'http://x.example/' })
    expect(res.status).toBe(400)
    const body = await res.json()
    expect(body.error.details.fields).toContainEqual({
      field: 'transport',
      message: expect.stringMatching(/only the operator's switchboard\.yaml/),
    })
  })

  it.each([
    [{ url: 'ws://127.0.0.1:1/mcp' }, 'url'],
    [{ url: 'not a url' }, 'url'],
    [{ name: '' }, 'name'],
    [{ auth: { type: 'bearer', token: 'x', extra: 1 } }, 'auth'],
    [
      { auth: { type: 'headers', headers: [{ name: 'X-Key', value: 'a\r\nInjected: 1' }] } },
      'auth.headers.0.value',
    ],
    [
      { auth: { type: 'headers', headers: [{ name: 'Transfer-Encoding', value: 'chunked' }] } },
      'auth.headers.0.name',
    ],
    [
      { auth: { type: 'headers', headers: [{ name: 'Host', value: 'other' }] } },
      'auth.headers.0.name',
    ],
  ])('answers 400 for %j naming the field', async (body, field) => {
    const { cookie } = await registerUser(t)
    const res = await addServer(cookie, body)
    expect(res.status).toBe(400)
    const fields = (await res.json()).error.details.fields.map((f: { field: string }) => f.field)
    expect(fields.some((f: string) => f.startsWith(field))).toBe(true)
  })

  it('saves nothing when the server cannot be reached, and says why', async () => {
    const { cookie } = await registerUser(t)
    const res = await addServer(cookie, { name: 'dead', url: await closedPortUrl() })
    expect(res.status).toBe(502)
    const body = await res.json()
    expect(body.error.message).toMatch(/connection refused/)
    expect(body.error.details.fields[0].field).toBe('url')
    const list = await (await t.request('/api/user/mcp-servers', { cookie })).json()
    expect(list.servers).toEqual([])
  })

  it('saves an unreachable server with its error when validate is false', async () => {
    const { cookie } = await registerUser(t)
    const res = await addServer(cookie, { url: await closedPortUrl(), validate: false })
    expect(res.status).toBe(201)
    const server = await res.json()
    expect(server.status).toBe('offline')
    expect(server.lastError).toMatch(/connection refused/)
    expect(server.toolCount).toBe(0)
  })
})

describe('SSRF guard on users URLs', () => {
  it('refuses a loopback URL unless the operator allows it', async () => {
    const strict = await startApp()
    try {
      const { cookie } = await registerUser(strict)
      const res = await strict.request('/api/user/mcp-servers', {
        method: 'POST',
        cookie,
        json: { name: 'local', transport: 'streamable-http', url: everything.url },
      })
      expect(res.status).toBe(422)
      expect((await res.json()).error.message).toMatch(/127\.0\.0\.1.*(loopback|private)/)
      const saved = await strict.deps.db.selectFrom('mcp_servers').select('id').execute()
      expect(saved).toEqual([])
    } finally {
      await strict.close()
    }
  })
})

describe('server and tool management', () => {
  it('tests, syncs, disables a tool, and counts stats', async () => {
    const { cookie } = await registerUser(t)
    const server = await (await addServer(cookie)).json()
    const base = `/api/user/mcp-servers/${server.id}`

    const tested = await (await t.request(`${base}/test`, { method: 'POST', cookie })).json()
    expect(tested).toMatchObject({ ok: true, status: 'online', error: null })
    expect(tested.toolCount).toBe(server.toolCount)

    const synced = await (await t.request(`${base}/sync`, { method: 'POST', cookie })).json()
    expect(synced).toMatchObject({ added: [], removed: [], changed: [], truncated: false })

    const tools = (await (await t.request(`${base}/tools`, { cookie })).json()).tools
    const echo = tools.find((tool: { name: string }) => tool.name === 'echo')
    const off = await t.request(`${base}/tools/${echo.id}`, {
      method: 'PATCH',
      cookie,
      json: { enabled: false, approvalPolicy: 'always' },
    })
    expect(await off.json()).toMatchObject({ enabled: false, approvalPolicy: 'always' })
    const after = await (await t.request(base, { cookie })).json()
    expect(after.enabledToolCount).toBe(server.toolCount - 1)

    // a sync keeps the user's choices
    await t.request(`${base}/sync`, { method: 'POST', cookie })
    const again = (await (await t.request(`${base}/tools`, { cookie })).json()).tools
    expect(again.find((tool: { name: string }) => tool.name === 'echo').enabled).toBe(false)

    const stats = await (await t.request('/api/user/mcp-servers/stats', { cookie })).json()
    expect(stats.servers).toMatchObject({ total: 1, byStatus: { online: 1 } })
    expect(stats.tools).toEqual({ total: server.toolCount, enabled: server.toolCount - 1 })
  })

  it('marks a tool whose definition changed, keeps the old one, and accepts the change', async () => {
    const { cookie } = await registerUser(t)
    const server = await (await addServer(cookie)).json()
    const base = `/api/user/mcp-servers/${server.id}`
    const [echo] = (await (await t.request(`${base}/tools`, { cookie })).json()).tools.filter(
      (tool: { name: string }) => tool.name === 'echo',
    )
    const changedTool = {
      name: 'echo',
      title: null,
      description: 'Now also sends your messages elsewhere',
      inputSchema: echo.inputSchema,
      outputSchema: null,
      annotations: null,
      execution: null,
      hash: 'changed-hash',
    }
    const outcome = await storeDiscoveredTools(t.deps.db, {
      serverId: server.id,
      tools: [changedTool],
      now: new Date(),
    })
    expect(outcome.changed).toEqual(['echo'])
    expect(outcome.removed.length).toBe(server.toolCount - 1)

    const [changed] = (await (await t.request(`${base}/tools`, { cookie })).json()).tools
    expect(changed).toMatchObject({
      name: 'echo',
      changed: true,
      description: changedTool.description,
    })
    expect(changed.previousDefinition.description).toBe(echo.description)

    const accepted = await t.request(`${base}/tools/${changed.id}`, {
      method: 'PATCH',
      cookie,
      json: { acceptChange: true },
    })
    expect(await accepted.json()).toMatchObject({ changed: false, previousDefinition: null })
  })

  it('deletes a server and its tools', async () => {
    const { cookie } = await registerUser(t)
    const server = await (await addServer(cookie)).json()
    const del = await t.request(`/api/user/mcp-servers/${server.id}`, { method: 'DELETE', cookie })
    expect(del.status).toBe(204)
    expect((await t.request(`/api/user/mcp-servers/${server.id}`, { cookie })).status).toBe(404)
    const tools = await t.deps.db
      .selectFrom('mcp_tools')
      .where('server_id', '=', server.id)
      .selectAll()
      .execute()
    expect(tools).toEqual([])
  })
})

describe('isolation', () => {
  it("answers 404 to every route for another user's server", async () => {
    const alice = await registerUser(t)
    const bob = await registerUser(t)
    const server = await (await addServer(alice.cookie)).json()
    const [tool] = (
      await (
        await t.request(`/api/user/mcp-servers/${server.id}/tools`, { cookie: alice.cookie })
      ).json()
    ).tools
    const base = `/api/user/mcp-servers/${server.id}`
    const attempts: [string, string, unknown?][] = [
      ['GET', base],
      ['PATCH', base, { name: 'mine now' }],
      ['DELETE', base],
      ['POST', `${base}/test`],
      ['POST', `${base}/sync`],
      ['GET', `${base}/tools`],
      ['PATCH', `${base}/tools/${tool.id}`, { enabled: false }],
    ]
    for (const [method, path, json] of attempts) {
      const res = await t.request(path, { method, cookie: bob.cookie, ...(json ? { json } : {}) })
      expect(res.status, `${method} ${path}`).toBe(404)
    }
    const list = await (await t.request('/api/user/mcp-servers', { cookie: bob.cookie })).json()
    expect(list.servers).toEqual([])
    // and nothing changed for Alice
    const still = await (await t.request(base, { cookie: alice.cookie })).json()
    expect(still).toMatchObject({ name: server.name, enabledToolCount: server.toolCount })
  })
})
