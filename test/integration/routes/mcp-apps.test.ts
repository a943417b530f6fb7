import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listOfferableTools } from '../../../src/server/mcp/catalog/user-tools.ts'
import { APP_URI, type AppServerState, appServer } from '../../fixtures/mcp/app-server.ts'
import { type SdkHttpServer, startSdkHttpServer } from '../../fixtures/mcp/sdk-http-server.ts'
import { LOOPBACK_POLICY } from '../../helpers/mcp-servers.ts'
import { registerUser, startApp, type TestApp } from '../../helpers/start-app.ts'

// MCP Apps through the API: a real SDK server built with ext-apps' own server helpers, whose
// app (HTML and CSP) the test changes between listings.
const state: AppServerState = {
  html: '<!doctype html><p>clock v1</p>',
  csp: {
    connectDomains: ['https://api.example.com'],
    resourceDomains: ['https://cdn.example.com'],
  },
}
let t: TestApp
let upstream: SdkHttpServer
beforeAll(async () => {
  ;[t, upstream] = await Promise.all([
    startApp({ config: { ssrf: LOOPBACK_POLICY } }),
    startSdkHttpServer(appServer(state)),
  ])
}, 60_000)
afterAll(async () => {
  await upstream?.close()
  await t?.close()
})

interface Tool {
  id: string
  name: string
  changed: boolean
  app: { resourceUri: string; visibility: string[]; hash: string | null } | null
  previousDefinition: Record<string, unknown> | null
}

let counter = 0
async function setup() {
  const user = await registerUser(t)
  counter += 1
  const res = await t.request('/api/user/mcp-servers', {
    method: 'POST',
    cookie: user.cookie,
    json: { name: `apps ${counter}`, transport: 'streamable-http', url: upstream.url },
  })
  expect(res.status).toBe(201)
  const serverId = ((await res.json()) as { id: string }).id
  const tools = async () =>
    (
      (await (
        await t.request(`/api/user/mcp-servers/${serverId}/tools`, { cookie: user.cookie })
      ).json()) as { tools: Tool[] }
    ).tools
  const tool = async (name: string) => (await tools()).find((x) => x.name === name) as Tool
  const app = (toolId: string) =>
    t.request(`/api/user/mcp-servers/${serverId}/tools/${toolId}/app`, { cookie: user.cookie })
  const call = (json: Record<string, unknown>) =>
    t.request('/api/chat/tool-call', { method: 'POST', cookie: user.cookie, json })
  return { ...user, serverId, tools, tool, app, call }
}

