import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { MessageLimitList, UsageReport } from '../../../src/shared/usage.ts'
import {
  type FakeOpenRouter,
  httpError,
  startFakeOpenRouter,
  text,
  toolCall,
} from '../../fixtures/llm/fake-openrouter.ts'
import { type RunningHttp, startEverything } from '../../helpers/mcp-servers.ts'
import { registerUser, type TestApp } from '../../helpers/start-app.ts'
import {
  createConversation,
  postStream,
  startChatApp,
  userMessage,
  userWithServer,
} from '../chat/chat-test-kit.ts'

// Usage for admins, from real answers: the fake OpenRouter reports tokens and its cost, tool
// calls go to server-everything through the proxy, and one answer fails.
let fake: FakeOpenRouter
let everything: RunningHttp
let t: TestApp
let admin: Awaited<ReturnType<typeof registerUser>>
beforeAll(async () => {
  ;[fake, everything] = await Promise.all([
    startFakeOpenRouter(),
    startEverything('streamableHttp'),
  ])
  t = await startChatApp(fake)
  admin = await registerUser(t)
}, 60_000)
afterAll(async () => {
  await t?.close()
  await everything?.close()
  await fake?.close()
})
beforeEach(() => fake.reset())

async function report(query = ''): Promise<UsageReport> {
  const res = await t.request(`/api/admin/usage${query}`, { cookie: admin.cookie })
  expect(res.status, await res.clone().text()).toBe(200)
  return (await res.json()) as UsageReport
}

describe('GET /api/admin/usage', () => {
  it('sums tokens, cost, tool calls and errors per user, per model and per day', async () => {
    const ann = await userWithServer(t, everything.url)
    const ben = await registerUser(t)
    fake.enqueue(
      toolCall(
        `${ann.name}__echo`,
        { message: 'hi' },
        { usage: { promptTokens: 100, completionTokens: 10, cost: 0.001 } },
      ),
      // Arguments the tool's schema refuses: a failed tool call.
      toolCall(
        `${ann.name}__echo`,
        { nope: 1 },
        { usage: { promptTokens: 120, completionTokens: 12, cost: 0.002 } },
      ),
      { ...text('Done.'), usage: { promptTokens: 130, completionTokens: 20, cost: 0.003 } },
    )
    const first = await postStream(t, ann.cookie, {
      conversationId: ann.conversationId,
      message: userMessage('Echo hi'),
    })
    expect(first.res.status).toBe(200)
    fake.enqueue({
      ...text('Claude here.'),
      usage: { promptTokens: 50, completionTokens: 5, cost: 0.01 },
    })
    await postStream(t, ann.cookie, {
      conversationId: await createConversation(t, ann.cookie),
      message: userMessage('Hi Claude'),
      model: 'anthropic/claude-3.5-sonnet',
    })
    // Ben's answer fails (the provider refuses it): an error, no tokens.
    fake.enqueue(httpError(400, 'bad request'))
    await postStream(t, ben.cookie, {
      conversationId: await createConversation(t, ben.cookie),
      message: userMessage('Hi'),
    })

    const usage = await report()
    expect(usage.totals).toEqual({
      answers: 3,
      inputTokens: 400,
      outputTokens: 47,
      cost: expect.closeTo(0.016, 9),
      toolCalls: 2,
      toolErrors: 1,
      errors: 1,
    })
    const annRow = usage.perUser.find((u) => u.userId === ann.userId)
    expect(annRow).toMatchObject({
      answers: 2,
      inputTokens: 400,
      outputTokens: 47,
      toolCalls: 2,
      toolErrors: 1,
      errors: 0,
    })
    expect(annRow?.cost).toBeCloseTo(0.016, 9)
    expect(usage.perUser.find((u) => u.userId === ben.userId)).toMatchObject({
      answers: 1,
      inputTokens: 0,
      cost: null,
      errors: 1,
    })
    const byModel = Object.fromEntries(usage.perModel.map((m) => [m.model, m]))
    expect(byModel['openai/gpt-4o-mini']).toMatchObject({ answers: 2, inputTokens: 350, errors: 1 })
    expect(byModel['anthropic/claude-3.5-sonnet']).toMatchObject({
      answers: 1,
      inputTokens: 50,
      outputTokens: 5,
    })
    expect(byModel['anthropic/claude-3.5-sonnet']?.cost).toBeCloseTo(0.01, 9)
    expect(usage.perDay).toHaveLength(1)
    expect(usage.perDay[0]?.day).toBe(new Date().toISOString().slice(0, 10))

    // A period that ended before these answers has none.
    const before = new Date(Date.now() - 2 * 86_400_000).toISOString()
    const old = await report(
      `?from=${encodeURIComponent(new Date(Date.now() - 3 * 86_400_000).toISOString())}&to=${encodeURIComponent(before)}`,
    )
    expect(old.totals).toMatchObject({ answers: 0, inputTokens: 0, cost: null })
    expect(old.perUser).toEqual([])
  })

  it('validates the period (400 naming the field) and is for admins only (403)', async () => {
    const bad = await t.request('/api/admin/usage?from=yesterday', { cookie: admin.cookie })
    expect(bad.status).toBe(400)
    expect((await bad.json()).error.details.fields[0].field).toBe('from')
    const backwards = await t.request(
      `/api/admin/usage?from=${encodeURIComponent(new Date().toISOString())}&to=${encodeURIComponent(new Date(Date.now() - 1000).toISOString())}`,
      { cookie: admin.cookie },
    )
    expect(backwards.status).toBe(400)
    const member = await registerUser(t)
    for (const path of ['/api/admin/usage', '/api/admin/usage/limits']) {
      expect((await t.request(path, { cookie: member.cookie })).status).toBe(403)
    }
    const put = await t.request(`/api/admin/usage/limits/${member.userId}`, {
      method: 'PUT',
      cookie: member.cookie,
      json: { dailyMessages: 1 },
    })
    expect(put.status).toBe(403)
  })
})

