import { McpServer } from '@modelcontextprotocol/server'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { z } from 'zod'
import {
  disconnect,
  type FakeOpenRouter,
  httpError,
  repeat,
  startFakeOpenRouter,
  streamError,
  text,
  toolCall,
} from '../../fixtures/llm/fake-openrouter.ts'
import { type SdkHttpServer, startSdkHttpServer } from '../../fixtures/mcp/sdk-http-server.ts'
import { manyToolsServer } from '../../fixtures/mcp/tool-list-servers.ts'
import { registerUser, startApp, type TestApp } from '../../helpers/start-app.ts'
import {
  addServer,
  createConversation,
  postStream,
  startChatApp,
  TestChat,
  toolParts,
  userMessage,
  waitForAnswer,
} from './chat-test-kit.ts'

/** A real MCP server whose `fail` tool answers `isError: true`, as a tool that hit a problem does. */
function failingServer(): McpServer {
  const server = new McpServer({ name: 'failing', version: '1.0.0' }, { capabilities: {} })
  server.registerTool(
    'fail',
    {
      description: 'Always fails',
      inputSchema: z.object({ what: z.string() }),
      annotations: { readOnlyHint: true },
    },
    async ({ what }) => ({
      content: [{ type: 'text', text: `cannot ${what}: disk full` }],
      isError: true,
    }),
  )
  return server
}

let t: TestApp
let fake: FakeOpenRouter
let failing: SdkHttpServer
let many: SdkHttpServer
beforeAll(async () => {
  ;[fake, failing, many] = await Promise.all([
    startFakeOpenRouter(),
    startSdkHttpServer(failingServer),
    startSdkHttpServer(() => manyToolsServer(100)),
  ])
  t = await startChatApp(fake)
}, 60_000)
afterAll(async () => {
  await t?.close()
  await Promise.all([failing?.close(), many?.close(), fake?.close()])
})
beforeEach(() => fake.reset())

async function setup(servers: { name: string; url: string }[] = []) {
  const user = await registerUser(t)
  for (const server of servers) await addServer(t, user.cookie, server)
  const conversationId = await createConversation(t, user.cookie)
  return { ...user, conversationId }
}

const RETRY_NOW = { headers: { 'retry-after': '0' } }

describe('a failing tool', () => {
  it('gives the model the error result and shows it to the user', async () => {
    const u = await setup([{ name: 'failing', url: failing.url }])
    fake.enqueue(toolCall('failing__fail', { what: 'save' }), text('The disk is full.'))
    const { chunks } = await postStream(t, u.cookie, {
      conversationId: u.conversationId,
      message: userMessage('save it'),
    })
    const error = chunks.find((c) => c.type === 'tool-output-error')
    expect(error).toMatchObject({ errorText: 'The tool reported an error: cannot save: disk full' })
    const result = fake.requests[1]?.body.messages.find((m) => m.role === 'tool')
    expect(result?.content).toBe('The tool reported an error: cannot save: disk full')
    expect(chunks.find((c) => c.type === 'data-tool-call')).toMatchObject({
      data: { status: 'failed', callId: expect.any(String) },
    })
    const messages = await waitForAnswer(t, u.cookie, u.conversationId, 2)
    expect(toolParts(messages[1])[0]).toMatchObject({ state: 'output-error' })
    expect(messages[1]?.metadata?.status).toBe('complete')
  })
})

describe('many tools', () => {
  it('offers search_tools past the budget and loads what it finds', async () => {
    const u = await setup([{ name: 'many', url: many.url }])
    fake.enqueue(
      toolCall('search_tools', { query: 'tool 42' }),
      (request) => {
        const found = request.body.tools?.map((tool) => tool.function.name) ?? []
        return found.includes('many__tool_42')
          ? toolCall('many__tool_42', { field2: 'x' })
          : text('not loaded')
      },
      text('done'),
    )
    const { chunks } = await postStream(t, u.cookie, {
      conversationId: u.conversationId,
      message: userMessage('use tool 42'),
    })
    expect(chunks.find((c) => c.type === 'data-tool-mode')).toMatchObject({
      data: { mode: 'search', total: 100 },
    })
    expect(fake.toolNames(0)).toEqual(['search_tools'])
    expect(JSON.stringify(fake.requests[0]?.body.messages[0]?.content)).toMatch(/search_tools/)
    const search = fake.requests[1]?.body.messages.find((m) => m.role === 'tool')
    expect(String(search?.content)).toContain('many__tool_42')
    expect(fake.toolNames(1).sort()).toContain('many__tool_42')
    expect(fake.toolNames(1).length).toBeLessThanOrEqual(9)
    // the loaded tool has no annotations, so it waits for approval; approving continues the
    // turn with the tool still loaded (the fixture lists tools but cannot run them)
    expect(fake.requests).toHaveLength(2)
    const chat = new TestChat(t, u.cookie, u.conversationId)
    chat.messages = (await waitForAnswer(t, u.cookie, u.conversationId, 2)) as never
    const asked = toolParts(chat.lastMessage).find((p) => p.state === 'approval-requested')
    await chat.addToolApprovalResponse({
      id: (asked as { approval: { id: string } }).approval.id,
      approved: true,
    })
    await expect.poll(() => fake.requests.length, { timeout: 10_000 }).toBe(3)
    await chat.idle()
    // what search_tools loaded in the first request is still loaded in the continuation
    expect(fake.toolNames(2).sort()).toEqual(fake.toolNames(1).sort())
    const messages = await waitForAnswer(t, u.cookie, u.conversationId, 2)
    expect(messages[1]?.metadata?.status).toBe('complete')
    expect(toolParts(messages[1]).map((p) => [p.toolName, p.state])).toEqual([
      ['search_tools', 'output-available'],
      ['many__tool_42', 'output-error'],
    ])
  })
})