describe('MCP Apps: discovery and GET /api/user/mcp-servers/:id/tools/:toolId/app', () => {
  it('lists which tools have an app, and serves the app cached with them', async () => {
    const s = await setup()
    const clock = await s.tool('clock')
    expect(clock.app).toEqual({
      resourceUri: APP_URI,
      visibility: ['model', 'app'],
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    })
    expect((await s.tool('tick')).app).toMatchObject({ resourceUri: APP_URI, visibility: ['app'] })
    expect((await s.tool('echo')).app).toBeNull()

    const res = await s.app(clock.id)
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({
      toolId: clock.id,
      serverId: s.serverId,
      resourceUri: APP_URI,
      html: state.html,
      csp: state.csp,
      permissions: {},
    })
    const none = await s.app((await s.tool('echo')).id)
    expect(none.status).toBe(404)
    expect(((await none.json()) as { error: { reason: { key: string } } }).error.reason.key).toBe(
      'app.unavailable',
    )
  })

  it('never offers an app-only tool to the model', async () => {
    const s = await setup()
    const offered = await listOfferableTools(t.deps, { userId: s.userId })
    const names = offered.filter((x) => x.server_id === s.serverId).map((x) => x.name)
    expect(names.sort()).toEqual(['clock', 'echo'])
  })

  it('counts a changed app as a changed tool until the user accepts it', async () => {
    const s = await setup()
    const clock = await s.tool('clock')
    const before = state.html
    state.html = '<!doctype html><p>clock v2</p>'
    try {
      const sync = await t.request(`/api/user/mcp-servers/${s.serverId}/sync`, {
        method: 'POST',
        cookie: s.cookie,
      })
      expect(((await sync.json()) as { changed: string[] }).changed.sort()).toEqual([
        'clock',
        'tick',
      ])
      const changed = await s.tool('clock')
      expect(changed.changed).toBe(true)
      expect(changed.previousDefinition).toMatchObject({ ui: { resourceUri: APP_URI } })
      expect((await s.app(clock.id)).status).toBe(409)
      expect((await s.call({ toolId: clock.id, arguments: {} })).status).toBe(409)

      const accept = await t.request(`/api/user/mcp-servers/${s.serverId}/tools/${clock.id}`, {
        method: 'PATCH',
        cookie: s.cookie,
        json: { acceptChange: true },
      })
      expect(accept.status).toBe(200)
      const res = await s.app(clock.id)
      expect(res.status).toBe(200)
      expect(((await res.json()) as { html: string }).html).toBe(state.html)
    } finally {
      state.html = before
    }
  })

  it('keeps the accepted app when a listing cannot read it, and changes nothing', async () => {
    const s = await setup()
    const clock = await s.tool('clock')
    const before = state.html
    state.html = ''
    try {
      const sync = await t.request(`/api/user/mcp-servers/${s.serverId}/sync`, {
        method: 'POST',
        cookie: s.cookie,
      })
      expect(((await sync.json()) as { changed: string[] }).changed).toEqual([])
      expect((await s.tool('clock')).changed).toBe(false)
      const res = await s.app(clock.id)
      expect(((await res.json()) as { html: string }).html).toBe(before)
    } finally {
      state.html = before
    }
  })

  it('stops serving apps when the user switches them off for the server', async () => {
    const s = await setup()
    const clock = await s.tool('clock')
    const bad = await t.request(`/api/user/mcp-servers/${s.serverId}`, {
      method: 'PATCH',
      cookie: s.cookie,
      json: { renderApps: 'no' },
    })
    expect(bad.status).toBe(400)
    const off = await t.request(`/api/user/mcp-servers/${s.serverId}`, {
      method: 'PATCH',
      cookie: s.cookie,
      json: { renderApps: false },
    })
    expect(((await off.json()) as { renderApps: boolean }).renderApps).toBe(false)
    const res = await s.app(clock.id)
    expect(res.status).toBe(409)
    expect(((await res.json()) as { error: { reason: { key: string } } }).error.reason.key).toBe(
      'app.renderingOff',
    )
  })

  it('keeps only the declared entries that are origins', async () => {
    const before = state.csp
    state.csp = {
      connectDomains: ['https://api.example.com/', "https://x.example 'unsafe-eval'", '*'],
      resourceDomains: ['https://*.cdn.example.com', 'https://cdn.example.com/path'],
    }
    try {
      const s = await setup()
      const res = await s.app((await s.tool('clock')).id)
      expect(((await res.json()) as { csp: unknown }).csp).toEqual({
        connectDomains: ['https://api.example.com'],
        resourceDomains: ['https://*.cdn.example.com'],
      })
    } finally {
      state.csp = before
    }
  })

  it("is someone else's app only as a 404", async () => {
    const s = await setup()
    const other = await registerUser(t)
    const clock = await s.tool('clock')
    const res = await t.request(`/api/user/mcp-servers/${s.serverId}/tools/${clock.id}/app`, {
      cookie: other.cookie,
    })
    expect(res.status).toBe(404)
  })
})