describe('daily message limit', () => {
  it('refuses the message past the limit with 429 message_limit_reached, and lifts it', async () => {
    const user = await registerUser(t)
    const missing = await t.request('/api/admin/usage/limits/no-such-user', {
      method: 'PUT',
      cookie: admin.cookie,
      json: { dailyMessages: 2 },
    })
    expect(missing.status).toBe(404)
    const invalid = await t.request(`/api/admin/usage/limits/${user.userId}`, {
      method: 'PUT',
      cookie: admin.cookie,
      json: { dailyMessages: 0 },
    })
    expect(invalid.status).toBe(400)
    expect((await invalid.json()).error.details.fields[0].field).toBe('dailyMessages')
    const set = await t.request(`/api/admin/usage/limits/${user.userId}`, {
      method: 'PUT',
      cookie: admin.cookie,
      json: { dailyMessages: 2 },
    })
    expect(set.status).toBe(204)

    const conversationId = await createConversation(t, user.cookie)
    fake.enqueue(text('One.'), text('Two.'))
    for (const words of ['one', 'two']) {
      const { res } = await postStream(t, user.cookie, {
        conversationId,
        message: userMessage(words),
      })
      expect(res.status).toBe(200)
    }
    const third = await postStream(t, user.cookie, {
      conversationId,
      message: userMessage('three'),
    })
    expect(third.res.status).toBe(429)
    expect(Number(third.res.headers.get('retry-after'))).toBeGreaterThan(0)
    const body = await third.res.json()
    expect(body.error).toMatchObject({
      code: 'message_limit_reached',
      reason: { key: 'messageLimit.reached', params: { limit: 2 } },
    })
    expect(fake.requests).toHaveLength(2)

    const limits = (await (
      await t.request('/api/admin/usage/limits', { cookie: admin.cookie })
    ).json()) as MessageLimitList
    expect(limits.users.find((u) => u.userId === user.userId)).toMatchObject({
      dailyMessages: 2,
      usedToday: 2,
    })

    await t.request(`/api/admin/usage/limits/${user.userId}`, {
      method: 'PUT',
      cookie: admin.cookie,
      json: { dailyMessages: null },
    })
    fake.enqueue(text('Three.'))
    const again = await postStream(t, user.cookie, {
      conversationId,
      message: userMessage('three'),
    })
    expect(again.res.status).toBe(200)
  })
})
