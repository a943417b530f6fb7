import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  type FakeOpenRouter,
  startFakeOpenRouter,
  text,
  toolCall,
} from '../../fixtures/llm/fake-openrouter.ts'
import { type ModernServer, startModernServer } from '../../fixtures/mcp/modern-server.ts'
import { startModernTaskServer } from '../../fixtures/mcp/modern-task-server.ts'
import {
  type CollectedSpan,
  type OtlpCollector,
  startOtlpCollector,
} from '../../fixtures/otlp-collector.ts'
import { registerUser, type TestApp } from '../../helpers/start-app.ts'
import {
  addServer,
  patchTool,
  readChunks,
  startChatApp,
  userMessage,
  userWithServer,
} from '../chat/chat-test-kit.ts'

// Traces of the real app, received by an OTLP collector in the test process: a chat turn with a
// tool call, against the fake model provider and a real 2026-07-28 MCP server that records the
// `_meta` of every request it gets.
let collector: OtlpCollector
let fake: FakeOpenRouter
let modern: ModernServer

beforeAll(async () => {
  ;[collector, fake, modern] = await Promise.all([
    startOtlpCollector(),
    startFakeOpenRouter(),
    startModernServer(),
  ])
}, 60_000)
afterAll(async () => {
  await Promise.all([collector?.close(), fake?.close(), modern?.close()])
})
beforeEach(() => {
  fake.reset()
  collector.reset()
  modern.requests.length = 0
})

/** The caller's own trace, which the request's span continues (W3C `traceparent`). */
const CALLER_TRACE = '0af7651916cd43dd8448eb211c80319c'
const CALLER_SPAN = 'b7ad6b7169203331'

/**
 * One chat answer in which the model calls the server's echo tool once; the app is closed after
 * it, which sends what its tracing still holds.
 */