describe('model provider failures', () => {
  it.each([
    ['429', repeat(httpError(429, undefined, RETRY_NOW), 3), /rate limiting.*429/],
    ['500', repeat(httpError(500, undefined, RETRY_NOW), 3), /failed \(HTTP 500\)/],
    ['401', [httpError(401)], /credentials \(HTTP 401\): check OPENROUTER_API_KEY/],
    [
      'a mid-stream error',
      [streamError('Upstream overloaded', { before: ['Par', 'tial'] })],
      /Upstream overloaded/,
    ],
    ['a dropped connection', [disconnect(['Half'])], /model provider/],
  ])(
    'ends the turn on %s with a clear message and a consistent conversation',
    async (_, turns, pattern) => {
      const u = await setup()
      fake.enqueue(...turns)
      const { res, chunks } = await postStream(t, u.cookie, {
        conversationId: u.conversationId,
        message: userMessage('hello'),
      })
      expect(res.status).toBe(200)
      const error = chunks.find((c) => c.type === 'error')
      expect(error).toMatchObject({ errorText: expect.stringMatching(pattern) })

      const messages = await waitForAnswer(t, u.cookie, u.conversationId, 2)
      expect(messages.map((m) => m.role)).toEqual(['user', 'assistant'])
      expect(messages[1]?.metadata).toMatchObject({
        status: 'error',
        error: expect.stringMatching(pattern),
      })

      // the next turn works and sends a valid history
      fake.reset()
      fake.enqueue(text('recovered'))
      const next = await postStream(t, u.cookie, {
        conversationId: u.conversationId,
        message: userMessage('again'),
      })
      expect(next.chunks.some((c) => c.type === 'error')).toBe(false)
      const roles = fake.requests[0]?.body.messages.map((m) => m.role)
      expect(roles?.[0]).toBe('system')
      expect(roles?.at(-1)).toBe('user')
      expect((await waitForAnswer(t, u.cookie, u.conversationId, 4))[3]?.metadata?.status).toBe(
        'complete',
      )
    },
  )

  it('keeps the partial text of an answer that broke off', async () => {
    const u = await setup()
    fake.enqueue(streamError('gone', { before: ['Once upon ', 'a time'] }))
    await postStream(t, u.cookie, {
      conversationId: u.conversationId,
      message: userMessage('story'),
    })
    const [, answer] = await waitForAnswer(t, u.cookie, u.conversationId, 2)
    const textPart = answer?.parts.find((p) => p.type === 'text')
    expect(textPart).toMatchObject({ text: 'Once upon a time', state: 'done' })
  })
})

describe('without a model provider', () => {
  let bare: TestApp
  beforeAll(async () => {
    bare = await startApp()
  }, 60_000)
  afterAll(async () => {
    await bare?.close()
  })

  it('starts, says so in GET /api/chat/config, and answers 503 with what to set', async () => {
    const { cookie } = await registerUser(bare)
    const config = await (await bare.request('/api/chat/config', { cookie })).json()
    expect(config).toMatchObject({ providerConfigured: false, provider: null, toolBudget: 40 })
    expect(config.models.length).toBeGreaterThan(0)
    const conversationId = await createConversation(bare, cookie)
    const res = await bare.request('/api/chat/stream', {
      method: 'POST',
      cookie,
      json: { conversationId, message: userMessage('hi') },
    })
    expect(res.status).toBe(503)
    const body = await res.json()
    expect(body.error.code).toBe('unavailable')
    expect(body.error.message).toMatch(/OPENROUTER_API_KEY/)
    expect(body.error.message).toMatch(/LLM_BASE_URL/)
  })

  it('GET /api/chat/config says which provider is configured', async () => {
    const { cookie } = await registerUser(t)
    const config = await (await t.request('/api/chat/config', { cookie })).json()
    expect(config).toMatchObject({
      providerConfigured: true,
      provider: 'openrouter',
      defaultModel: 'openai/gpt-4o-mini',
    })
  })
})
