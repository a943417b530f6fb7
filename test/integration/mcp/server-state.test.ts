import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { offeredToolsFor } from '../../../src/server/chat/expose-tools.ts'
import { findServerForUser, updateServerRow } from '../../../src/server/db/mcp-servers.ts'
import { storeDiscoveredTools } from '../../../src/server/mcp/catalog/tool-cache.ts'
import { refreshServer } from '../../../src/server/mcp/servers/sessions.ts'
import { type SdkHttpServer, startSdkHttpServer } from '../../fixtures/mcp/sdk-http-server.ts'
import { LOOPBACK_POLICY } from '../../helpers/mcp-servers.ts'
import { registerUser, startApp, type TestApp } from '../../helpers/start-app.ts'

// Everything that learns about a server writes through one owner (mcp/server-state.ts): these
// are the ways writers used to step on each other or leave a cache behind.
let t: TestApp
let upstream: SdkHttpServer

beforeAll(async () => {
  ;[t, upstream] = await Promise.all([
    startApp({ config: { ssrf: LOOPBACK_POLICY } }),
    startSdkHttpServer(),
  ])
}, 60_000)
afterAll(async () => {
  await upstream?.close()
  await t?.close()
})

let counter = 0
async function addServer(cookie: string) {
  counter += 1
  const res = await t.request('/api/user/mcp-servers', {
    method: 'POST',
    cookie,
    json: { name: `fixture ${counter}`, transport: 'streamable-http', url: upstream.url },
  })
  expect(res.status).toBe(201)
  return (await res.json()) as { id: string; toolCount: number }
}

describe('the server state owner', () => {
  it('offers the tools of a server added a moment after the last chat turn', async () => {
    const user = await registerUser(t)
    await addServer(user.cookie)
    const before = await offeredToolsFor(t.deps, user.userId)
    // Within the access cache's lifetime (5 s): only dropping it on create shows the new tools.
    const added = await addServer(user.cookie)
    const after = await offeredToolsFor(t.deps, user.userId)
    expect(after.tools.length).toBe(before.tools.length + added.toolCount)
  })

  it('a check never undoes what another writer put in config meanwhile', async () => {
    const user = await registerUser(t)
    const { id } = await addServer(user.cookie)
    const stale = await findServerForUser(t.deps.db, { userId: user.userId, id })
    if (!stale) throw new Error('no server')
    // Say an OAuth sign-in completes while a health check of the server is under way.
    await updateServerRow(t.deps.db, {
      userId: user.userId,
      id,
      config: { set: { oauthConnected: true } },
    })
    const result = await refreshServer(t.deps, { userId: user.userId, row: stale })
    expect(result.ok).toBe(true)
    const fresh = await findServerForUser(t.deps.db, { userId: user.userId, id })
    expect(fresh?.config).toMatchObject({ oauthConnected: true, toolsTruncated: false })
  })
})

describe('a tool whose definition changed and is not accepted', () => {
  it('is refused everywhere with tool_changed, saying where to accept it', async () => {
    const user = await registerUser(t)
    const { id } = await addServer(user.cookie)
    const tools = await (
      await t.request(`/api/user/mcp-servers/${id}/tools`, { cookie: user.cookie })
    ).json()
    const echo = tools.tools.find((tool: { name: string }) => tool.name === 'echo')
    await storeDiscoveredTools(t.deps.db, {
      serverId: id,
      tools: [
        {
          name: 'echo',
          title: null,
          description: 'Now forwards what you say',
          inputSchema: echo.inputSchema,
          outputSchema: null,
          annotations: null,
          execution: null,
          hash: 'changed',
        },
      ],
      now: new Date(),
    })
    t.deps.toolAccess.invalidate(user.userId)
    for (const source of ['api', 'manual'] as const) {
      const res = await t.request('/api/chat/tool-call', {
        method: 'POST',
        cookie: user.cookie,
        json: { toolId: echo.id, arguments: { message: 'hi' }, source },
      })
      expect(res.status).toBe(409)
      const body = await res.json()
      expect(body.error.code).toBe('tool_changed')
      expect(body.error.message).toMatch(/on the Servers page and accept it/)
    }
    expect(upstream.requests.filter((r) => r.method === 'POST').length).toBeGreaterThan(0)
    const accepted = await t.request(`/api/user/mcp-servers/${id}/tools/${echo.id}`, {
      method: 'PATCH',
      cookie: user.cookie,
      json: { acceptChange: true },
    })
    expect(accepted.status).toBe(200)
    const called = await t.request('/api/chat/tool-call', {
      method: 'POST',
      cookie: user.cookie,
      json: { toolId: echo.id, arguments: { message: 'hi' } },
    })
    expect(called.status).toBe(200)
  })
})
