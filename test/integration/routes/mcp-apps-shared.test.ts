import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type HealthChecker,
  startHealthChecks,
} from '../../../src/server/mcp/servers/health-checker.ts'
import { appServer } from '../../fixtures/mcp/app-server.ts'
import { type SdkHttpServer, startSdkHttpServer } from '../../fixtures/mcp/sdk-http-server.ts'
import { registerUser, startApp, type TestApp } from '../../helpers/start-app.ts'

// "Show apps" on a shared server (switchboard.yaml) is each user's own choice.
let t: TestApp
let upstream: SdkHttpServer
let checks: HealthChecker
beforeAll(async () => {
  upstream = await startSdkHttpServer(appServer({ html: '<p>team clock</p>' }))
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-apps-'))
  const file = join(dir, 'switchboard.yaml')
  writeFileSync(file, `mcpServers:\n  team-apps:\n    url: ${upstream.url}\n`)
  t = await startApp({ env: { SWITCHBOARD_CONFIG: file } })
  checks = startHealthChecks(t.deps, { intervalMs: 3_600_000, checkSharedAtStart: true })
}, 60_000)
afterAll(async () => {
  await checks?.stop()
  await t?.close()
  await upstream?.close()
})

interface View {
  id: string
  renderApps: boolean
  toolCount: number
}

async function shared(cookie: string): Promise<View> {
  const res = await t.request('/api/user/mcp-servers', { cookie })
  return ((await res.json()) as { servers: View[] }).servers[0] as View
}

describe('PATCH /api/user/mcp-servers/:id { renderApps } on a shared server', () => {
  it("switches apps off for the user only, and refuses the app's calls for them", async () => {
    const alice = await registerUser(t)
    const bob = await registerUser(t)
    await expect
      .poll(async () => (await shared(alice.cookie)).toolCount, { timeout: 20_000 })
      .toBe(3)
    const server = await shared(alice.cookie)
    const tools = (
      (await (
        await t.request(`/api/user/mcp-servers/${server.id}/tools`, { cookie: alice.cookie })
      ).json()) as { tools: { id: string; name: string }[] }
    ).tools
    const clock = tools.find((x) => x.name === 'clock') as { id: string }
    const tick = tools.find((x) => x.name === 'tick') as { id: string }
    const app = (cookie: string) =>
      t.request(`/api/user/mcp-servers/${server.id}/tools/${clock.id}/app`, { cookie })

    const off = await t.request(`/api/user/mcp-servers/${server.id}`, {
      method: 'PATCH',
      cookie: alice.cookie,
      json: { renderApps: false },
    })
    expect(off.status).toBe(200)
    expect(((await off.json()) as View).renderApps).toBe(false)
    expect((await shared(bob.cookie)).renderApps).toBe(true)
    expect((await app(alice.cookie)).status).toBe(409)
    expect((await app(bob.cookie)).status).toBe(200)

    const call = (cookie: string) =>
      t.request('/api/chat/tool-call', {
        method: 'POST',
        cookie,
        json: { toolId: tick.id, arguments: {}, source: 'app', appToolId: clock.id },
      })
    expect((await call(alice.cookie)).status).toBe(409)
    expect((await call(bob.cookie)).status).toBe(200)

    // Anything else about a shared server stays the operator's.
    const more = await t.request(`/api/user/mcp-servers/${server.id}`, {
      method: 'PATCH',
      cookie: alice.cookie,
      json: { renderApps: true, description: 'mine' },
    })
    expect(more.status).toBe(403)
  })
})
