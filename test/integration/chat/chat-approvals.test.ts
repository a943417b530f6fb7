import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  type FakeOpenRouter,
  startFakeOpenRouter,
  text,
  toolCall,
} from '../../fixtures/llm/fake-openrouter.ts'
import { type RunningHttp, startEverything } from '../../helpers/mcp-servers.ts'
import type { TestApp } from '../../helpers/start-app.ts'
import {
  patchTool,
  postStream,
  startChatApp,
  TestChat,
  toolParts,
  userMessage,
  userWithServer,
  waitForAnswer,
} from './chat-test-kit.ts'

// Approvals and Stop, driven the way the web UI drives them: the AI SDK's own chat state
// machine (what `useChat` runs) over the real endpoint.
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

async function setup() {
  const user = await userWithServer(t, everything.url)
  return { ...user, chat: new TestChat(t, user.cookie, user.conversationId) }
}

async function toolCallsOf(cookie: string, conversationId: string) {
  const res = await t.request(`/api/conversations/${conversationId}/tool-calls`, { cookie })
  return (await res.json()).calls as { status: string; toolName: string; messageId: string }[]
}

function toolMessages(index: number) {
  return (fake.requests[index]?.body.messages ?? []).filter((m) => m.role === 'tool')
}

// toggle-simulated-logging is not read-only: under the default `auto` policy it needs approval.
const NEEDS_APPROVAL = 'toggle-simulated-logging'

