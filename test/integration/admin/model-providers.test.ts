import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createApp } from '../../../src/server/app.ts'
import { type BuiltDeps, buildDeps } from '../../../src/server/deps.ts'
import type {
  ModelProviderList,
  ModelProviderTest,
  ModelProviderView,
} from '../../../src/shared/model-providers.ts'
import type { ModelList } from '../../../src/shared/models.ts'
import {
  type FakeOpenRouter,
  startFakeOpenRouter,
  text,
} from '../../fixtures/llm/fake-openrouter.ts'
import { closedPortUrl } from '../../helpers/closed-port.ts'
import { LOOPBACK_POLICY } from '../../helpers/mcp-servers.ts'
import { registerUser, startApp, type TestApp } from '../../helpers/start-app.ts'
import {
  createConversation,
  postStream,
  storedMessages,
  userMessage,
} from '../chat/chat-test-kit.ts'

// Model providers set in the admin UI, end to end through the real app: the fake model server
// stands in for OpenRouter and for an OpenAI-compatible endpoint (it serves both paths).
const LOCAL = 'llama3.1:8b'

type User = Awaited<ReturnType<typeof registerUser>>

async function json<T>(res: Response, status: number): Promise<T> {
  expect(res.status, await res.clone().text()).toBe(status)
  return (await res.json()) as T
}

function addProvider(t: TestApp, cookie: string, body: Record<string, unknown>) {
  return t.request('/api/admin/model-providers', { method: 'POST', cookie, json: body })
}

async function models(t: TestApp, cookie: string): Promise<ModelList> {
  return json<ModelList>(await t.request('/api/chat/models', { cookie }), 200)
}