describe('POST /api/chat/tool-call with source "app"', () => {
  it("runs a tool of the app's own server through the proxy and logs it as the app's", async () => {
    const s = await setup()
    const clock = await s.tool('clock')
    const tick = await s.tool('tick')
    const res = await s.call({ toolId: tick.id, arguments: {}, source: 'app', appToolId: clock.id })
    expect(res.status).toBe(200)
    const { call } = (await res.json()) as { call: { source: string; status: string } }
    expect(call).toMatchObject({ source: 'app', status: 'succeeded' })
    const log = (await (
      await t.request('/api/user/mcp-tool-calls?source=app', { cookie: s.cookie })
    ).json()) as { calls: { toolName: string; source: string }[] }
    expect(log.calls.map((c) => [c.toolName, c.source])).toContainEqual(['tick', 'app'])
  })

  it('refuses tools of another server, apps that are not apps, and unconfirmed tools that ask first', async () => {
    const s = await setup()
    const elsewhere = await setup()
    const clock = await s.tool('clock')
    const echo = await s.tool('echo')
    const reason = async (res: Response) =>
      ((await res.json()) as { error: { code: string; reason?: { key: string } } }).error

    const other = await s.call({
      toolId: (await elsewhere.tool('tick')).id,
      arguments: {},
      source: 'app',
      appToolId: clock.id,
    })
    // Another user's tool is not found; the user's own other server is refused as another's.
    expect(other.status).toBe(404)
    const second = await t.request('/api/user/mcp-servers', {
      method: 'POST',
      cookie: s.cookie,
      json: { name: 'apps second', transport: 'streamable-http', url: upstream.url },
    })
    const secondId = ((await second.json()) as { id: string }).id
    const foreign = await s.call({
      serverId: secondId,
      toolName: 'tick',
      arguments: {},
      source: 'app',
      appToolId: clock.id,
    })
    expect(foreign.status).toBe(403)
    expect((await reason(foreign)).reason?.key).toBe('toolCall.appOtherServer')

    const notAnApp = await s.call({
      toolId: clock.id,
      arguments: {},
      source: 'app',
      appToolId: echo.id,
    })
    expect(notAnApp.status).toBe(403)

    // echo is not read-only: from an app it runs only once the user said yes in the card.
    const asks = await s.call({
      toolId: echo.id,
      arguments: { text: 'hi' },
      source: 'app',
      appToolId: clock.id,
    })
    expect(asks.status).toBe(409)
    expect((await reason(asks)).code).toBe('approval_required')
    const confirmed = await s.call({
      toolId: echo.id,
      arguments: { text: 'hi' },
      source: 'app',
      appToolId: clock.id,
      approved: true,
    })
    expect(confirmed.status).toBe(200)

    // The proxy's own checks still apply: arguments are validated as for any call.
    const invalid = await s.call({
      toolId: echo.id,
      arguments: { text: 3 },
      source: 'app',
      appToolId: clock.id,
      approved: true,
    })
    expect(invalid.status).toBe(400)

    const noApp = await s.call({ toolId: echo.id, arguments: {}, source: 'app' })
    expect(noApp.status).toBe(400)
  })
})

describe('GET /mcp-app-sandbox', () => {
  it("serves the static sandbox page with a CSP of the app's declared domains and nothing else", async () => {
    const csp = encodeURIComponent(JSON.stringify(state.csp))
    const res = await t.request(`/mcp-app-sandbox?csp=${csp}`)
    expect(res.status).toBe(200)
    const policy = res.headers.get('content-security-policy') ?? ''
    expect(policy).toContain("default-src 'none'")
    expect(policy).toContain('connect-src https://api.example.com;')
    expect(policy).toContain("script-src 'unsafe-inline' https://cdn.example.com;")
    expect(policy).toContain('sandbox allow-scripts')
    expect(policy).toContain("frame-ancestors 'self'")
    expect(policy).not.toContain("'self' ")
    expect(policy).not.toMatch(/unsafe-eval|allow-same-origin/)
    expect(await res.text()).toContain('ui/notifications/sandbox-proxy-ready')

    const bare = await t.request('/mcp-app-sandbox')
    expect(bare.headers.get('content-security-policy')).toContain("connect-src 'none'")
  })

  it('refuses a csp that is anything but origins', async () => {
    for (const bad of [
      '{"connectDomains":["https://x.example; script-src *"]}',
      '{"connectDomains":["\'unsafe-eval\'"]}',
      '{"other":["https://x.example"]}',
      'not json',
    ]) {
      const res = await t.request(`/mcp-app-sandbox?csp=${encodeURIComponent(bad)}`)
      expect(res.status).toBe(400)
    }
  })
})