async function chatWithToolCall(t: TestApp): Promise<{ serverId: string }> {
  const u = await userWithServer(t, modern.url)
  await patchTool(t, u.cookie, u.server.id, 'echo', { approvalPolicy: 'never' })
  fake.enqueue(toolCall(`${u.name}__echo`, { text: 'traced words' }), text('It echoed.'))
  const res = await t.request('/api/chat/stream', {
    method: 'POST',
    cookie: u.cookie,
    headers: { traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01` },
    json: { conversationId: u.conversationId, message: userMessage('echo "traced words"') },
  })
  expect(res.status).toBe(200)
  const chunks = await readChunks(res)
  expect(chunks.find((c) => c.type === 'tool-output-available')).toBeDefined()
  await t.close()
  return { serverId: u.server.id }
}

function only(name: string): CollectedSpan {
  const found = collector.spans.filter((span) => span.name === name)
  expect(found.map((span) => span.name)).toEqual([name])
  return found[0] as CollectedSpan
}

/** The names from `span` up to the root of its trace, following the parent links. */
function lineage(span: CollectedSpan): string[] {
  const byId = new Map(collector.spans.map((s) => [s.spanId, s]))
  const names: string[] = []
  for (let at: CollectedSpan | undefined = span; at; at = byId.get(at.parentSpanId)) {
    names.push(at.name)
  }
  return names
}

describe('traces, with OTEL_EXPORTER_OTLP_ENDPOINT set', () => {
  it('follow one chat turn from the HTTP request to the MCP server, which gets traceparent', async () => {
    const t = await startChatApp(fake, { OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint })
    expect(t.deps.tracing.enabled).toBe(true)
    const { serverId } = await chatWithToolCall(t)

    const upstream = only('tools/call echo')
    expect(lineage(upstream)).toEqual([
      'tools/call echo',
      'tool_call echo',
      'ai.toolCall',
      'ai.streamText.doStream',
      'ai.streamText',
      'chat.turn',
      'POST /api/chat/stream',
    ])
    for (const span of collector.spans) {
      expect(span.service).toBe('switchboard')
      if (lineage(span).at(-1) === 'POST /api/chat/stream') expect(span.traceId).toBe(CALLER_TRACE)
    }

    // The request continues the caller's trace, named by its route pattern.
    const request = only('POST /api/chat/stream')
    expect(request).toMatchObject({ traceId: CALLER_TRACE, parentSpanId: CALLER_SPAN, kind: 2 })
    expect(request.attributes).toMatchObject({
      'http.request.method': 'POST',
      'http.route': '/api/chat/stream',
      'http.response.status_code': 200,
    })

    // Two model requests (the tool call, then the answer), children of the AI SDK's call.
    const modelRequests = collector.spans.filter((s) => s.name === 'ai.streamText.doStream')
    expect(modelRequests).toHaveLength(2)
    for (const span of modelRequests) {
      expect(lineage(span).slice(1)).toEqual(['ai.streamText', 'chat.turn', request.name])
      expect(span.attributes['gen_ai.request.model']).toEqual(expect.any(String))
    }
    expect(only('chat.turn').attributes['switchboard.chat.status']).toBe('complete')

    const call = only('tool_call echo')
    expect(call.attributes).toMatchObject({
      'gen_ai.tool.name': 'echo',
      'switchboard.server.id': serverId,
      'switchboard.tool_call.status': 'succeeded',
      'switchboard.tool_call.source': 'chat',
    })
    expect(upstream.kind).toBe(3)

    // Prompts, arguments and results stay out of the traces.
    expect(JSON.stringify(collector.spans)).not.toContain('traced words')

    // The server was told the trace, with the upstream span as the parent of its own spans.
    const sent = modern.requests.find((r) => r.method === 'tools/call')
    expect(sent?.meta?.traceparent).toBe(`00-${CALLER_TRACE}-${upstream.spanId}-01`)
  })

  it('follow a call from the API to a server that runs it as a task, traceparent and all', async () => {
    await using tasks = await startModernTaskServer()
    const t = await startChatApp(fake, { OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint })
    const { cookie } = await registerUser(t)
    const server = await addServer(t, cookie, { name: 'tasks', url: tasks.url })
    const res = await t.request('/api/chat/tool-call', {
      method: 'POST',
      cookie,
      json: { serverId: server.id, toolName: 'report', arguments: { topic: 'traces' } },
    })
    expect(res.status).toBe(200)
    expect((await res.json()).call.status).toBe('succeeded')
    expect(tasks.tasks.size).toBe(1)
    await t.close()

    const upstream = only('tools/call report')
    expect(lineage(upstream)).toEqual([
      'tools/call report',
      'tool_call report',
      'POST /api/chat/tool-call',
    ])
    expect(only('tool_call report').attributes['switchboard.tool_call.source']).toBe('api')
    const sent = tasks.requests.find((r) => r.method === 'tools/call')
    expect(sent?.params._meta).toMatchObject({
      traceparent: `00-${upstream.traceId}-${upstream.spanId}-01`,
    })
  })

  it('start a trace of their own for a request that brings none', async () => {
    const t = await startChatApp(fake, { OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint })
    await t.request('/api/health')
    await t.close()
    const health = only('GET /api/health')
    expect(health.parentSpanId).toBe('')
    expect(health.traceId).toMatch(/^[0-9a-f]{32}$/)
    expect(health.traceId).not.toBe(CALLER_TRACE)
  })
})

describe('traces, without an OTLP endpoint', () => {
  it('are off: nothing is recorded, sent, or passed on to MCP servers', async () => {
    const t = await startChatApp(fake)
    expect(t.deps.tracing.enabled).toBe(false)
    await chatWithToolCall(t)

    expect(collector.requests).toBe(0)
    const sent = modern.requests.find((r) => r.method === 'tools/call')
    expect(sent).toBeDefined()
    expect(sent?.meta).not.toHaveProperty('traceparent')
  })
})
