import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { ModelInfo, ModelList } from '../../../src/shared/models.ts'
import {
  type FakeOpenRouter,
  startFakeOpenRouter,
  text,
} from '../../fixtures/llm/fake-openrouter.ts'
import { registerUser, startApp, type TestApp } from '../../helpers/start-app.ts'
import { testConfig } from '../../helpers/test-config.ts'
import { createConversation, postStream, startChatApp, userMessage } from './chat-test-kit.ts'

// The model picker's data: the fake provider's real `/models` list, through the real app. The
// catalogue is cached per instance, so each behaviour that depends on what was fetched has its
// own app (and, for a provider that is down, its own fake).
const LLAMA = 'meta-llama/llama-3.1-8b-instruct'
const CLAUDE = 'anthropic/claude-3.5-sonnet'

let fake: FakeOpenRouter
let t: TestApp
beforeAll(async () => {
  fake = await startFakeOpenRouter()
  t = await startChatApp(fake)
}, 60_000)
afterAll(async () => {
  await t?.close()
  await fake?.close()
})
beforeEach(() => fake.reset())

async function models(app: TestApp, cookie: string): Promise<ModelList> {
  const res = await app.request('/api/chat/models', { cookie })
  expect(res.status, await res.clone().text()).toBe(200)
  return (await res.json()) as ModelList
}

const byId = (list: ModelList, id: string): ModelInfo | undefined =>
  list.models.find((model) => model.id === id)

const favouritePath = (id: string) => `/api/user/model-favourites/${encodeURIComponent(id)}`

describe('GET /api/chat/models', () => {
  it("lists the provider's catalogue with context, prices per million tokens and modalities, fetched once", async () => {
    const user = await registerUser(t)
    const list = await models(t, user.cookie)
    const fetched = fake.catalogRequests.length
    expect(fetched).toBeGreaterThan(0)
    expect(list.defaultModel).toBe('openai/gpt-4o-mini')
    expect(list.allowlist).toBe(false)
    expect(list.catalog).toMatchObject({ status: 'ok', error: null })
    // The configured (default) model first, then the catalogue by name.
    expect(list.models.map((m) => m.id)).toEqual(['openai/gpt-4o-mini', CLAUDE, LLAMA])
    expect(byId(list, 'openai/gpt-4o-mini')).toEqual({
      id: 'openai/gpt-4o-mini',
      label: 'OpenAI: GPT-4o-mini',
      contextLength: 128_000,
      pricing: { prompt: 0.15, completion: 0.6 },
      inputModalities: ['text', 'image', 'file'],
      favourite: false,
    })
    expect(byId(list, LLAMA)?.inputModalities).toEqual(['text'])

    // Cached: another request, by another user, does not reach the provider again.
    const other = await registerUser(t)
    expect(await models(t, other.cookie)).toEqual(list)
    expect(fake.catalogRequests.length).toBe(fetched)
  })

  it('offers a catalogue model the operator did not list: picked, and sent to the provider', async () => {
    const user = await registerUser(t)
    const conversationId = await createConversation(t, user.cookie)
    const patch = await t.request(`/api/conversations/${conversationId}`, {
      method: 'PATCH',
      cookie: user.cookie,
      json: { model: LLAMA },
    })
    expect(patch.status, await patch.clone().text()).toBe(200)
    expect((await patch.json()).model).toBe(LLAMA)
    fake.enqueue(text('Hi.'))
    const { res } = await postStream(t, user.cookie, {
      conversationId,
      message: userMessage('hello'),
    })
    expect(res.status).toBe(200)
    expect(fake.requests.at(-1)?.body.model).toBe(LLAMA)
  })

  it('refuses a model that is in neither the configured list nor the catalogue (400 naming it)', async () => {
    const user = await registerUser(t)
    const conversationId = await createConversation(t, user.cookie)
    const { res } = await postStream(t, user.cookie, {
      conversationId,
      model: 'nobody/no-such-model',
      message: userMessage('hello'),
    })
    expect(res.status).toBe(400)
    const body = await res.json()
    expect(body.error.code).toBe('validation_failed')
    expect(body.error.details.fields).toEqual([{ field: 'model', message: expect.any(String) }])
    expect(fake.requests).toHaveLength(0)
  })
})

