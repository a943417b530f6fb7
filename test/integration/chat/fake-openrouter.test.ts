import { createOpenAICompatible } from '@ai-sdk/openai-compatible'
import { createOpenRouter } from '@openrouter/ai-sdk-provider'
import { APICallError, generateText, jsonSchema, stepCountIs, streamText, tool } from 'ai'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  disconnect,
  type FakeOpenRouter,
  httpError,
  repeat,
  startFakeOpenRouter,
  streamError,
  text,
  toolCall,
  toolCalls,
} from '../../fixtures/llm/fake-openrouter.ts'

// The fake must be parsed by the real providers exactly as OpenRouter is: these tests drive it
// with `@openrouter/ai-sdk-provider` and `streamText`, as the chat backend does.
let fake: FakeOpenRouter
beforeAll(async () => {
  fake = await startFakeOpenRouter()
})
afterAll(async () => {
  await fake?.close()
})
beforeEach(() => {
  fake.reset()
})

function model(id = 'openai/gpt-4o-mini') {
  return createOpenRouter({ apiKey: 'sk-or-test', baseURL: fake.baseUrl })(id)
}

const echo = tool({
  description: 'Echo the text',
  inputSchema: jsonSchema<{ text: string }>({
    type: 'object',
    properties: { text: { type: 'string' } },
    required: ['text'],
  }),
  execute: async ({ text }) => `echo: ${text}`,
})

async function drain(result: { fullStream: AsyncIterable<unknown> }) {
  const parts: { type: string; [key: string]: unknown }[] = []
  for await (const part of result.fullStream) parts.push(part as (typeof parts)[number])
  return parts
}

