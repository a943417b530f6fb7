import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type ModernServer, startModernServer } from '../../fixtures/mcp/modern-server.ts'
import { LOOPBACK_POLICY } from '../../helpers/mcp-servers.ts'
import { registerUser, startApp, type TestApp } from '../../helpers/start-app.ts'

// A 2026-07-28 server used through the whole product: added (checked with server/discover),
// its era shown, its tools called through the proxy with the headers the revision asks for.

let t: TestApp
let modern: ModernServer
let cookie: string

beforeAll(async () => {
  ;[t, modern] = await Promise.all([
    startApp({ config: { ssrf: LOOPBACK_POLICY } }),
    startModernServer({ legacy: 'reject' }),
  ])
  cookie = (await registerUser(t)).cookie
}, 60_000)
afterAll(async () => {
  await modern?.close()
  await t?.close()
})

describe('a 2026-07-28 server in the product', () => {
  it('is added, says its era, and its tools are called with Mcp-Name and Mcp-Param headers', async () => {
    const created = await t.request('/api/user/mcp-servers', {
      method: 'POST',
      cookie,
      json: { name: 'modern', transport: 'streamable-http', url: modern.url },
    })
    expect(created.status).toBe(201)
    const server = await created.json()
    expect(server.status).toBe('online')
    expect(server.serverInfo).toMatchObject({ protocolVersion: '2026-07-28', era: 'modern' })

    const tools = await (
      await t.request(`/api/user/mcp-servers/${server.id}/tools`, { cookie })
    ).json()
    const weather = tools.tools.find((tool: { name: string }) => tool.name === 'weather')
    expect(weather.inputSchema.properties.region['x-mcp-header']).toBe('Region')

    modern.requests.length = 0
    const call = await t.request('/api/chat/tool-call', {
      method: 'POST',
      cookie,
      json: { toolId: weather.id, arguments: { region: 'Piedmont' } },
    })
    expect(call.status).toBe(200)
    const body = await call.json()
    expect(body.call.output.content[0].text).toBe('sunny in Piedmont')
    const sent = modern.requests.find((request) => request.method === 'tools/call')
    expect(sent?.headers.get('mcp-method')).toBe('tools/call')
    expect(sent?.headers.get('mcp-name')).toBe('weather')
    expect(sent?.headers.get('mcp-param-region')).toBe('Piedmont')
    expect(sent?.headers.get('mcp-session-id')).toBeNull()
  })
})
