import { pino } from 'pino'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createModelCatalog } from '../../../src/server/chat/model-catalog.ts'
import type { Config } from '../../../src/server/config/config.ts'
import {
  DEFAULT_CATALOG,
  type FakeOpenRouter,
  startFakeOpenRouter,
} from '../../fixtures/llm/fake-openrouter.ts'
import { closedPortUrl } from '../../helpers/closed-port.ts'

// The catalogue on its own: the real fetch against the fake provider's `/models`, with a clock
// the test moves instead of waiting ten minutes.
let fake: FakeOpenRouter
beforeAll(async () => {
  fake = await startFakeOpenRouter()
})
afterAll(() => fake?.close())
beforeEach(() => {
  fake.catalogRequests.length = 0
  fake.setCatalog(DEFAULT_CATALOG)
  fake.failCatalog(null)
})

const log = pino({ level: 'silent' })

function clock(start = Date.parse('2026-12-01T10:00:00Z')) {
  let at = start
  return { now: () => new Date(at), advance: (ms: number) => (at += ms) }
}

function openRouter(): Config['chat']['provider'] {
  return { kind: 'openrouter', apiKey: 'sk-or-test', baseUrl: fake.baseUrl }
}

describe('model catalogue', () => {
  it("reads OpenRouter's list: names, context, prices per million tokens, input modalities", async () => {
    const time = clock()
    const catalog = createModelCatalog({ chat: { provider: openRouter() }, log, now: time.now })
    const snapshot = await catalog.get()
    expect(snapshot.error).toBeNull()
    expect(snapshot.fetchedAt?.toISOString()).toBe('2026-12-01T10:00:00.000Z')
    expect(snapshot.models?.find((m) => m.id === 'openai/gpt-4o-mini')).toEqual({
      id: 'openai/gpt-4o-mini',
      name: 'OpenAI: GPT-4o-mini',
      contextLength: 128_000,
      pricing: { prompt: 0.15, completion: 0.6 },
      inputModalities: ['text', 'image', 'file'],
    })
    expect(fake.catalogRequests).toEqual(['/api/v1/models'])
  })

  it('fetches once per ten minutes, and once for callers that ask together', async () => {
    const time = clock()
    const catalog = createModelCatalog({ chat: { provider: openRouter() }, log, now: time.now })
    await Promise.all([catalog.get(), catalog.get(), catalog.get()])
    time.advance(9 * 60_000)
    await catalog.get()
    expect(fake.catalogRequests).toHaveLength(1)
    time.advance(2 * 60_000)
    await catalog.get()
    expect(fake.catalogRequests).toHaveLength(2)
  })

  it('keeps the last good list when the provider fails, says why, and tries again later', async () => {
    const time = clock()
    const catalog = createModelCatalog({ chat: { provider: openRouter() }, log, now: time.now })
    const good = await catalog.get()
    fake.failCatalog(503)
    time.advance(11 * 60_000)
    const failed = await catalog.get()
    expect(failed.models).toEqual(good.models)
    expect(failed.fetchedAt).toEqual(good.fetchedAt)
    expect(failed.error).toMatch(/answered 503/)
    // Not asked again at once: a provider that is down must not slow every request.
    await catalog.get()
    expect(fake.catalogRequests).toHaveLength(2)
    fake.failCatalog(null)
    fake.setCatalog([{ id: 'fresh/model', name: 'Fresh' }])
    time.advance(61_000)
    const recovered = await catalog.get()
    expect(recovered.error).toBeNull()
    expect(recovered.models?.map((m) => m.id)).toEqual(['fresh/model'])
  })

  it('reads an OpenAI-compatible /v1/models list (ids only) from LLM_BASE_URL', async () => {
    const catalog = createModelCatalog({
      chat: {
        provider: { kind: 'openai-compatible', baseUrl: `${fake.origin}/v1/`, apiKey: null },
      },
      log,
      now: () => new Date(),
    })
    const snapshot = await catalog.get()
    expect(fake.catalogRequests).toEqual(['/v1/models'])
    expect(snapshot.models).toContainEqual({
      id: 'anthropic/claude-3.5-sonnet',
      name: null,
      contextLength: null,
      pricing: null,
      inputModalities: null,
    })
  })

  it('leaves out models that cannot chat and prices that are not prices', async () => {
    fake.setCatalog([
      { id: 'maker/painter', output: ['image'] },
      { id: 'openrouter/auto', name: 'Auto Router', prompt: '-1', completion: '-1' },
    ])
    const catalog = createModelCatalog({
      chat: { provider: openRouter() },
      log,
      now: () => new Date(),
    })
    const { models } = await catalog.get()
    expect(models?.map((m) => [m.id, m.pricing])).toEqual([['openrouter/auto', null]])
  })

  it('reports an unreachable provider without a list, and nothing at all without a provider', async () => {
    const baseUrl = await closedPortUrl('/v1')
    const down = createModelCatalog({
      chat: { provider: { kind: 'openai-compatible', baseUrl, apiKey: null } },
      log,
      now: () => new Date(),
    })
    const snapshot = await down.get()
    expect(snapshot.models).toBeNull()
    expect(snapshot.error).toBe(`the model provider could not be reached at ${baseUrl}/models`)
    const none = createModelCatalog({ chat: { provider: null }, log, now: () => new Date() })
    expect(await none.get()).toEqual({ models: null, fetchedAt: null, error: null })
  })
})
