import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startHealthChecks } from '../../../src/server/mcp/servers/health-checker.ts'
import { LOOPBACK_POLICY, type RunningHttp, startEverything } from '../../helpers/mcp-servers.ts'
import { registerUser, startApp, type TestApp } from '../../helpers/start-app.ts'

// Real servers restart, crash and freeze. Switchboard must notice neither a restart (the next
// call just works) nor a recovery (no back-off outlives it), and a frozen server must not hold
// a user's click for the whole request timeout.
let t: TestApp
let user: { cookie: string; userId: string; email: string }
let everything: RunningHttp & { pid: number }
const paused = new Set<number>()

beforeAll(async () => {
  t = await startApp({ config: { ssrf: LOOPBACK_POLICY } })
  user = await registerUser(t)
}, 60_000)
afterEach(async () => {
  for (const pid of paused) process.kill(pid, 'SIGCONT')
  paused.clear()
  await everything?.close()
})
afterAll(() => t?.close())

async function addEverything(timeouts?: { connectMs?: number; requestMs?: number }) {
  everything = await startEverything('streamableHttp')
  const res = await t.request('/api/user/mcp-servers', {
    method: 'POST',
    cookie: user.cookie,
    json: {
      name: `everything ${everything.port}`,
      transport: 'streamable-http',
      url: everything.url,
      ...(timeouts ? { timeouts } : {}),
    },
  })
  expect(res.status).toBe(201)
  return (await res.json()).id as string
}

async function restart() {
  await everything.close()
  everything = await startEverything('streamableHttp', { port: everything.port })
}

async function callEcho(serverId: string, message = 'hi') {
  const res = await t.request('/api/chat/tool-call', {
    method: 'POST',
    cookie: user.cookie,
    json: { serverId, toolName: 'echo', arguments: { message } },
  })
  return { status: res.status, body: await res.json() }
}

async function action(serverId: string, what: 'test' | 'sync') {
  const res = await t.request(`/api/user/mcp-servers/${serverId}/${what}`, {
    method: 'POST',
    cookie: user.cookie,
  })
  return { status: res.status, body: await res.json() }
}

async function serverStatus(serverId: string): Promise<string> {
  const res = await t.request(`/api/user/mcp-servers/${serverId}`, { cookie: user.cookie })
  return (await res.json()).status
}

describe('a server restarted behind an open session', () => {
  it('answers the next call on a fresh session, though it says 400 to the old one', async () => {
    const serverId = await addEverything()
    expect((await callEcho(serverId, 'before')).body.call.status).toBe('succeeded')
    await restart()
    const after = await callEcho(serverId, 'after')
    expect(after.status).toBe(200)
    expect(after.body.call).toMatchObject({ status: 'succeeded' })
    expect(after.body.call.output.content[0].text).toContain('after')
  })
})

describe('recovering from an outage', () => {
  it('lets Test, Sync and calls through at once when the server is back', async () => {
    const serverId = await addEverything()
    expect((await callEcho(serverId)).body.call.status).toBe('succeeded')
    await everything.close()
    // Enough failures to open the circuit: calls now fail fast.
    for (let i = 0; i < 3; i += 1) {
      expect((await callEcho(serverId)).body.call.status).toBe('failed')
    }
    const fast = await callEcho(serverId)
    expect(fast.body.call.error).toMatch(/not trying again/)

    everything = await startEverything('streamableHttp', { port: everything.port })
    const tested = await action(serverId, 'test')
    expect(tested.body).toMatchObject({ ok: true, status: 'online' })
    const synced = await action(serverId, 'sync')
    expect(synced.status).toBe(200)
    expect((await callEcho(serverId)).body.call.status).toBe('succeeded')
  })

  it('tries Sync for real while the circuit is open, and its success closes it', async () => {
    const serverId = await addEverything()
    await callEcho(serverId)
    await everything.close()
    for (let i = 0; i < 4; i += 1) await callEcho(serverId)
    everything = await startEverything('streamableHttp', { port: everything.port })
    const synced = await action(serverId, 'sync')
    expect(synced.status).toBe(200)
    expect((await callEcho(serverId)).body.call.status).toBe('succeeded')
  })

  it('a health check of a recovered server closes the circuit', async () => {
    const serverId = await addEverything()
    await callEcho(serverId)
    await everything.close()
    for (let i = 0; i < 4; i += 1) await callEcho(serverId)
    everything = await startEverything('streamableHttp', { port: everything.port })
    const checks = startHealthChecks(t.deps, { intervalMs: 0 })
    await checks.runOnce()
    expect(await serverStatus(serverId)).toBe('online')
    expect((await callEcho(serverId)).body.call.status).toBe('succeeded')
  })

  it('a successful call sets the server back to online', async () => {
    const serverId = await addEverything()
    await callEcho(serverId)
    await everything.close()
    expect((await callEcho(serverId)).body.call.status).toBe('failed')
    await expect.poll(() => serverStatus(serverId)).toBe('offline')
    everything = await startEverything('streamableHttp', { port: everything.port })
    expect((await callEcho(serverId)).body.call.status).toBe('succeeded')
    await expect.poll(() => serverStatus(serverId)).toBe('online')
  })
})

describe('a frozen server', () => {
  it('makes Sync give up at the connect timeout, not the request timeout', async () => {
    const serverId = await addEverything({ connectMs: 1_000, requestMs: 120_000 })
    expect((await callEcho(serverId)).body.call.status).toBe('succeeded')
    process.kill(everything.pid, 'SIGSTOP')
    paused.add(everything.pid)
    const started = performance.now()
    const synced = await action(serverId, 'sync')
    const seconds = (performance.now() - started) / 1000
    expect(synced.status).toBe(504)
    expect(synced.body.error.message).toMatch(/timed out after 1 s/)
    expect(seconds).toBeLessThan(15)
  })
})
