import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type HealthChecker,
  startHealthChecks,
} from '../../../src/server/mcp/servers/health-checker.ts'
import { type SdkHttpServer, startSdkHttpServer } from '../../fixtures/mcp/sdk-http-server.ts'
import { registerUser, startApp, type TestApp } from '../../helpers/start-app.ts'

// Shared servers come from the operator's switchboard.yaml: a stdio server-everything and an
// HTTP fixture whose header secret comes from the environment.
const EVERYTHING = fileURLToPath(
  import.meta.resolve('@modelcontextprotocol/server-everything/dist/index.js'),
)
const TEAM_KEY = 'team-key-from-env-5b1e'

let t: TestApp
let upstream: SdkHttpServer
let checks: HealthChecker
beforeAll(async () => {
  upstream = await startSdkHttpServer()
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-shared-'))
  const file = join(dir, 'switchboard.yaml')
  writeFileSync(
    file,
    `mcpServers:
  everything:
    command: ${JSON.stringify(process.execPath)}
    args: [${JSON.stringify(EVERYTHING)}, stdio]
  team-http:
    url: ${upstream.url}
    headers:
      X-Team-Key: \${TEAM_KEY}
  Reserved:
    url: ${upstream.url}
    override: true
`,
  )
  t = await startApp({ env: { SWITCHBOARD_CONFIG: file, TEAM_KEY } })
  // As `serve` starts them: the shared servers are checked at once, not after the first pass.
  checks = startHealthChecks(t.deps, { intervalMs: 3_600_000, checkSharedAtStart: true })
}, 60_000)
afterAll(async () => {
  await checks?.stop()
  await t?.close()
  await upstream?.close()
})

interface View {
  id: string
  name: string
  source: string
  status: string
  toolCount: number
  enabledToolCount: number
}

async function servers(cookie: string): Promise<View[]> {
  return (await (await t.request('/api/user/mcp-servers', { cookie })).json()).servers
}

describe('shared servers from switchboard.yaml', () => {
  it('shows every user the shared servers, checked at start and with their tools', async () => {
    const { cookie } = await registerUser(t)
    await expect
      .poll(async () => (await servers(cookie)).map((s) => s.status), { timeout: 20_000 })
      .toEqual(['online', 'online', 'online'])
    const list = await servers(cookie)
    expect(list.map((s) => [s.name, s.source, s.status])).toEqual([
      ['everything', 'config', 'online'],
      ['Reserved', 'config', 'online'],
      ['team-http', 'config', 'online'],
    ])
    expect(list.find((s) => s.name === 'everything')?.toolCount).toBeGreaterThan(5)
  })

  it('sends the header from the environment and never stores it', async () => {
    const sent = upstream.requests.map((r) => r.headers.get('x-team-key'))
    expect(sent).toContain(TEAM_KEY)
    const rows = await t.deps.db.selectFrom('mcp_servers').selectAll().execute()
    expect(JSON.stringify(rows)).not.toContain(TEAM_KEY)
  })

  it('is read-only for users: 403 on change and delete', async () => {
    const { cookie } = await registerUser(t)
    const shared = (await servers(cookie)).find((s) => s.name === 'team-http')
    const patch = await t.request(`/api/user/mcp-servers/${shared?.id}`, {
      method: 'PATCH',
      cookie,
      json: { description: 'mine' },
    })
    expect(patch.status).toBe(403)
    expect((await patch.json()).error.message).toMatch(/shared server from switchboard\.yaml/)
    const del = await t.request(`/api/user/mcp-servers/${shared?.id}`, { method: 'DELETE', cookie })
    expect(del.status).toBe(403)
  })

  it('lets each user switch a shared tool off for themselves only', async () => {
    const alice = await registerUser(t)
    const bob = await registerUser(t)
    const shared = (await servers(alice.cookie)).find((s) => s.name === 'everything') as View
    const tools = (
      await (
        await t.request(`/api/user/mcp-servers/${shared.id}/tools`, { cookie: alice.cookie })
      ).json()
    ).tools
    const echo = tools.find((tool: { name: string }) => tool.name === 'echo')
    const off = await t.request(`/api/user/mcp-servers/${shared.id}/tools/${echo.id}`, {
      method: 'PATCH',
      cookie: alice.cookie,
      json: { enabled: false, approvalPolicy: 'always' },
    })
    expect(await off.json()).toMatchObject({ enabled: false, approvalPolicy: 'always' })
    const forAlice = (await servers(alice.cookie)).find((s) => s.name === 'everything') as View
    const forBob = (await servers(bob.cookie)).find((s) => s.name === 'everything') as View
    expect(forAlice.enabledToolCount).toBe(shared.enabledToolCount - 1)
    expect(forBob.enabledToolCount).toBe(shared.enabledToolCount)
  })

  it("a user's own server of the same name wins for them, unless the shared one overrides", async () => {
    const alice = await registerUser(t)
    const bob = await registerUser(t)
    const own = await t.request('/api/user/mcp-servers', {
      method: 'POST',
      cookie: alice.cookie,
      json: {
        name: 'team-http',
        transport: 'streamable-http',
        url: 'https://mcp.example.test/mcp',
        validate: false,
      },
    })
    expect(own.status).toBe(201)
    const teamForAlice = (await servers(alice.cookie)).filter((s) => s.name === 'team-http')
    expect(teamForAlice.map((s) => s.source)).toEqual(['user'])
    const teamForBob = (await servers(bob.cookie)).filter((s) => s.name === 'team-http')
    expect(teamForBob.map((s) => s.source)).toEqual(['config'])

    const reserved = await t.request('/api/user/mcp-servers', {
      method: 'POST',
      cookie: alice.cookie,
      json: {
        name: 'reserved',
        transport: 'streamable-http',
        url: 'https://mcp.example.test/mcp',
        validate: false,
      },
    })
    expect(reserved.status).toBe(409)
  })
})
