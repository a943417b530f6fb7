import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../../src/server/app.ts'
import { type BuiltDeps, buildDeps } from '../../../src/server/deps.ts'
import { type Listening, listen } from '../../helpers/listen.ts'
import { LOOPBACK_POLICY, type RunningHttp, startEverything } from '../../helpers/mcp-servers.ts'
import { readSse } from '../../helpers/sse.ts'
import { registerUser, startApp, type TestApp } from '../../helpers/start-app.ts'
import { testConfig } from '../../helpers/test-config.ts'

// Two app instances on one PostgreSQL and one Redis, as behind a load balancer: limits are
// shared, and what happens on one instance reaches a client connected to the other.
const redisUrl = process.env.TEST_REDIS_URL
const postgres = Boolean(process.env.TEST_DATABASE_URL)

describe.skipIf(!redisUrl || !postgres)('two instances on PostgreSQL + Redis', () => {
  let a: TestApp
  let b: BuiltDeps
  let httpA: Listening
  let httpB: Listening
  let everything: RunningHttp
  let user: { cookie: string; userId: string; email: string }
  let echoId: string
  let longId: string

  beforeAll(async () => {
    const toolCalls = {
      ...testConfig().toolCalls,
      rateLimit: { perUser: 6, perServer: 100, perSeconds: 60, maxInFlightPerUser: 20 },
    }
    const config = { ssrf: LOOPBACK_POLICY, toolCalls, redisUrl: redisUrl as string }
    ;[a, everything] = await Promise.all([startApp({ config }), startEverything('streamableHttp')])
    b = await buildDeps({ ...a.deps.config }, { database: a.database })
    httpA = await listen(a.app)
    httpB = await listen(createApp(b.deps))
    user = await registerUser(a)
    const created = await a.request('/api/user/mcp-servers', {
      method: 'POST',
      cookie: user.cookie,
      json: { name: 'everything', transport: 'streamable-http', url: everything.url },
    })
    const serverId = (await created.json()).id
    const tools = (
      await (
        await a.request(`/api/user/mcp-servers/${serverId}/tools`, { cookie: user.cookie })
      ).json()
    ).tools as { id: string; name: string }[]
    echoId = tools.find((tool) => tool.name === 'echo')?.id as string
    longId = tools.find((tool) => tool.name === 'trigger-long-running-operation')?.id as string
  }, 60_000)
  afterAll(async () => {
    await httpA?.close()
    await httpB?.close()
    await b?.close()
    await everything?.close()
    await a?.close()
  })

  const post = (base: string, body: unknown) =>
    fetch(`${base}/api/chat/tool-call`, {
      method: 'POST',
      headers: { cookie: user.cookie, 'content-type': 'application/json', origin: base },
      body: JSON.stringify(body),
    })

  it('progress of a call made through A reaches a listener on B, and B can cancel it', async () => {
    const res = await fetch(`${httpB.url}/api/events`, { headers: { cookie: user.cookie } })
    const eventsOnB = readSse(res)
    await eventsOnB.next('ready')
    try {
      const started = await post(httpA.url, {
        toolId: longId,
        arguments: { duration: 20, steps: 20 },
        mode: 'async',
      })
      expect(started.status).toBe(202)
      const { call } = await started.json()
      const progress = (await eventsOnB.next('tool-call.progress')) as { callId: string }
      expect(progress.callId).toBe(call.id)

      // B does not run the call: the cancel travels to A through Redis.
      expect(b.deps.toolCalls.running.has(call.id)).toBe(false)
      const cancelled = await fetch(`${httpB.url}/api/user/mcp-tool-calls/${call.id}/cancel`, {
        method: 'POST',
        headers: { cookie: user.cookie, origin: httpB.url },
      })
      expect(cancelled.status).toBe(200)
      expect((await cancelled.json()).call).toMatchObject({ id: call.id, status: 'cancelled' })
    } finally {
      await eventsOnB.close()
    }
  })

  it('shares the per-user rate limit across instances', async () => {
    // One call above already took from the budget of 6.
    const statuses: number[] = []
    for (let i = 0; i < 6; i += 1) {
      const base = i % 2 === 0 ? httpA.url : httpB.url
      const res = await post(base, { toolId: echoId, arguments: { message: `n${i}` } })
      statuses.push(res.status)
    }
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200])
    expect(statuses[5]).toBe(429)
  })

  it('answers on B a question the server asked during a call running on A', async () => {
    // A user of their own: the one above has spent their rate limit.
    const asker = await registerUser(a)
    const created = await a.request('/api/user/mcp-servers', {
      method: 'POST',
      cookie: asker.cookie,
      json: { name: 'everything', transport: 'streamable-http', url: everything.url },
    })
    const serverId = (await created.json()).id
    const { tools } = await (
      await a.request(`/api/user/mcp-servers/${serverId}/tools`, { cookie: asker.cookie })
    ).json()
    const askId = (tools as { id: string; name: string }[]).find(
      (tool) => tool.name === 'trigger-elicitation-request',
    )?.id
    const res = await fetch(`${httpB.url}/api/events`, { headers: { cookie: asker.cookie } })
    const eventsOnB = readSse(res)
    await eventsOnB.next('ready')
    try {
      const started = await a.request('/api/chat/tool-call', {
        method: 'POST',
        cookie: asker.cookie,
        json: { toolId: askId, arguments: {}, mode: 'async' },
      })
      expect(started.status).toBe(202)
      const callId = (await started.json()).call.id as string
      const { elicitation } = (await eventsOnB.next('elicitation.requested')) as {
        elicitation: { id: string }
      }
      const onB = (path: string, init: RequestInit = {}) =>
        fetch(`${httpB.url}${path}`, {
          ...init,
          headers: { cookie: asker.cookie, 'content-type': 'application/json', origin: httpB.url },
        })
      const listed = await (await onB('/api/user/elicitations')).json()
      expect(listed.elicitations.map((e: { id: string }) => e.id)).toEqual([elicitation.id])
      // Another user asking B about it gets 404, as for an unknown id.
      const foreign = await fetch(`${httpB.url}/api/user/elicitations/${elicitation.id}`, {
        method: 'POST',
        headers: { cookie: user.cookie, 'content-type': 'application/json', origin: httpB.url },
        body: JSON.stringify({ action: 'decline' }),
      })
      expect(foreign.status).toBe(404)

      const answered = await onB(`/api/user/elicitations/${elicitation.id}`, {
        method: 'POST',
        body: JSON.stringify({ action: 'accept', content: { name: 'Grace Hopper' } }),
      })
      expect(answered.status).toBe(202)
      expect(await answered.json()).toEqual({ status: 'forwarded' })
      await expect
        .poll(
          async () => {
            const view = (await (await onB(`/api/user/mcp-tool-calls/${callId}`)).json()).call
            return view.status === 'succeeded' ? JSON.stringify(view.output) : view.status
          },
          { timeout: 15_000, interval: 100 },
        )
        .toContain('Name: Grace Hopper')
    } finally {
      await eventsOnB.close()
    }
  })

  it('lets one instance at a time answer in a conversation', async () => {
    const conversationId = crypto.randomUUID()
    const release = await a.deps.chatTurns.take(conversationId)
    await expect(b.deps.chatTurns.take(conversationId)).rejects.toMatchObject({ code: 'busy' })
    await release()
    const releaseOnB = await b.deps.chatTurns.take(conversationId)
    await expect(a.deps.chatTurns.take(conversationId)).rejects.toMatchObject({ code: 'busy' })
    await releaseOnB()
  })
})
