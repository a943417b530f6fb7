import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ElicitationView } from '../../../src/shared/elicitations.ts'
import type { ToolCallView } from '../../../src/shared/tool-calls.ts'
import {
  type ModernTaskServer,
  startModernTaskServer,
} from '../../fixtures/mcp/modern-task-server.ts'
import { LOOPBACK_POLICY } from '../../helpers/mcp-servers.ts'
import { registerUser, startApp, type TestApp } from '../../helpers/start-app.ts'

// A 2026-07-28 server that runs tool calls as tasks (io.modelcontextprotocol/tasks), used
// through the whole product: the call is logged with the task's status as progress, a
// question the task asks reaches the user like any other, and a cancelled call cancels the task.

let t: TestApp
let server: ModernTaskServer
let cookie: string
const tools = new Map<string, string>()

beforeAll(async () => {
  ;[t, server] = await Promise.all([
    startApp({ config: { ssrf: LOOPBACK_POLICY } }),
    startModernTaskServer(),
  ])
  cookie = (await registerUser(t)).cookie
  const created = await t.request('/api/user/mcp-servers', {
    method: 'POST',
    cookie,
    json: { name: 'tasks', transport: 'streamable-http', url: server.url },
  })
  expect(created.status).toBe(201)
  const { id } = await created.json()
  const listed = await (await t.request(`/api/user/mcp-servers/${id}/tools`, { cookie })).json()
  for (const tool of listed.tools as { id: string; name: string }[]) tools.set(tool.name, tool.id)
}, 60_000)
afterAll(async () => {
  await server?.close()
  await t?.close()
})

function start(name: string, args: Record<string, unknown>, mode?: 'async') {
  return t.request('/api/chat/tool-call', {
    method: 'POST',
    cookie,
    json: { toolId: tools.get(name), arguments: args, ...(mode ? { mode } : {}) },
  })
}

async function viewOf(id: string): Promise<ToolCallView> {
  return (await (await t.request(`/api/user/mcp-tool-calls/${id}`, { cookie })).json()).call
}

describe('a 2026-07-28 server that runs calls as tasks, in the product', () => {
  it('answers with the task’s result, its status kept as the call’s progress', async () => {
    const res = await start('report', { topic: 'switchboards' })
    expect(res.status).toBe(200)
    const { call } = await res.json()
    expect(call.status).toBe('succeeded')
    expect(call.output.content[0].text).toBe('report on switchboards')
    expect(call.progress?.message).toMatch(/Reading sources/)
  })

  it('puts the task’s question to the user and gives the task their answer', async () => {
    const res = await start('approve', { amount: 42 }, 'async')
    expect(res.status).toBe(202)
    const callId = (await res.json()).call.id as string
    let question: ElicitationView | undefined
    await expect
      .poll(async () => {
        const listed = await (await t.request('/api/user/elicitations', { cookie })).json()
        question = listed.elicitations[0]
        return question?.message
      })
      .toBe('Approve a payment of 42?')
    expect(question?.calls.map((c) => c.id)).toEqual([callId])
    const answered = await t.request(`/api/user/elicitations/${question?.id}`, {
      method: 'POST',
      cookie,
      json: { action: 'accept', content: { ok: true } },
    })
    expect(answered.status).toBe(200)
    await expect.poll(async () => (await viewOf(callId)).status).toBe('succeeded')
    expect((await viewOf(callId)).output?.content[0]?.text).toBe('approved')
  })

  it('a cancelled call cancels its task upstream', async () => {
    const res = await start('forever', {}, 'async')
    const callId = (await res.json()).call.id as string
    const polled = () =>
      [...server.tasks.values()].some((task) => task.tool === 'forever' && task.polls > 0)
    await expect.poll(polled).toBe(true)
    const cancelled = await t.request(`/api/user/mcp-tool-calls/${callId}/cancel`, {
      method: 'POST',
      cookie,
    })
    expect(cancelled.status).toBe(200)
    await expect.poll(async () => (await viewOf(callId)).status).toBe('cancelled')
    await expect.poll(() => server.requests.some((r) => r.method === 'tasks/cancel')).toBe(true)
  })

  it('a task that failed is a failed call with the server’s words', async () => {
    const { call } = await (await start('broken', {})).json()
    expect(call.status).toBe('failed')
    expect(call.error).toMatch(/the report store is unreachable/)
  })
})
