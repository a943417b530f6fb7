import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  type FakeOpenRouter,
  startFakeOpenRouter,
  text,
  toolCall,
  toolCalls,
} from '../../fixtures/llm/fake-openrouter.ts'
import { type RunningHttp, startEverything } from '../../helpers/mcp-servers.ts'
import type { TestApp } from '../../helpers/start-app.ts'
import {
  patchTool,
  postStream,
  startChatApp,
  storedMessages,
  toolParts,
  userMessage,
  userWithServer,
  waitForAnswer,
} from './chat-test-kit.ts'

// End to end: the real app, a real server-everything over streamable HTTP, and the fake model
// speaking OpenRouter's wire format. The model is scripted; everything else is real.
let t: TestApp
let everything: RunningHttp
let fake: FakeOpenRouter
beforeAll(async () => {
  ;[fake, everything] = await Promise.all([
    startFakeOpenRouter(),
    startEverything('streamableHttp'),
  ])
  t = await startChatApp(fake)
}, 60_000)
afterAll(async () => {
  await t?.close()
  await everything?.close()
  await fake?.close()
})
beforeEach(() => fake.reset())

/** A new user with server-everything registered as `ev<N>`; its echo tool is `ev<N>__echo`. */
function userWithEverything() {
  return userWithServer(t, everything.url)
}

function toolResults(request: { body: { messages: { role: string; content?: unknown }[] } }) {
  return request.body.messages.filter((m) => m.role === 'tool').map((m) => String(m.content))
}

