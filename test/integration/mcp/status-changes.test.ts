import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startHealthChecks } from '../../../src/server/mcp/servers/health-checker.ts'
import { startSdkHttpServer } from '../../fixtures/mcp/sdk-http-server.ts'
import { LOOPBACK_POLICY } from '../../helpers/mcp-servers.ts'
import { registerUser, startApp, type TestApp } from '../../helpers/start-app.ts'

// What an operator reads in the log about a server: each change of status once, at info.
interface LogLine {
  level: number
  msg: string
  serverId?: string
  from?: string
  to?: string
  error?: string
}
const INFO = 30
const DEBUG = 20

let t: TestApp
const lines: LogLine[] = []
beforeAll(async () => {
  const log = pino({ level: 'debug' }, { write: (line: string) => lines.push(JSON.parse(line)) })
  t = await startApp({ config: { ssrf: LOOPBACK_POLICY }, log })
})
afterAll(() => t?.close())

describe('server status changes', () => {
  it('are logged at info once, with the failure; a server that stays down only at debug', async () => {
    const upstream = await startSdkHttpServer()
    const { cookie } = await registerUser(t)
    const created = await t.request('/api/user/mcp-servers', {
      method: 'POST',
      cookie,
      json: { name: 'flaky', transport: 'streamable-http', url: upstream.url },
    })
    expect(created.status).toBe(201)
    const { id } = (await created.json()) as { id: string }
    const checks = startHealthChecks(t.deps, { intervalMs: 0 })
    const status = async () =>
      (
        (await (await t.request(`/api/user/mcp-servers/${id}`, { cookie })).json()) as {
          status: string
        }
      ).status
    const ofServer = (level: number) =>
      lines.filter((line) => line.serverId === id && line.level === level)
    const changesOf = () => ofServer(INFO).filter((line) => line.to !== undefined)

    await checks.runOnce()
    expect(await status()).toBe('online')
    const settled = changesOf().length

    await upstream.close()
    // The health check or the lost session, whichever sees it first, records the change.
    await checks.runOnce()
    await expect.poll(status).toBe('offline')
    const changes = changesOf().slice(settled)
    expect(changes.length).toBeGreaterThanOrEqual(1)
    for (const change of changes) {
      expect(change).toMatchObject({ from: 'online', to: 'offline', msg: expect.any(String) })
      expect(change.error).toMatch(/connection closed|refused|fetch failed/)
    }

    const failuresBefore = ofServer(DEBUG).length
    await checks.runOnce()
    await checks.runOnce()
    expect(changesOf().slice(settled)).toHaveLength(changes.length)
    const failures = ofServer(DEBUG).slice(failuresBefore)
    expect(failures.filter((line) => line.msg === 'health check failed')).toHaveLength(2)
  })
})
