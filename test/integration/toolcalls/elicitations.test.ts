import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ElicitationView } from '../../../src/shared/elicitations.ts'
import type { ToolCallView } from '../../../src/shared/tool-calls.ts'
import { type Listening, listen } from '../../helpers/listen.ts'
import { LOOPBACK_POLICY, type RunningHttp, startEverything } from '../../helpers/mcp-servers.ts'
import { readSse } from '../../helpers/sse.ts'
import { registerUser, startApp, type TestApp } from '../../helpers/start-app.ts'
import { testConfig } from '../../helpers/test-config.ts'

// A real server-everything asks the user for input in the middle of a call
// (`trigger-elicitation-request`, which it offers only to clients that declare elicitation).
const ASK = 'trigger-elicitation-request'

let t: TestApp
let everything: RunningHttp
let http: Listening
let alice: { cookie: string; userId: string; email: string }
let bob: { cookie: string; userId: string; email: string }

beforeAll(async () => {
  ;[t, everything] = await Promise.all([
    startApp({
      config: {
        ssrf: LOOPBACK_POLICY,
        toolCalls: { ...testConfig().toolCalls, elicitationTimeoutMs: 2_500 },
      },
    }),
    startEverything('streamableHttp'),
  ])
  http = await listen(t.app)
  alice = await registerUser(t)
  bob = await registerUser(t)
}, 60_000)
afterAll(async () => {
  await http?.close()
  await everything?.close()
  await t?.close()
})

/** server-everything added for `cookie`, optionally with a per-call timeout; its ASK tool id. */
async function askTool(cookie: string, timeouts?: { requestMs: number }): Promise<string> {
  const created = await t.request('/api/user/mcp-servers', {
    method: 'POST',
    cookie,
    json: {
      name: `everything ${crypto.randomUUID().slice(0, 8)}`,
      transport: 'streamable-http',
      url: everything.url,
      ...(timeouts ? { timeouts } : {}),
    },
  })
  expect(created.status).toBe(201)
  const id = (await created.json()).id
  const listed = await t.request(`/api/user/mcp-servers/${id}/tools`, { cookie })
  const { tools } = (await listed.json()) as { tools: { id: string; name: string }[] }
  const tool = tools.find((candidate) => candidate.name === ASK)
  if (!tool) throw new Error(`${ASK} is not offered: elicitation was not declared`)
  return tool.id
}

/** Starts the asking call (async) and waits for the question to reach the user's events. */
async function ask(cookie: string, toolId: string) {
  const res = await fetch(`${http.url}/api/events`, { headers: { cookie } })
  const events = readSse(res)
  await events.next('ready')
  const started = await t.request('/api/chat/tool-call', {
    method: 'POST',
    cookie,
    json: { toolId, arguments: {}, mode: 'async' },
  })
  expect(started.status).toBe(202)
  const callId = (await started.json()).call.id as string
  const { elicitation } = (await events.next('elicitation.requested')) as {
    elicitation: ElicitationView
  }
  return { callId, elicitation, events }
}

function answer(cookie: string, id: string, body: Record<string, unknown>) {
  return t.request(`/api/user/elicitations/${id}`, { method: 'POST', cookie, json: body })
}