describe('admin model providers (no provider in the environment)', () => {
  let fake: FakeOpenRouter
  let t: TestApp
  let admin: User
  let member: User
  beforeAll(async () => {
    fake = await startFakeOpenRouter()
    t = await startApp({ config: { ssrf: LOOPBACK_POLICY } })
    admin = await registerUser(t)
    member = await registerUser(t)
  }, 60_000)
  afterAll(async () => {
    await t?.close()
    await fake?.close()
  })
  beforeEach(() => fake.reset())

  it('refuses members (403) and strangers (401)', async () => {
    for (const [path, method] of [
      ['/api/admin/model-providers', 'GET'],
      ['/api/admin/model-providers', 'POST'],
      ['/api/admin/model-settings', 'PATCH'],
      ['/api/admin/model-providers/00000000-0000-4000-8000-000000000000/test', 'POST'],
    ] as const) {
      const res = await t.request(path, {
        method,
        cookie: member.cookie,
        ...(method === 'GET' ? {} : { json: {} }),
      })
      expect(res.status, `${method} ${path}`).toBe(403)
      expect((await res.json()).error.code).toBe('forbidden')
    }
    expect((await t.request('/api/admin/model-providers')).status).toBe(401)
  })

  it('validates with 400 naming the field, and answers 404 for an unknown id', async () => {
    const bad = await json<{ error: { code: string; details: { fields: { field: string }[] } } }>(
      await addProvider(t, admin.cookie, { kind: 'openai-compatible', name: 'x', baseUrl: 'nope' }),
      400,
    )
    expect(bad.error.details.fields.map((f) => f.field)).toContain('baseUrl')
    const noUrl = await json<{ error: { details: { fields: { field: string }[] } } }>(
      await addProvider(t, admin.cookie, { kind: 'openai-compatible', name: 'x' }),
      400,
    )
    expect(noUrl.error.details.fields[0]?.field).toBe('baseUrl')
    const noKey = await json<{ error: { details: { fields: { field: string }[] } } }>(
      await addProvider(t, admin.cookie, { kind: 'openrouter', name: 'OR' }),
      400,
    )
    expect(noKey.error.details.fields[0]?.field).toBe('apiKey')
    const kind = await addProvider(t, admin.cookie, { kind: 'anthropic', name: 'x' })
    expect(kind.status).toBe(400)
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      const patch = await t.request(`/api/admin/model-providers/${id}`, {
        method: 'PATCH',
        cookie: admin.cookie,
        json: { name: 'y' },
      })
      expect(patch.status).toBe(404)
      const del = await t.request(`/api/admin/model-providers/${id}`, {
        method: 'DELETE',
        cookie: admin.cookie,
      })
      expect(del.status).toBe(404)
      const test = await t.request(`/api/admin/model-providers/${id}/test`, {
        method: 'POST',
        cookie: admin.cookie,
      })
      expect(test.status).toBe(404)
    }
  })

  it('stores the key encrypted and never returns it; name taken is 409; delete removes it', async () => {
    const secret = 'sk-local-very-secret-123'
    const created = await json<ModelProviderView>(
      await addProvider(t, admin.cookie, {
        kind: 'openai-compatible',
        name: 'Secret box',
        baseUrl: `${fake.origin}/v1`,
        apiKey: secret,
        models: [{ id: 'secret-model', label: 'Secret' }],
      }),
      201,
    )
    expect(created).toMatchObject({ hasApiKey: true, source: 'admin', kind: 'openai-compatible' })
    expect(JSON.stringify(created)).not.toContain(secret)
    const list = await t.request('/api/admin/model-providers', { cookie: admin.cookie })
    expect(await list.clone().text()).not.toContain(secret)
    const row = await t.deps.db
      .selectFrom('model_providers')
      .selectAll()
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow()
    expect(JSON.stringify(row)).not.toContain(secret)
    expect(row.api_key).toMatch(/^v1\./)
    expect(t.deps.box.open(null, row.api_key as string)).toBe(secret)

    const taken = await addProvider(t, admin.cookie, {
      kind: 'openai-compatible',
      name: 'Secret box',
      baseUrl: `${fake.origin}/v1`,
    })
    expect(taken.status).toBe(409)
    expect((await taken.json()).error.code).toBe('name_taken')

    // A model id belongs to one provider.
    const twice = await json<{ error: { details: { fields: { field: string }[] } } }>(
      await addProvider(t, admin.cookie, {
        kind: 'openai-compatible',
        name: 'Other',
        baseUrl: `${fake.origin}/v1`,
        models: [{ id: 'secret-model' }],
      }),
      400,
    )
    expect(twice.error.details.fields[0]?.field).toBe('models.0.id')

    // Removing the key: null.
    const cleared = await json<ModelProviderView>(
      await t.request(`/api/admin/model-providers/${created.id}`, {
        method: 'PATCH',
        cookie: admin.cookie,
        json: { apiKey: null },
      }),
      200,
    )
    expect(cleared.hasApiKey).toBe(false)
    const del = await t.request(`/api/admin/model-providers/${created.id}`, {
      method: 'DELETE',
      cookie: admin.cookie,
    })
    expect(del.status).toBe(204)
    const after = await json<ModelProviderList>(
      await t.request('/api/admin/model-providers', { cookie: admin.cookie }),
      200,
    )
    expect(after.providers.map((p) => p.id)).not.toContain(created.id)
    // Each change is in the audit log, under the admin, and never with the key.
    const audit = await t.request(`/api/admin/audit?userId=${admin.userId}`, {
      cookie: admin.cookie,
    })
    const auditText = await audit.text()
    expect(auditText).not.toContain(secret)
    const actions = (
      JSON.parse(auditText) as { entries: { action: string; targetId: string }[] }
    ).entries
      .filter((entry) => entry.targetId === created.id)
      .map((entry) => entry.action)
    expect(actions).toEqual([
      'admin.model_provider_removed',
      'admin.model_provider_changed',
      'admin.model_provider_added',
    ])
  })

  it("tests a provider: lists the fake's models, or says in words why it cannot", async () => {
    const ok = await json<ModelProviderView>(
      await addProvider(t, admin.cookie, {
        kind: 'openai-compatible',
        name: 'Testable',
        baseUrl: `${fake.origin}/v1`,
      }),
      201,
    )
    const result = await json<ModelProviderTest>(
      await t.request(`/api/admin/model-providers/${ok.id}/test`, {
        method: 'POST',
        cookie: admin.cookie,
      }),
      200,
    )
    expect(result.ok).toBe(true)
    expect(result.models.map((m) => m.id)).toContain('openai/gpt-4o-mini')
    expect(fake.catalogRequests.at(-1)).toBe('/v1/models')

    const down = await json<ModelProviderView>(
      await addProvider(t, admin.cookie, {
        kind: 'openai-compatible',
        name: 'Down',
        baseUrl: await closedPortUrl('/v1'),
      }),
      201,
    )
    const failed = await json<ModelProviderTest>(
      await t.request(`/api/admin/model-providers/${down.id}/test`, {
        method: 'POST',
        cookie: admin.cookie,
      }),
      200,
    )
    expect(failed.ok).toBe(false)
    expect(failed.error?.message).toMatch(/connection refused/i)
    expect(failed.error?.reason?.key).toBe('upstream.connectionRefused')

    const notFound = await json<ModelProviderView>(
      await addProvider(t, admin.cookie, {
        kind: 'openai-compatible',
        name: 'Wrong path',
        baseUrl: `${fake.origin}/nope`,
      }),
      201,
    )
    const wrong = await json<ModelProviderTest>(
      await t.request(`/api/admin/model-providers/${notFound.id}/test`, {
        method: 'POST',
        cookie: admin.cookie,
      }),
      200,
    )
    expect(wrong.error).toMatchObject({
      reason: { key: 'modelProvider.http', params: { status: 404 } },
    })
  })

  it('refuses a provider on a private address the operator did not allow (SSRF guard)', async () => {
    const strict = await startApp()
    const catalogRequests = fake.catalogRequests.length
    try {
      const boss = await registerUser(strict)
      const created = await json<ModelProviderView>(
        await addProvider(strict, boss.cookie, {
          kind: 'openai-compatible',
          name: 'Loopback',
          baseUrl: `${fake.origin}/v1`,
        }),
        201,
      )
      const result = await json<ModelProviderTest>(
        await strict.request(`/api/admin/model-providers/${created.id}/test`, {
          method: 'POST',
          cookie: boss.cookie,
        }),
        200,
      )
      expect(result.ok).toBe(false)
      expect(result.error?.reason?.key).toMatch(/^upstream\.ssrf\./)
      expect(fake.catalogRequests.length).toBe(catalogRequests)
    } finally {
      await strict.close()
    }
  })

  it('answers a new conversation through an OpenAI-compatible provider added here', async () => {
    const created = await json<ModelProviderView>(
      await addProvider(t, admin.cookie, {
        kind: 'openai-compatible',
        name: 'Local LLM',
        baseUrl: `${fake.origin}/v1`,
        apiKey: 'local-key',
        models: [{ id: LOCAL, label: 'Llama (local)' }],
      }),
      201,
    )
    const settings = await t.request('/api/admin/model-settings', {
      method: 'PATCH',
      cookie: admin.cookie,
      json: { defaultModel: LOCAL },
    })
    expect(settings.status, await settings.clone().text()).toBe(200)
    expect((await settings.json()).defaultModel).toBe(LOCAL)

    const list = await models(t, member.cookie)
    expect(list.defaultModel).toBe(LOCAL)
    expect(list.models.find((m) => m.id === LOCAL)?.label).toBe('Llama (local)')
    const config = await json<{ providerConfigured: boolean }>(
      await t.request('/api/chat/config', { cookie: member.cookie }),
      200,
    )
    expect(config.providerConfigured).toBe(true)

    fake.enqueue(text('Hello from ', 'the local model.'))
    const conversationId = await createConversation(t, member.cookie)
    const { res } = await postStream(t, member.cookie, {
      conversationId,
      message: userMessage('Hi?'),
    })
    expect(res.status).toBe(200)
    expect(fake.requests).toHaveLength(1)
    expect(fake.requests[0]?.path).toBe('/v1/chat/completions')
    expect(fake.requests[0]?.body.model).toBe(LOCAL)
    expect(fake.requests[0]?.authorization).toBe('Bearer local-key')
    const stored = await storedMessages(t, member.cookie, conversationId)
    expect(stored.at(-1)?.metadata).toMatchObject({ model: LOCAL, status: 'complete' })

    // A model no provider offers is refused.
    const other = await postStream(t, member.cookie, {
      conversationId: await createConversation(t, member.cookie),
      message: userMessage('Hi?'),
      model: 'openai/gpt-4o-mini',
    })
    expect(other.res.status).toBe(400)

    await t.request(`/api/admin/model-providers/${created.id}`, {
      method: 'DELETE',
      cookie: admin.cookie,
    })
    expect((await models(t, member.cookie)).models.map((m) => m.id)).not.toContain(LOCAL)
  })
})