describe('POST /api/chat/stream', () => {
  it('lets the model call echo, feeds it the result and stores the conversation', async () => {
    const u = await userWithEverything()
    fake.enqueue(toolCall(`${u.name}__echo`, { message: 'hello there' }), text('It said ', 'hi.'))
    const { res, chunks } = await postStream(t, u.cookie, {
      conversationId: u.conversationId,
      message: userMessage('please echo hello there'),
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('x-vercel-ai-ui-message-stream')).toBe('v1')

    // the model was offered the user's tools, with provider-safe names and object schemas
    const offered = fake.requests[0]?.body.tools ?? []
    const echo = offered.find((tool) => tool.function.name === `${u.name}__echo`)
    expect(echo?.function.parameters).toMatchObject({ type: 'object' })
    expect(echo?.function.parameters).not.toHaveProperty('$schema')
    for (const tool of offered) expect(tool.function.name).toMatch(/^[a-zA-Z0-9_-]{1,64}$/)
    expect(fake.requests[0]?.body.messages[0]).toMatchObject({ role: 'system' })

    // the second request carries the tool result
    expect(toolResults(fake.requests[1] as never)).toEqual(['Echo: hello there'])

    expect(chunks.find((c) => c.type === 'data-tool-mode')).toMatchObject({
      data: { mode: 'all', total: expect.any(Number) },
    })
    const output = chunks.find((c) => c.type === 'tool-output-available')
    expect(output).toMatchObject({
      dynamic: true,
      output: {
        callId: expect.any(String),
        content: [{ type: 'text', text: 'Echo: hello there' }],
      },
    })
    expect(chunks.find((c) => c.type === 'data-tool-call')).toMatchObject({
      data: { status: 'succeeded', callId: expect.any(String) },
    })
    const texts = chunks.filter((c) => c.type === 'text-delta').map((c) => c.delta)
    expect(texts.join('')).toBe('It said hi.')
    expect(chunks.find((c) => c.type === 'finish')).toMatchObject({
      messageMetadata: { status: 'complete' },
    })

    // stored: the user message and the answer, tool call and result included
    const messages = await waitForAnswer(t, u.cookie, u.conversationId, 2)
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant'])
    const answer = messages[1]
    expect(answer?.metadata).toMatchObject({ status: 'complete', model: 'openai/gpt-4o-mini' })
    const [part] = toolParts(answer)
    expect(part).toMatchObject({
      toolName: `${u.name}__echo`,
      state: 'output-available',
      input: { message: 'hello there' },
      toolMetadata: { serverName: u.name, toolName: 'echo' },
    })
    expect(answer?.parts.some((p) => p.type === 'text' && p.text === 'It said hi.')).toBe(true)

    // the title comes from the first message, and the call is listed for the conversation
    const detail = await (
      await t.request(`/api/conversations/${u.conversationId}`, { cookie: u.cookie })
    ).json()
    expect(detail.title).toBe('please echo hello there')
    expect(detail.messages).toHaveLength(2)
    const calls = await (
      await t.request(`/api/conversations/${u.conversationId}/tool-calls`, { cookie: u.cookie })
    ).json()
    expect(calls.calls).toHaveLength(1)
    expect(calls.calls[0]).toMatchObject({
      toolName: 'echo',
      source: 'chat',
      status: 'succeeded',
      conversationId: u.conversationId,
      messageId: answer?.id,
    })
  })

  it('runs parallel tool calls and a chain over several steps', async () => {
    const u = await userWithEverything()
    fake.enqueue(
      toolCalls([
        { name: `${u.name}__echo`, arguments: { message: 'one' } },
        { name: `${u.name}__get-sum`, arguments: { a: 2, b: 3 } },
      ]),
      toolCall(`${u.name}__echo`, { message: 'two' }),
      text('done'),
    )
    const { chunks } = await postStream(t, u.cookie, {
      conversationId: u.conversationId,
      message: userMessage('go'),
    })
    expect(chunks.filter((c) => c.type === 'tool-output-available')).toHaveLength(3)
    const second = toolResults(fake.requests[1] as never)
    expect(second).toHaveLength(2)
    expect(second[0]).toBe('Echo: one')
    expect(second[1]).toContain('5')
    expect(toolResults(fake.requests[2] as never)).toHaveLength(3)
    const messages = await waitForAnswer(t, u.cookie, u.conversationId, 2)
    expect(toolParts(messages[1])).toHaveLength(3)
  })

  it('hands a refused call back to the model as an error it can recover from', async () => {
    const u = await userWithEverything()
    // get-sum needs numbers: the tool-call service refuses before anything goes upstream
    fake.enqueue(toolCall(`${u.name}__get-sum`, { a: 'two' }), text('Sorry, let me fix that.'))
    const { chunks } = await postStream(t, u.cookie, {
      conversationId: u.conversationId,
      message: userMessage('add'),
    })
    const error = chunks.find((c) => c.type === 'tool-output-error')
    // Words for people (no internal code); the model reads the same.
    expect(error).toMatchObject({
      errorText: expect.stringMatching(/^Tool call refused: the arguments do not match/),
    })
    expect(JSON.stringify(error)).not.toMatch(/validation_failed/)
    const [result] = toolResults(fake.requests[1] as never)
    expect(result).toMatch(/refused: the arguments do not match the input schema of "get-sum"/)
    expect(result).toMatch(/Fix the arguments/)
    // The card gets the reason, to say it in the reader's language.
    expect(chunks.find((c) => c.type === 'data-tool-call')).toMatchObject({
      data: {
        callId: null,
        status: 'validation_failed',
        reason: { key: 'toolCall.argumentsInvalid', params: { tool: 'get-sum' } },
      },
    })
    const messages = await waitForAnswer(t, u.cookie, u.conversationId, 2)
    expect(toolParts(messages[1])[0]).toMatchObject({ state: 'output-error' })
  })

  it('never offers a disabled tool, from the very next turn on', async () => {
    const u = await userWithEverything()
    const echo = `${u.name}__echo`
    const turn = () =>
      postStream(t, u.cookie, { conversationId: u.conversationId, message: userMessage('hi') })
    fake.enqueue(text('ok'), text('ok'), text('ok'))
    await turn()
    expect(fake.toolNames(0)).toContain(echo)
    // The offered tools are cached per user: switching one off must reach the next turn at once.
    await patchTool(t, u.cookie, u.server.id, 'echo', { enabled: false })
    await turn()
    expect(fake.toolNames(1)).toContain(`${u.name}__get-sum`)
    expect(fake.toolNames(1)).not.toContain(echo)
    await patchTool(t, u.cookie, u.server.id, 'echo', { enabled: true })
    await turn()
    expect(fake.toolNames(2)).toContain(echo)
  })

  it("never offers another user's tools", async () => {
    const a = await userWithEverything()
    const b = await userWithEverything()
    fake.enqueue(text('ok'))
    await postStream(t, a.cookie, {
      conversationId: a.conversationId,
      message: userMessage('hi'),
    })
    const names = fake.toolNames(0)
    expect(names.some((name) => name.startsWith(`${a.name}__`))).toBe(true)
    expect(names.some((name) => name.startsWith(`${b.name}__`))).toBe(false)

    // nor lets A write to B's conversation
    const res = await t.request('/api/chat/stream', {
      method: 'POST',
      cookie: a.cookie,
      json: { conversationId: b.conversationId, message: userMessage('hi') },
    })
    expect(res.status).toBe(404)
  })

  it('keeps the history and sends it on the next turn', async () => {
    const u = await userWithEverything()
    fake.enqueue(text('first answer'), text('second answer'))
    await postStream(t, u.cookie, {
      conversationId: u.conversationId,
      message: userMessage('first'),
    })
    await waitForAnswer(t, u.cookie, u.conversationId, 2)
    await postStream(t, u.cookie, {
      conversationId: u.conversationId,
      message: userMessage('second'),
    })
    const messages = await waitForAnswer(t, u.cookie, u.conversationId, 4)
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant'])
    const sent = fake.requests[1]?.body.messages.map((m) => [m.role, m.content]) ?? []
    expect(sent.slice(1)).toEqual([
      ['user', 'first'],
      ['assistant', 'first answer'],
      ['user', 'second'],
    ])
  })

  it('refuses a message id that is already taken, and bad bodies', async () => {
    const u = await userWithEverything()
    fake.enqueue(text('ok'))
    const message = userMessage('hi')
    await postStream(t, u.cookie, { conversationId: u.conversationId, message })
    await waitForAnswer(t, u.cookie, u.conversationId, 2)
    const again = await t.request('/api/chat/stream', {
      method: 'POST',
      cookie: u.cookie,
      json: { conversationId: u.conversationId, message },
    })
    expect(again.status).toBe(400)
    expect((await again.json()).error.details.fields[0].field).toBe('message.id')

    const toolPart = await t.request('/api/chat/stream', {
      method: 'POST',
      cookie: u.cookie,
      json: {
        conversationId: u.conversationId,
        message: { id: 'x1', role: 'user', parts: [{ type: 'data-evil', data: {} }] },
      },
    })
    expect(toolPart.status).toBe(400)
    const model = await t.request('/api/chat/stream', {
      method: 'POST',
      cookie: u.cookie,
      json: { conversationId: u.conversationId, message: userMessage('x'), model: 'not/offered' },
    })
    expect(model.status).toBe(400)
    expect((await model.json()).error.details.fields[0].field).toBe('model')
    expect(await storedMessages(t, u.cookie, u.conversationId)).toHaveLength(2)
  })
})