describe('the allowlist (chat.models)', () => {
  let listed: TestApp
  beforeAll(async () => {
    const { chat } = testConfig({ OPENROUTER_API_KEY: 'k', OPENROUTER_BASE_URL: fake.baseUrl })
    listed = await startApp({
      config: {
        chat: {
          ...chat,
          models: [
            { id: CLAUDE, label: 'Claude (team)' },
            { id: 'openai/gpt-4o-mini', label: 'openai/gpt-4o-mini' },
            { id: 'local/not-in-catalogue', label: 'Local' },
          ],
          modelAllowlist: true,
          defaultModel: CLAUDE,
        },
      },
    })
  }, 60_000)
  afterAll(() => listed?.close())

  it('offers only the listed models, in their order, with the labels given and catalogue details', async () => {
    const user = await registerUser(listed)
    const list = await models(listed, user.cookie)
    expect(list.allowlist).toBe(true)
    expect(list.defaultModel).toBe(CLAUDE)
    expect(list.models.map((m) => [m.id, m.label])).toEqual([
      [CLAUDE, 'Claude (team)'],
      ['openai/gpt-4o-mini', 'OpenAI: GPT-4o-mini'],
      ['local/not-in-catalogue', 'Local'],
    ])
    expect(byId(list, CLAUDE)?.contextLength).toBe(200_000)
    expect(byId(list, 'local/not-in-catalogue')).toMatchObject({
      contextLength: null,
      pricing: null,
      inputModalities: null,
    })
  })

  it('refuses a catalogue model that is not listed, for a conversation and a stream alike', async () => {
    const user = await registerUser(listed)
    const conversationId = await createConversation(listed, user.cookie)
    const patch = await listed.request(`/api/conversations/${conversationId}`, {
      method: 'PATCH',
      cookie: user.cookie,
      json: { model: LLAMA },
    })
    expect(patch.status).toBe(400)
    expect((await patch.json()).error.details.fields[0].field).toBe('model')
    const { res } = await postStream(listed, user.cookie, {
      conversationId,
      model: LLAMA,
      message: userMessage('hello'),
    })
    expect(res.status).toBe(400)
    const star = await listed.request(favouritePath(LLAMA), { method: 'PUT', cookie: user.cookie })
    expect(star.status).toBe(400)
  })
})

describe('a provider whose catalogue cannot be fetched', () => {
  let down: FakeOpenRouter
  let app: TestApp
  beforeAll(async () => {
    down = await startFakeOpenRouter()
    down.failCatalog(503)
    app = await startChatApp(down)
  }, 60_000)
  afterAll(async () => {
    await app?.close()
    await down?.close()
  })

  it('still offers the configured models, says the catalogue is unavailable, and chats', async () => {
    const user = await registerUser(app)
    const list = await models(app, user.cookie)
    expect(list.models.map((m) => m.id)).toEqual(['openai/gpt-4o-mini'])
    expect(list.models[0]).toMatchObject({ label: 'openai/gpt-4o-mini', contextLength: null })
    expect(list.catalog.status).toBe('unavailable')
    expect(list.catalog.error).toMatch(/answered 503/)

    const conversationId = await createConversation(app, user.cookie)
    down.enqueue(text('Still here.'))
    const { res } = await postStream(app, user.cookie, {
      conversationId,
      model: 'openai/gpt-4o-mini',
      message: userMessage('hello'),
    })
    expect(res.status).toBe(200)
    expect(down.requests.at(-1)?.body.model).toBe('openai/gpt-4o-mini')
  })
})

describe('/api/user/model-favourites', () => {
  it("stars and un-stars models for one user only; another user's list is their own", async () => {
    const alice = await registerUser(t)
    const bob = await registerUser(t)
    for (const id of [CLAUDE, LLAMA]) {
      const res = await t.request(favouritePath(id), { method: 'PUT', cookie: alice.cookie })
      expect(res.status, await res.clone().text()).toBe(204)
    }
    // Starring again changes nothing.
    expect(
      (await t.request(favouritePath(CLAUDE), { method: 'PUT', cookie: alice.cookie })).status,
    ).toBe(204)
    const mine = await models(t, alice.cookie)
    expect(mine.models.filter((m) => m.favourite).map((m) => m.id)).toEqual([CLAUDE, LLAMA])
    const ids = await (
      await t.request('/api/user/model-favourites', { cookie: alice.cookie })
    ).json()
    expect(ids).toEqual({ modelIds: [CLAUDE, LLAMA] })

    const theirs = await models(t, bob.cookie)
    expect(theirs.models.some((m) => m.favourite)).toBe(false)
    expect(
      await (await t.request('/api/user/model-favourites', { cookie: bob.cookie })).json(),
    ).toEqual({ modelIds: [] })

    const unstar = await t.request(favouritePath(CLAUDE), {
      method: 'DELETE',
      cookie: alice.cookie,
    })
    expect(unstar.status).toBe(204)
    const after = await models(t, alice.cookie)
    expect(after.models.filter((m) => m.favourite).map((m) => m.id)).toEqual([LLAMA])
  })

  it('refuses to star a model that is not on offer (400 naming modelId), and needs a session', async () => {
    const user = await registerUser(t)
    const res = await t.request(favouritePath('nobody/no-such-model'), {
      method: 'PUT',
      cookie: user.cookie,
    })
    expect(res.status).toBe(400)
    expect((await res.json()).error.details.fields).toEqual([
      { field: 'modelId', message: expect.any(String) },
    ])
    expect((await t.request(favouritePath(CLAUDE), { method: 'PUT' })).status).toBe(401)
    expect((await t.request('/api/chat/models')).status).toBe(401)
  })
})

describe('GET /api/openapi.json', () => {
  it('documents the models, favourites and presets routes', async () => {
    const doc = await (await t.request('/api/openapi.json')).json()
    for (const path of [
      '/api/chat/models',
      '/api/user/model-favourites',
      '/api/user/model-favourites/{modelId}',
      '/api/user/presets',
      '/api/user/presets/{id}',
    ]) {
      expect(doc.paths, path).toHaveProperty([path])
    }
    expect(doc.components.schemas).toHaveProperty('ModelList')
    expect(doc.components.schemas).toHaveProperty('Preset')
  })
})