describe('environment variables win', () => {
  let fake: FakeOpenRouter
  let t: TestApp
  let admin: User
  let alice: User
  let bob: User
  beforeAll(async () => {
    fake = await startFakeOpenRouter()
    t = await startApp({
      config: { ssrf: LOOPBACK_POLICY },
      env: {
        OPENROUTER_API_KEY: 'sk-or-operator',
        OPENROUTER_BASE_URL: fake.baseUrl,
        LLM_MODEL: 'openai/gpt-4o-mini',
      },
    })
    admin = await registerUser(t)
    alice = await registerUser(t)
    bob = await registerUser(t)
  }, 60_000)
  afterAll(async () => {
    await t?.close()
    await fake?.close()
  })
  beforeEach(() => fake.reset())

  it('shows the environment provider and default as such, and refuses to change them (409)', async () => {
    const list = await json<ModelProviderList>(
      await t.request('/api/admin/model-providers', { cookie: admin.cookie }),
      200,
    )
    expect(list.providers[0]).toMatchObject({
      id: 'environment',
      kind: 'openrouter',
      source: 'environment',
      hasApiKey: true,
    })
    expect(JSON.stringify(list)).not.toContain('sk-or-operator')
    expect(list.settings).toMatchObject({
      defaultModel: 'openai/gpt-4o-mini',
      defaultModelSource: 'environment',
    })
    for (const [method, json] of [
      ['PATCH', { name: 'mine' }],
      ['DELETE', undefined],
    ] as const) {
      const res = await t.request('/api/admin/model-providers/environment', {
        method,
        cookie: admin.cookie,
        ...(json ? { json } : {}),
      })
      expect(res.status).toBe(409)
      expect((await res.json()).error.code).toBe('set_by_environment')
    }
    const openrouter = await addProvider(t, admin.cookie, {
      kind: 'openrouter',
      name: 'Mine',
      apiKey: 'sk-or-admin',
    })
    expect(openrouter.status).toBe(409)
    const setDefault = await t.request('/api/admin/model-settings', {
      method: 'PATCH',
      cookie: admin.cookie,
      json: { defaultModel: 'anthropic/claude-3.5-sonnet' },
    })
    expect(setDefault.status).toBe(409)
    expect((await setDefault.json()).error.code).toBe('set_by_environment')

    // Testing the environment's provider works (trusted: the operator set it).
    const tested = await json<ModelProviderTest>(
      await t.request('/api/admin/model-providers/environment/test', {
        method: 'POST',
        cookie: admin.cookie,
      }),
      200,
    )
    expect(tested.ok).toBe(true)
  })

  it("uses a user's own OpenRouter key for their conversations only, once the admin allows it", async () => {
    const refused = await t.request('/api/user/model-key', {
      method: 'PUT',
      cookie: alice.cookie,
      json: { apiKey: 'sk-or-alice' },
    })
    expect(refused.status).toBe(403)
    const allow = await t.request('/api/admin/model-settings', {
      method: 'PATCH',
      cookie: admin.cookie,
      json: { userKeysAllowed: true },
    })
    expect(allow.status).toBe(200)
    const set = await json<{ allowed: boolean; hasKey: boolean }>(
      await t.request('/api/user/model-key', {
        method: 'PUT',
        cookie: alice.cookie,
        json: { apiKey: 'sk-or-alice' },
      }),
      200,
    )
    expect(set).toEqual({ allowed: true, hasKey: true })
    const row = await t.deps.db
      .selectFrom('user_model_settings')
      .selectAll()
      .where('user_id', '=', alice.userId)
      .executeTakeFirstOrThrow()
    expect(JSON.stringify(row)).not.toContain('sk-or-alice')
    expect(
      await (await t.request('/api/user/model-key', { cookie: alice.cookie })).text(),
    ).not.toContain('sk-or-alice')

    fake.enqueue(text('For Alice.'), text('For Bob.'))
    for (const user of [alice, bob]) {
      const { res } = await postStream(t, user.cookie, {
        conversationId: await createConversation(t, user.cookie),
        message: userMessage('Hi'),
      })
      expect(res.status).toBe(200)
    }
    expect(fake.requests.map((r) => r.authorization)).toEqual([
      'Bearer sk-or-alice',
      'Bearer sk-or-operator',
    ])

    // Switched off again: Alice's key rests unused.
    await t.request('/api/admin/model-settings', {
      method: 'PATCH',
      cookie: admin.cookie,
      json: { userKeysAllowed: false },
    })
    fake.enqueue(text('Operator pays.'))
    await postStream(t, alice.cookie, {
      conversationId: await createConversation(t, alice.cookie),
      message: userMessage('Hi'),
    })
    expect(fake.requests.at(-1)?.authorization).toBe('Bearer sk-or-operator')
    const removed = await t.request('/api/user/model-key', {
      method: 'DELETE',
      cookie: alice.cookie,
    })
    expect(removed.status).toBe(204)
  })
})