describe('tool approval', () => {
  it('pauses on a tool that needs approval, then runs it once approved', async () => {
    const u = await setup()
    fake.enqueue(toolCall(`${u.name}__${NEEDS_APPROVAL}`, {}), text('Logging is toggled.'))
    await u.chat.sendMessage({ text: 'toggle logging' })
    await u.chat.idle()
    const asked = toolParts(u.chat.lastMessage)[0]
    expect(asked?.state).toBe('approval-requested')
    expect(fake.requests).toHaveLength(1)
    expect(await toolCallsOf(u.cookie, u.conversationId)).toHaveLength(0)
    const stored = await waitForAnswer(t, u.cookie, u.conversationId, 2)
    expect(stored[1]?.metadata?.status).toBe('awaiting-approval')

    const approvalId = (asked as { approval: { id: string } }).approval.id
    await u.chat.addToolApprovalResponse({ id: approvalId, approved: true })
    await expect.poll(() => fake.requests.length, { timeout: 10_000 }).toBe(2)
    await u.chat.idle()

    const results = toolMessages(1)
    expect(results).toHaveLength(1)
    expect(String(results[0]?.content)).toMatch(/logging/i)
    const calls = await toolCallsOf(u.cookie, u.conversationId)
    expect(calls).toMatchObject([{ toolName: NEEDS_APPROVAL, status: 'succeeded' }])

    // one assistant message, continued in place, with the result and the final text
    const messages = await waitForAnswer(t, u.cookie, u.conversationId, 2)
    expect(messages).toHaveLength(2)
    expect(messages[1]?.metadata?.status).toBe('complete')
    expect(calls[0]?.messageId).toBe(messages[1]?.id)
    expect(toolParts(messages[1])[0]).toMatchObject({
      state: 'output-available',
      approval: { approved: true },
    })
    expect(
      messages[1]?.parts.some((p) => p.type === 'text' && p.text === 'Logging is toggled.'),
    ).toBe(true)
    expect(u.chat.lastMessage?.id).toBe(messages[1]?.id)
  })

  it('tells the model when the user denies, and never calls the tool', async () => {
    const u = await setup()
    fake.enqueue(toolCall(`${u.name}__${NEEDS_APPROVAL}`, {}), text('Understood, I will not.'))
    await u.chat.sendMessage({ text: 'toggle logging' })
    await u.chat.idle()
    const asked = toolParts(u.chat.lastMessage)[0] as { approval: { id: string } }
    await u.chat.addToolApprovalResponse({
      id: asked.approval.id,
      approved: false,
      reason: 'not today',
    })
    await expect.poll(() => fake.requests.length, { timeout: 10_000 }).toBe(2)
    await u.chat.idle()

    const denied = JSON.stringify(toolMessages(1)[0]?.content)
    expect(denied).toMatch(/denied/i)
    expect(denied).toContain('not today')
    expect(await toolCallsOf(u.cookie, u.conversationId)).toHaveLength(0)
    const messages = await waitForAnswer(t, u.cookie, u.conversationId, 2)
    expect(toolParts(messages[1])[0]).toMatchObject({ state: 'output-denied' })
    expect(messages[1]?.metadata?.status).toBe('complete')
  })

  it('runs an approved call after "always allow" switched the policy to never', async () => {
    const u = await setup()
    fake.enqueue(toolCall(`${u.name}__${NEEDS_APPROVAL}`, {}), text('done'))
    await u.chat.sendMessage({ text: 'toggle logging' })
    await u.chat.idle()
    const asked = toolParts(u.chat.lastMessage)[0] as { approval: { id: string } }
    await patchTool(t, u.cookie, u.server.id, NEEDS_APPROVAL, { approvalPolicy: 'never' })
    await u.chat.addToolApprovalResponse({ id: asked.approval.id, approved: true })
    await expect.poll(() => fake.requests.length, { timeout: 10_000 }).toBe(2)
    await u.chat.idle()
    expect(await toolCallsOf(u.cookie, u.conversationId)).toMatchObject([{ status: 'succeeded' }])

    // and from now on it runs without asking
    fake.enqueue(toolCall(`${u.name}__${NEEDS_APPROVAL}`, {}), text('again'))
    await u.chat.sendMessage({ text: 'once more' })
    await u.chat.idle()
    expect(toolParts(u.chat.lastMessage)[0]?.state).toBe('output-available')
  })

  it('asks for a read-only tool whose policy is always, not for one set to never', async () => {
    const u = await setup()
    await patchTool(t, u.cookie, u.server.id, 'echo', { approvalPolicy: 'always' })
    fake.enqueue(toolCall(`${u.name}__echo`, { message: 'x' }))
    await u.chat.sendMessage({ text: 'echo' })
    await u.chat.idle()
    expect(toolParts(u.chat.lastMessage)[0]?.state).toBe('approval-requested')
  })

  it('denies open requests when the user writes a new message instead', async () => {
    const u = await setup()
    fake.enqueue(toolCall(`${u.name}__${NEEDS_APPROVAL}`, {}), text('ok, something else'))
    const first = await postStream(t, u.cookie, {
      conversationId: u.conversationId,
      message: userMessage('toggle logging'),
    })
    expect(first.chunks.some((c) => c.type === 'tool-approval-request')).toBe(true)
    await waitForAnswer(t, u.cookie, u.conversationId, 2)
    await postStream(t, u.cookie, {
      conversationId: u.conversationId,
      message: userMessage('never mind, tell me a joke'),
    })
    const sent = fake.requests[1]?.body.messages ?? []
    expect(sent.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool', 'user'])
    expect(JSON.stringify(sent[3]?.content)).toMatch(/denied/i)
    const messages = await waitForAnswer(t, u.cookie, u.conversationId, 4)
    expect(toolParts(messages[1])[0]).toMatchObject({ state: 'output-denied' })
  })

  it('refuses answers to a message that is not the last, or that awaits nothing', async () => {
    const u = await setup()
    fake.enqueue(text('hello'))
    await postStream(t, u.cookie, {
      conversationId: u.conversationId,
      message: userMessage('hi'),
    })
    const [, answer] = await waitForAnswer(t, u.cookie, u.conversationId, 2)
    const nothing = await t.request('/api/chat/stream', {
      method: 'POST',
      cookie: u.cookie,
      json: { conversationId: u.conversationId, message: answer },
    })
    expect(nothing.status).toBe(400)
    const other = await t.request('/api/chat/stream', {
      method: 'POST',
      cookie: u.cookie,
      json: { conversationId: u.conversationId, message: { ...answer, id: 'not-the-last' } },
    })
    expect(other.status).toBe(400)
  })
})

describe('stopping', () => {
  it('cancels the tool call in flight and stores the answer as aborted', async () => {
    const u = await setup()
    fake.enqueue(
      toolCall(`${u.name}__trigger-long-running-operation`, { duration: 20, steps: 20 }),
      text('never sent'),
    )
    const sending = u.chat.sendMessage({ text: 'run the long thing' })
    await expect
      .poll(() => u.chat.data.some((part) => part.type === 'data-tool-progress'), {
        timeout: 15_000,
      })
      .toBe(true)
    await u.chat.stop()
    await sending
    await u.chat.idle()

    await expect
      .poll(async () => (await toolCallsOf(u.cookie, u.conversationId))[0]?.status, {
        timeout: 10_000,
      })
      .toBe('cancelled')
    const messages = await waitForAnswer(t, u.cookie, u.conversationId, 2)
    expect(messages[1]?.metadata?.status).toBe('aborted')
    expect(toolParts(messages[1])[0]).toMatchObject({
      state: 'output-error',
      errorText: expect.stringMatching(/Stopped/),
    })
    expect(fake.requests).toHaveLength(1)

    // the conversation goes on
    fake.reset()
    fake.enqueue(text('still here'))
    await u.chat.sendMessage({ text: 'hello?' })
    await u.chat.idle()
    expect(u.chat.status).toBe('ready')
    const sent = fake.requests[0]?.body.messages.map((m) => m.role)
    expect(sent).toEqual(['system', 'user', 'assistant', 'tool', 'user'])
  })
})
