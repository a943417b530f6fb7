import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ToolCallView } from '../../../src/shared/tool-calls.ts'
import { type Listening, listen } from '../../helpers/listen.ts'
import { LOOPBACK_POLICY, type RunningHttp, startEverything } from '../../helpers/mcp-servers.ts'
import { readSse } from '../../helpers/sse.ts'
import { registerUser, startApp, type TestApp } from '../../helpers/start-app.ts'

// The tool-call proxy against a real @modelcontextprotocol/server-everything (streamable HTTP).
let t: TestApp
let everything: RunningHttp
let http: Listening
let alice: { cookie: string; userId: string; email: string }
let serverId: string
let tools: { id: string; name: string }[]

beforeAll(async () => {
  ;[t, everything] = await Promise.all([
    startApp({ config: { ssrf: LOOPBACK_POLICY } }),
    startEverything('streamableHttp'),
  ])
  http = await listen(t.app)
  alice = await registerUser(t)
  const created = await t.request('/api/user/mcp-servers', {
    method: 'POST',
    cookie: alice.cookie,
    json: { name: 'everything', transport: 'streamable-http', url: everything.url },
  })
  expect(created.status).toBe(201)
  serverId = (await created.json()).id
  const listed = await t.request(`/api/user/mcp-servers/${serverId}/tools`, {
    cookie: alice.cookie,
  })
  tools = (await listed.json()).tools
}, 60_000)
afterAll(async () => {
  await http?.close()
  await everything?.close()
  await t?.close()
})

function toolId(name: string): string {
  const tool = tools.find((entry) => entry.name === name)
  if (!tool) throw new Error(`server-everything has no tool ${name}`)
  return tool.id
}

async function call(body: Record<string, unknown>, cookie = alice.cookie) {
  const res = await t.request('/api/chat/tool-call', { method: 'POST', cookie, json: body })
  return { status: res.status, body: await res.json(), headers: res.headers }
}

