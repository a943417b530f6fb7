import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Listening, listen } from '../../helpers/listen.ts'
import { readSse } from '../../helpers/sse.ts'
import { registerUser, startApp, type TestApp } from '../../helpers/start-app.ts'

let t: TestApp
let server: Listening
beforeAll(async () => {
  t = await startApp()
  server = await listen(t.app)
})
afterAll(async () => {
  await server?.close()
  await t?.close()
})

async function openEvents(cookie: string) {
  const res = await fetch(`${server.url}/api/events`, { headers: { cookie } })
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toMatch(/text\/event-stream/)
  const stream = readSse(res)
  await stream.next('ready')
  return stream
}

describe('GET /api/events', () => {
  it("pushes a server's status to its owner only", async () => {
    const alice = await registerUser(t)
    const bob = await registerUser(t)
    const created = await t.request('/api/user/mcp-servers', {
      method: 'POST',
      cookie: alice.cookie,
      json: {
        name: 'dead',
        transport: 'streamable-http',
        url: 'https://127.0.0.1:1/mcp',
        validate: false,
      },
    })
    const { id } = await created.json()
    const aliceEvents = await openEvents(alice.cookie)
    const bobEvents = await openEvents(bob.cookie)
    try {
      await t.request(`/api/user/mcp-servers/${id}/test`, { method: 'POST', cookie: alice.cookie })
      const event = await aliceEvents.next('server.status')
      expect(event).toMatchObject({ type: 'server.status', serverId: id, status: 'error' })
      expect((event as { lastError: string }).lastError).toMatch(/private|loopback/)
      await expect(bobEvents.next('server.status', 500)).rejects.toThrow(/no "server.status" event/)
    } finally {
      await aliceEvents.close()
      await bobEvents.close()
    }
  })

  it('answers 401 without a session', async () => {
    const res = await fetch(`${server.url}/api/events`)
    expect(res.status).toBe(401)
  })
})
