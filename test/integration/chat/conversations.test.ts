import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type FakeOpenRouter,
  startFakeOpenRouter,
  text,
} from '../../fixtures/llm/fake-openrouter.ts'
import { registerUser, startApp, type TestApp } from '../../helpers/start-app.ts'
import { postStream, userMessage, waitForAnswer } from './chat-test-kit.ts'

// This app talks to an OpenAI-compatible endpoint (LLM_BASE_URL, as for Ollama or vLLM): the
// fake model on its `/v1` path.
const MODEL = 'llama3.1:8b'
let t: TestApp
let fake: FakeOpenRouter
beforeAll(async () => {
  fake = await startFakeOpenRouter()
  t = await startApp({
    env: { LLM_BASE_URL: `${fake.origin}/v1`, LLM_API_KEY: 'local-key', LLM_MODEL: MODEL },
  })
}, 60_000)
afterAll(async () => {
  await t?.close()
  await fake?.close()
})

async function create(cookie: string, json: Record<string, unknown> = {}) {
  const res = await t.request('/api/conversations', { method: 'POST', cookie, json })
  expect(res.status, await res.clone().text()).toBe(201)
  return res.json()
}

describe('conversations', () => {
  it('creates, lists (newest first, paged), renames, switches model and deletes', async () => {
    const { cookie } = await registerUser(t)
    const first = await create(cookie)
    expect(first).toMatchObject({ title: 'New conversation', model: null })
    const second = await create(cookie, { title: 'Trip planning', model: MODEL })
    expect(second).toMatchObject({ title: 'Trip planning', model: MODEL })

    const page = await (await t.request('/api/conversations?limit=1', { cookie })).json()
    expect(page.conversations.map((c: { id: string }) => c.id)).toEqual([second.id])
    const rest = await (
      await t.request(`/api/conversations?limit=1&cursor=${page.nextCursor}`, { cookie })
    ).json()
    expect(rest.conversations.map((c: { id: string }) => c.id)).toEqual([first.id])
    expect(rest.nextCursor).toBeNull()

    const renamed = await t.request(`/api/conversations/${first.id}`, {
      method: 'PATCH',
      cookie,
      json: { title: 'Renamed', model: MODEL },
    })
    expect(await renamed.json()).toMatchObject({ title: 'Renamed', model: MODEL })
    const reset = await t.request(`/api/conversations/${first.id}`, {
      method: 'PATCH',
      cookie,
      json: { model: null },
    })
    expect((await reset.json()).model).toBeNull()
    const detail = await (await t.request(`/api/conversations/${first.id}`, { cookie })).json()
    expect(detail).toMatchObject({ id: first.id, title: 'Renamed', messages: [] })
    const list = await (await t.request('/api/conversations', { cookie })).json()
    expect(list.conversations[0].id).toBe(first.id)

    const deleted = await t.request(`/api/conversations/${first.id}`, { method: 'DELETE', cookie })
    expect(deleted.status).toBe(204)
    expect((await t.request(`/api/conversations/${first.id}`, { cookie })).status).toBe(404)
  })

  it('refuses a model that is not on offer, and empty or unknown changes', async () => {
    const { cookie } = await registerUser(t)
    const bad = await t.request('/api/conversations', {
      method: 'POST',
      cookie,
      json: { model: 'someone/expensive' },
    })
    expect(bad.status).toBe(400)
    expect((await bad.json()).error.details.fields[0].field).toBe('model')
    const { id } = await create(cookie)
    for (const json of [{}, { title: '' }, { owner: 'x' }]) {
      const res = await t.request(`/api/conversations/${id}`, { method: 'PATCH', cookie, json })
      expect(res.status).toBe(400)
    }
    const cursor = await t.request('/api/conversations?cursor=nonsense', { cookie })
    expect(cursor.status).toBe(400)
  })

  it("answers 404 for another user's conversation, on every route", async () => {
    const owner = await registerUser(t)
    const other = await registerUser(t)
    const { id } = await create(owner.cookie)
    const cookie = other.cookie
    const attempts = [
      t.request(`/api/conversations/${id}`, { cookie }),
      t.request(`/api/conversations/${id}/messages`, { cookie }),
      t.request(`/api/conversations/${id}/tool-calls`, { cookie }),
      t.request(`/api/conversations/${id}`, { method: 'PATCH', cookie, json: { title: 'mine' } }),
      t.request(`/api/conversations/${id}`, { method: 'DELETE', cookie }),
    ]
    for (const res of await Promise.all(attempts)) expect(res.status).toBe(404)
    const list = await (await t.request('/api/conversations', { cookie })).json()
    expect(list.conversations).toEqual([])
    const mine = await (
      await t.request(`/api/conversations/${id}`, { cookie: owner.cookie })
    ).json()
    expect(mine.title).toBe('New conversation')
  })

  it('chats through an OpenAI-compatible endpoint, the whole list of messages accepted too', async () => {
    const { cookie } = await registerUser(t)
    const { id } = await create(cookie)
    fake.enqueue(text('Hi from ', 'llama'))
    // useChat's default transport sends every message; only the last one is read
    const { chunks } = await postStream(t, cookie, {
      conversationId: id,
      id,
      trigger: 'submit-message',
      messages: [userMessage('ignored'), userMessage('hello llama')],
    })
    expect(chunks.some((c) => c.type === 'error')).toBe(false)
    const request = fake.requests.at(-1)
    expect(request?.path).toBe('/v1/chat/completions')
    expect(request?.authorization).toBe('Bearer local-key')
    expect(request?.body.model).toBe(MODEL)
    expect(request?.body.messages.map((m) => m.role)).toEqual(['system', 'user'])
    const messages = await waitForAnswer(t, cookie, id, 2)
    expect(messages[0]?.parts).toEqual([{ type: 'text', text: 'hello llama' }])
    expect(messages[1]?.metadata).toMatchObject({ model: MODEL, status: 'complete' })
    const config = await (await t.request('/api/chat/config', { cookie })).json()
    expect(config).toMatchObject({ provider: 'openai-compatible', defaultModel: MODEL })
  })

  it('answers one request at a time per conversation, and frees it when the answer ends', async () => {
    const { cookie } = await registerUser(t)
    const { id } = await create(cookie)
    const other = await create(cookie)
    const send = (conversationId: string, words: string) =>
      t.request('/api/chat/stream', {
        method: 'POST',
        cookie,
        json: {
          conversationId,
          id: conversationId,
          trigger: 'submit-message',
          messages: [userMessage(words)],
        },
      })
    fake.enqueue({ ...text('one ', 'word ', 'at ', 'a ', 'time'), delayMs: 150 })
    const first = await send(id, 'tell me slowly')
    expect(first.status).toBe(200)

    // Meanwhile: the same conversation is busy, another one is not.
    const second = await send(id, 'and another thing')
    expect(second.status).toBe(409)
    expect((await second.json()).error).toMatchObject({ code: 'busy' })
    fake.enqueue(text('elsewhere'))
    const elsewhere = await send(other.id, 'hello')
    expect(elsewhere.status).toBe(200)
    await elsewhere.text()

    await first.text()
    await waitForAnswer(t, cookie, id, 2)
    fake.enqueue(text('now'))
    const third = await send(id, 'and another thing')
    expect(third.status).toBe(200)
    await third.text()
    const messages = await waitForAnswer(t, cookie, id, 4)
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant'])
  })

  it('documents its routes in the OpenAPI document', async () => {
    const doc = await (await t.request('/api/openapi.json')).json()
    for (const path of [
      '/api/chat/stream',
      '/api/chat/config',
      '/api/conversations',
      '/api/conversations/{id}',
      '/api/conversations/{id}/messages',
      '/api/conversations/{id}/tool-calls',
    ]) {
      expect(doc.paths[path], path).toBeDefined()
    }
  })

  it('needs a signed-in user', async () => {
    expect((await t.request('/api/conversations')).status).toBe(401)
    expect((await t.request('/api/chat/config')).status).toBe(401)
    const res = await t.request('/api/chat/stream', { method: 'POST', json: {} })
    expect(res.status).toBe(401)
  })
})