const redisUrl = process.env.TEST_REDIS_URL
const postgres = Boolean(process.env.TEST_DATABASE_URL)

describe.skipIf(!redisUrl || !postgres)('two instances on PostgreSQL + Redis', () => {
  let fake: FakeOpenRouter
  let a: TestApp
  let b: BuiltDeps
  let appB: ReturnType<typeof createApp>
  beforeAll(async () => {
    fake = await startFakeOpenRouter()
    a = await startApp({ config: { ssrf: LOOPBACK_POLICY, redisUrl: redisUrl as string } })
    b = await buildDeps({ ...a.deps.config }, { database: a.database })
    appB = createApp(b.deps)
  }, 60_000)
  afterAll(async () => {
    await b?.close()
    await a?.close()
    await fake?.close()
  })

  it('a provider added on one instance is on offer on the other at once', async () => {
    const admin = await registerUser(a)
    const onB = async () =>
      (
        (await (
          await appB.request('/api/chat/models', { headers: { cookie: admin.cookie } })
        ).json()) as ModelList
      ).models.map((m) => m.id)
    // B has read (and cached) the setup before the change.
    expect(await onB()).not.toContain(LOCAL)
    const created = await addProvider(a, admin.cookie, {
      kind: 'openai-compatible',
      name: 'Shared local',
      baseUrl: `${fake.origin}/v1`,
      models: [{ id: LOCAL }],
    })
    expect(created.status).toBe(201)
    // Well within the cache's 30 s: the change travels through Redis.
    await expect.poll(onB, { timeout: 5_000, interval: 50 }).toContain(LOCAL)
  })
})