describe('fake OpenRouter', () => {
  it('streams text in several deltas, with usage', async () => {
    fake.enqueue(text('Hel', 'lo', ' world'))
    const result = streamText({ model: model(), prompt: 'hi' })
    const parts = await drain(result)
    expect(parts.filter((p) => p.type === 'text-delta').map((p) => p.text)).toEqual([
      'Hel',
      'lo',
      ' world',
    ])
    expect(await result.text).toBe('Hello world')
    expect(await result.finishReason).toBe('stop')
    expect((await result.totalUsage).inputTokens).toBe(12)
    expect((await result.totalUsage).outputTokens).toBe(7)
    expect(fake.requests[0]?.authorization).toBe('Bearer sk-or-test')
    expect(fake.requests[0]?.body.model).toBe('openai/gpt-4o-mini')
    expect(fake.requests[0]?.body.stream).toBe(true)
  })

  it('makes a tool call, sees its result in the next request, then answers', async () => {
    fake.enqueue(toolCall('echo', { text: 'ping' }), (request) => {
      const result = request.body.messages.find((m) => m.role === 'tool')
      return text(`the tool said ${String(result?.content)}`)
    })
    const result = streamText({
      model: model(),
      prompt: 'echo ping',
      tools: { echo },
      stopWhen: stepCountIs(3),
    })
    const parts = await drain(result)
    const call = parts.find((p) => p.type === 'tool-call')
    expect(call).toMatchObject({ toolName: 'echo', input: { text: 'ping' } })
    expect(parts.find((p) => p.type === 'tool-result')).toMatchObject({ output: 'echo: ping' })
    expect(await result.text).toBe('the tool said echo: ping')
    expect(fake.toolNames(0)).toEqual(['echo'])
    expect(fake.requests[0]?.body.tools?.[0]?.function.parameters).toMatchObject({
      type: 'object',
      properties: { text: { type: 'string' } },
    })
    const second = fake.requests[1]?.body.messages ?? []
    expect(second.find((m) => m.role === 'assistant')?.tool_calls?.[0]?.function).toEqual({
      name: 'echo',
      arguments: '{"text":"ping"}',
    })
  })

  it('makes parallel tool calls and a chain over several steps', async () => {
    fake.enqueue(
      toolCalls([
        { name: 'echo', arguments: { text: 'a' } },
        { name: 'echo', arguments: { text: 'b' } },
      ]),
      toolCall('echo', { text: 'c' }),
      text('done'),
    )
    const result = streamText({
      model: model(),
      prompt: 'go',
      tools: { echo },
      stopWhen: stepCountIs(5),
    })
    const parts = await drain(result)
    const outputs = parts.filter((p) => p.type === 'tool-result').map((p) => p.output)
    expect(outputs).toEqual(['echo: a', 'echo: b', 'echo: c'])
    expect((await result.steps).length).toBe(3)
    expect(await result.text).toBe('done')
    const toolMessages = fake.requests[1]?.body.messages.filter((m) => m.role === 'tool') ?? []
    expect(toolMessages).toHaveLength(2)
  })

  it("sends a call with invalid arguments (OpenRouter's provider turns them into {})", async () => {
    fake.enqueue(toolCall('echo', '{"text": "unterminated'), text('sorry'))
    const result = streamText({
      model: model(),
      prompt: 'go',
      tools: { echo },
      stopWhen: stepCountIs(3),
    })
    const parts = await drain(result)
    const raw = parts.filter((p) => p.type === 'tool-input-delta').map((p) => p.delta)
    expect(raw.join('')).toBe('{"text": "unterminated')
    expect(parts.find((p) => p.type === 'tool-call')).toMatchObject({ input: {} })
    expect(await result.text).toBe('sorry')
  })

  it('reports an error event in the middle of a stream', async () => {
    fake.enqueue(streamError('Provider disconnected unexpectedly', { before: ['partial '] }))
    const result = streamText({ model: model(), prompt: 'hi', onError: () => {} })
    const parts = await drain(result)
    expect(parts.filter((p) => p.type === 'text-delta').map((p) => p.text)).toEqual(['partial '])
    const error = parts.find((p) => p.type === 'error')
    expect(error?.error).toMatchObject({ message: 'Provider disconnected unexpectedly', code: 502 })
  })

  it('reports a dropped connection as an error', async () => {
    fake.enqueue(disconnect(['half']))
    const result = streamText({ model: model(), prompt: 'hi', onError: () => {} })
    const parts = await drain(result)
    expect(parts.some((p) => p.type === 'error')).toBe(true)
  })

  it.each([
    [401, 'No auth credentials found', 1],
    [429, 'Rate limit exceeded: free-models-per-min', 3],
    [500, 'Internal Server Error', 3],
  ])('answers HTTP %i with the OpenRouter error body', async (status, message, attempts) => {
    // 429 and 5xx are retried by the SDK (twice): script every attempt. Retry-After: 0 keeps it fast.
    fake.enqueue(...repeat(httpError(status, message, { headers: { 'retry-after': '0' } }), 3))
    const result = streamText({ model: model(), prompt: 'hi', onError: () => {} })
    const parts = await drain(result)
    const error = parts.find((p) => p.type === 'error')?.error
    const cause = APICallError.isInstance(error)
      ? error
      : ((error as { lastError?: unknown })?.lastError as APICallError)
    expect(APICallError.isInstance(cause)).toBe(true)
    expect(cause.statusCode).toBe(status)
    expect(cause.message).toContain(message)
    expect(fake.requests).toHaveLength(attempts)
  })

  it('streams slowly when asked (delay between chunks)', async () => {
    fake.enqueue({ ...text('a', 'b', 'c'), delayMs: 40 })
    const started = Date.now()
    const result = streamText({ model: model(), prompt: 'hi' })
    expect(await result.text).toBe('abc')
    expect(Date.now() - started).toBeGreaterThanOrEqual(150)
  })

  it('answers without streaming when stream is off', async () => {
    fake.enqueue(toolCall('echo', { text: 'x' }), text('plain'))
    const result = await generateText({
      model: model(),
      prompt: 'hi',
      tools: { echo },
      stopWhen: stepCountIs(3),
    })
    expect(result.text).toBe('plain')
    expect(result.steps[0]?.toolCalls[0]).toMatchObject({ toolName: 'echo', input: { text: 'x' } })
    expect(result.usage.inputTokens).toBe(12)
    expect(fake.requests[0]?.body.stream).toBeFalsy()
  })

  it('is parsed by the OpenAI-compatible provider too, on /v1', async () => {
    fake.enqueue(toolCall('echo', { text: 'y' }), text('ok'))
    const provider = createOpenAICompatible({
      name: 'local',
      baseURL: `${fake.origin}/v1`,
      includeUsage: true,
    })
    const result = streamText({
      model: provider('llama3'),
      prompt: 'hi',
      tools: { echo },
      stopWhen: stepCountIs(3),
    })
    expect(await result.text).toBe('ok')
    expect(fake.requests[0]?.path).toBe('/v1/chat/completions')
    expect((await result.totalUsage).outputTokens).toBe(14)
  })

  it('answers 500 with a clear message when no turn is left', async () => {
    const res = await fetch(`${fake.baseUrl}/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ model: 'm', messages: [] }),
    })
    expect(res.status).toBe(500)
    expect((await res.json()).error.message).toMatch(/no scripted turn left/)
  })
})