async function finished(cookie: string, id: string): Promise<ToolCallView> {
  const deadline = Date.now() + 15_000
  for (;;) {
    const res = await t.request(`/api/user/mcp-tool-calls/${id}`, { cookie })
    const view = (await res.json()).call as ToolCallView
    if (view.status !== 'running' || Date.now() > deadline) return view
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

function textOf(call: ToolCallView): string {
  return (call.output?.content ?? []).map((block) => String(block.text ?? '')).join('\n')
}

describe('a server asking the user during a call', () => {
  it('shows the question, checks the answer against its schema, and gives it to the server', async () => {
    const toolId = await askTool(alice.cookie)
    const { callId, elicitation, events } = await ask(alice.cookie, toolId)
    try {
      expect(elicitation).toMatchObject({
        message: 'Please provide inputs for the following fields:',
        calls: [{ id: callId, toolName: 'trigger-elicitation-request' }],
        requestedSchema: { type: 'object', required: ['name'] },
      })
      const listed = await t.request('/api/user/elicitations', { cookie: alice.cookie })
      expect((await listed.json()).elicitations.map((e: ElicitationView) => e.id)).toEqual([
        elicitation.id,
      ])

      const invalid = await answer(alice.cookie, elicitation.id, {
        action: 'accept',
        content: { integer: 500 },
      })
      expect(invalid.status).toBe(400)
      const fields = (await invalid.json()).error.details.fields.map(
        (f: { field: string }) => f.field,
      )
      expect(fields).toEqual(expect.arrayContaining(['content.name', 'content.integer']))

      const accepted = await answer(alice.cookie, elicitation.id, {
        action: 'accept',
        content: { name: 'Ada Lovelace', integer: 7 },
      })
      expect(accepted.status).toBe(200)
      expect(await accepted.json()).toEqual({ status: 'delivered' })
      expect(await events.next('elicitation.ended')).toMatchObject({
        id: elicitation.id,
        outcome: 'accept',
      })
      const call = await finished(alice.cookie, callId)
      expect(call.status).toBe('succeeded')
      expect(textOf(call)).toContain('- Name: Ada Lovelace')
      expect(textOf(call)).toContain('- Favorite Integer: 7')

      // answered once: it is gone
      const again = await answer(alice.cookie, elicitation.id, { action: 'decline' })
      expect(again.status).toBe(404)
    } finally {
      await events.close()
    }
  })

  it('passes a decline on, and never lets another user answer', async () => {
    const toolId = await askTool(alice.cookie)
    const { callId, elicitation, events } = await ask(alice.cookie, toolId)
    try {
      const foreign = await answer(bob.cookie, elicitation.id, { action: 'accept', content: {} })
      expect(foreign.status).toBe(404)
      const bobsList = await t.request('/api/user/elicitations', { cookie: bob.cookie })
      expect((await bobsList.json()).elicitations).toEqual([])

      expect((await answer(alice.cookie, elicitation.id, { action: 'decline' })).status).toBe(200)
      const call = await finished(alice.cookie, callId)
      expect(call.status).toBe('succeeded')
      expect(textOf(call)).toContain('declined')
    } finally {
      await events.close()
    }
  })

  it('holds the call timeout while the user is answering', async () => {
    const toolId = await askTool(alice.cookie, { requestMs: 1_000 })
    const { callId, elicitation, events } = await ask(alice.cookie, toolId)
    try {
      // Longer than the server's 1 s timeout: the call must still be waiting.
      await new Promise((resolve) => setTimeout(resolve, 1_600))
      const accepted = await answer(alice.cookie, elicitation.id, {
        action: 'accept',
        content: { name: 'Grace Hopper' },
      })
      expect(accepted.status).toBe(200)
      const call = await finished(alice.cookie, callId)
      expect(call.status).toBe('succeeded')
      expect(textOf(call)).toContain('- Name: Grace Hopper')
    } finally {
      await events.close()
    }
  })

  it('cancels a question nobody answers in time', async () => {
    const toolId = await askTool(alice.cookie)
    const { callId, elicitation, events } = await ask(alice.cookie, toolId)
    try {
      expect(await events.next('elicitation.ended', 10_000)).toEqual({
        type: 'elicitation.ended',
        id: elicitation.id,
        outcome: 'expired',
      })
      const call = await finished(alice.cookie, callId)
      expect(call.status).toBe('succeeded')
      expect(textOf(call)).toMatch(/cancel/i)
      expect((await answer(alice.cookie, elicitation.id, { action: 'decline' })).status).toBe(404)
    } finally {
      await events.close()
    }
  })

  it('refuses bad answers with the field named', async () => {
    const res = await answer(alice.cookie, crypto.randomUUID(), { action: 'maybe' })
    expect(res.status).toBe(400)
    expect((await res.json()).error.details.fields[0].field).toBe('action')
    const unknown = await answer(alice.cookie, crypto.randomUUID(), { action: 'decline' })
    expect(unknown.status).toBe(404)
  })
})
