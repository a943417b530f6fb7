import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { startHealthChecks } from '../../../src/server/mcp/servers/health-checker.ts'
import { type SdkHttpServer, startSdkHttpServer } from '../../fixtures/mcp/sdk-http-server.ts'
import { LOOPBACK_POLICY } from '../../helpers/mcp-servers.ts'
import { registerUser, startApp, type TestApp } from '../../helpers/start-app.ts'

// Keeping the tool cache and status current: list_changed, health checks, lost sessions.
let t: TestApp
beforeAll(async () => {
  t = await startApp({ config: { ssrf: LOOPBACK_POLICY } })
})
afterAll(() => t?.close())

async function addServer(cookie: string, url: string) {
  const res = await t.request('/api/user/mcp-servers', {
    method: 'POST',
    cookie,
    json: {
      name: `fixture-${Math.random().toString(36).slice(2, 8)}`,
      transport: 'streamable-http',
      url,
    },
  })
  expect(res.status).toBe(201)
  return (await res.json()) as { id: string; toolCount: number }
}

async function toolNames(cookie: string, serverId: string): Promise<string[]> {
  const res = await t.request(`/api/user/mcp-servers/${serverId}/tools`, { cookie })
  return ((await res.json()).tools as { name: string }[]).map((tool) => tool.name)
}

describe('tool cache freshness', () => {
  let upstream: SdkHttpServer
  beforeAll(async () => {
    upstream = await startSdkHttpServer()
  })
  afterAll(() => upstream?.close())

  it('re-syncs when the server sends notifications/tools/list_changed', async () => {
    const { cookie } = await registerUser(t)
    const server = await addServer(cookie, upstream.url)
    expect(await toolNames(cookie, server.id)).toEqual(['echo'])
    // a sync opens the pooled session the notification will arrive on
    await t.request(`/api/user/mcp-servers/${server.id}/sync`, { method: 'POST', cookie })
    const [session] = upstream.servers().slice(-1)
    if (!session || !('registerTool' in session)) throw new Error('no live session')
    session.registerTool(
      'reverse',
      { description: 'Reverses text', inputSchema: z.object({ text: z.string() }) },
      async ({ text }) => ({ content: [{ type: 'text', text: [...text].reverse().join('') }] }),
    )
    await expect
      .poll(() => toolNames(cookie, server.id), { timeout: 5_000 })
      .toEqual(['echo', 'reverse'])
  })

  it('a health check pass marks a server offline once it has gone away', async () => {
    const own = await startSdkHttpServer()
    const { cookie } = await registerUser(t)
    const server = await addServer(cookie, own.url)
    const checks = startHealthChecks(t.deps, { intervalMs: 0 })
    await checks.runOnce()
    const status = async () =>
      (await (await t.request(`/api/user/mcp-servers/${server.id}`, { cookie })).json()) as {
        status: string
        lastError: string | null
      }
    expect((await status()).status).toBe('online')

    await own.close()
    await checks.runOnce()
    const down = await status()
    expect(down.status).toBe('offline')
    expect(down.lastError).toMatch(/connection closed|refused/)
  })
})