describe('POST /api/chat/tool-call', () => {
  it('calls echo by tool id and logs the call', async () => {
    const res = await call({ toolId: toolId('echo'), arguments: { message: 'hello proxy' } })
    expect(res.status).toBe(200)
    const view = res.body.call as ToolCallView
    expect(view).toMatchObject({
      status: 'succeeded',
      toolName: 'echo',
      serverName: 'everything',
      source: 'api',
      mode: 'sync',
      input: { message: 'hello proxy' },
      error: null,
    })
    expect(JSON.stringify(view.output?.content)).toContain('hello proxy')
    expect(view.durationMs).toBeGreaterThanOrEqual(0)

    const read = await t.request(`/api/user/mcp-tool-calls/${view.id}`, { cookie: alice.cookie })
    expect(read.status).toBe(200)
    expect((await read.json()).call).toMatchObject({ id: view.id, status: 'succeeded' })
  })

  it('calls by server id and tool name, and returns structured content as sent', async () => {
    const res = await call({
      serverId,
      toolName: 'get-structured-content',
      arguments: { location: 'New York' },
    })
    expect(res.status).toBe(200)
    expect(res.body.call.status).toBe('succeeded')
    expect(res.body.call.output.structuredContent).toMatchObject({
      temperature: expect.any(Number),
    })
  })

  it('refuses invalid arguments with the schema errors, before calling upstream', async () => {
    const res = await call({ toolId: toolId('echo'), arguments: { message: 42, extra: true } })
    expect(res.status).toBe(400)
    expect(res.body.error.code).toBe('validation_failed')
    expect(res.body.error.message).toMatch(/echo/)
    expect(res.body.error.details.fields).toContainEqual({
      field: 'arguments.message',
      message: 'must be text',
      reason: { key: 'validation.type.string' },
    })
    const audit = await t.deps.db
      .selectFrom('audit_log')
      .selectAll()
      .where('user_id', '=', alice.userId)
      .where('action', '=', 'tool_call.refused')
      .execute()
    expect(
      audit.some((row) => (row.details as { reason: string }).reason === 'invalid_arguments'),
    ).toBe(true)
  })

  it('says which is switched off: the tool or the server', async () => {
    const id = toolId('get-sum')
    await t.request(`/api/user/mcp-servers/${serverId}/tools/${id}`, {
      method: 'PATCH',
      cookie: alice.cookie,
      json: { enabled: false },
    })
    const toolOff = await call({ toolId: id, arguments: { a: 1, b: 2 } })
    expect(toolOff.status).toBe(409)
    expect(toolOff.body.error).toMatchObject({ code: 'disabled', details: { disabled: 'tool' } })
    expect(toolOff.body.error.message).toMatch(/get-sum/)
    await t.request(`/api/user/mcp-servers/${serverId}/tools/${id}`, {
      method: 'PATCH',
      cookie: alice.cookie,
      json: { enabled: true },
    })
  })

  it('reports progress of a long-running operation and finishes', async () => {
    const events = await openEvents(alice.cookie)
    try {
      const res = await call({
        toolId: toolId('trigger-long-running-operation'),
        arguments: { duration: 1, steps: 4 },
      })
      expect(res.status).toBe(200)
      expect(res.body.call.status).toBe('succeeded')
      expect(res.body.call.progress).toMatchObject({ progress: 4, total: 4 })
      const progress = (await events.next('tool-call.progress')) as { callId: string }
      expect(progress.callId).toBe(res.body.call.id)
    } finally {
      await events.close()
    }
  })

  it('runs async: 202 at once, then the result by id', async () => {
    const res = await call({
      toolId: toolId('trigger-long-running-operation'),
      arguments: { duration: 1, steps: 2 },
      mode: 'async',
    })
    expect(res.status).toBe(202)
    expect(res.body.call.status).toBe('running')
    const id = res.body.call.id
    const view = await waitForStatus(id, (status) => status !== 'running')
    expect(view.status).toBe('succeeded')
    expect(view.mode).toBe('async')
  })

  it('cancels a running call', async () => {
    const res = await call({
      toolId: toolId('trigger-long-running-operation'),
      arguments: { duration: 30, steps: 30 },
      mode: 'async',
    })
    expect(res.status).toBe(202)
    const id = res.body.call.id
    const cancelled = await t.request(`/api/user/mcp-tool-calls/${id}/cancel`, {
      method: 'POST',
      cookie: alice.cookie,
    })
    expect(cancelled.status).toBe(200)
    const view = (await cancelled.json()).call
    expect(view).toMatchObject({ id, status: 'cancelled', errorCode: 'cancelled' })
    expect(view.durationMs).toBeLessThan(10_000)
  })

  it('turns a slow sync call into an async one past the threshold', async () => {
    const before = t.deps.config.toolCalls.asyncAfterMs
    t.deps.config.toolCalls.asyncAfterMs = 200
    try {
      const res = await call({
        toolId: toolId('trigger-long-running-operation'),
        arguments: { duration: 1, steps: 2 },
      })
      expect(res.status).toBe(202)
      expect(res.body.call).toMatchObject({ status: 'running', mode: 'async' })
      const view = await waitForStatus(res.body.call.id, (status) => status !== 'running')
      expect(view.status).toBe('succeeded')
    } finally {
      t.deps.config.toolCalls.asyncAfterMs = before
    }
  })

  it('runs a task-based tool through MCP tasks', async () => {
    const taskTool = tools.find((tool) => tool.name === 'simulate-research-query')
    expect(taskTool, 'server-everything offers a task tool').toBeDefined()
    const res = await call({ toolId: taskTool?.id, arguments: { topic: 'switchboards' } })
    expect(res.status).toBe(200)
    expect(res.body.call.status).toBe('succeeded')
    expect(JSON.stringify(res.body.call.output.content)).toMatch(/switchboards/i)
  }, 30_000)

  it('lists calls newest first with filters and a cursor', async () => {
    const first = await t.request('/api/user/mcp-tool-calls?limit=2', { cookie: alice.cookie })
    expect(first.status).toBe(200)
    const page1 = await first.json()
    expect(page1.calls).toHaveLength(2)
    expect(page1.nextCursor).toEqual(expect.any(String))
    const second = await t.request(`/api/user/mcp-tool-calls?limit=2&cursor=${page1.nextCursor}`, {
      cookie: alice.cookie,
    })
    const page2 = await second.json()
    const ids = [...page1.calls, ...page2.calls].map((c: ToolCallView) => c.id)
    expect(new Set(ids).size).toBe(4)
    expect(page1.calls[0].createdAt >= page2.calls[0].createdAt).toBe(true)

    const echoes = await (
      await t.request('/api/user/mcp-tool-calls?toolName=echo&status=succeeded', {
        cookie: alice.cookie,
      })
    ).json()
    expect(echoes.calls.length).toBeGreaterThanOrEqual(1)
    expect(echoes.calls.every((c: ToolCallView) => c.toolName === 'echo')).toBe(true)

    const bad = await t.request('/api/user/mcp-tool-calls?cursor=nonsense', {
      cookie: alice.cookie,
    })
    expect(bad.status).toBe(400)
  })

  it('reports stats per day and per server', async () => {
    const res = await t.request('/api/user/mcp-tool-calls/stats?days=7', { cookie: alice.cookie })
    expect(res.status).toBe(200)
    const stats = await res.json()
    expect(stats.days).toHaveLength(7)
    expect(stats.days.at(-1).counts.succeeded).toBeGreaterThan(0)
    const server = stats.servers.find((s: { serverId: string }) => s.serverId === serverId)
    expect(server.calls).toBeGreaterThan(3)
    expect(server.p50Ms).toEqual(expect.any(Number))
    expect(server.p95Ms).toBeGreaterThanOrEqual(server.p50Ms)
  })
})

describe('isolation', () => {
  it("gives user B a 404 for user A's tools and calls on every route", async () => {
    const bob = await registerUser(t)
    const own = await call({ toolId: toolId('echo'), arguments: { message: 'mine' } })
    const callId = own.body.call.id
    const byId = await call({ toolId: toolId('echo'), arguments: { message: 'x' } }, bob.cookie)
    expect(byId.status).toBe(404)
    const byName = await call(
      { serverId, toolName: 'echo', arguments: { message: 'x' } },
      bob.cookie,
    )
    expect(byName.status).toBe(404)
    for (const [method, path] of [
      ['GET', `/api/user/mcp-tool-calls/${callId}`],
      ['POST', `/api/user/mcp-tool-calls/${callId}/cancel`],
    ] as const) {
      const res = await t.request(path, { method, cookie: bob.cookie })
      expect(res.status, `${method} ${path}`).toBe(404)
    }
    const list = await (await t.request('/api/user/mcp-tool-calls', { cookie: bob.cookie })).json()
    expect(list.calls).toEqual([])
  })
})

async function openEvents(cookie: string) {
  const res = await fetch(`${http.url}/api/events`, { headers: { cookie } })
  const stream = readSse(res)
  await stream.next('ready')
  return stream
}

async function waitForStatus(
  id: string,
  done: (status: string) => boolean,
  timeoutMs = 15_000,
): Promise<ToolCallView> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const res = await t.request(`/api/user/mcp-tool-calls/${id}`, { cookie: alice.cookie })
    const view = (await res.json()).call as ToolCallView
    if (done(view.status) || Date.now() > deadline) return view
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}
