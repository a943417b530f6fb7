import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { Preset } from '../../../src/shared/presets.ts'
import {
  type FakeOpenRouter,
  startFakeOpenRouter,
  text,
} from '../../fixtures/llm/fake-openrouter.ts'
import { type RunningHttp, startEverything } from '../../helpers/mcp-servers.ts'
import { registerUser, type TestApp } from '../../helpers/start-app.ts'
import {
  addServer,
  createConversation,
  postStream,
  startChatApp,
  userMessage,
  userWithServer,
} from './chat-test-kit.ts'

// A conversation's own instructions and servers, and presets of them, through the real app with
// a real server-everything and the fake model (which records what it was sent).
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

const CLAUDE = 'anthropic/claude-3.5-sonnet'

/** A user with two servers (`evN` and `evN-b`, both server-everything) and a conversation. */
async function userWithTwoServers() {
  const u = await userWithServer(t, everything.url)
  const second = await addServer(t, u.cookie, { name: `${u.name}-b`, url: everything.url })
  return { ...u, second, secondName: `${u.name}-b` }
}

async function patchConversation(cookie: string, id: string, json: Record<string, unknown>) {
  return t.request(`/api/conversations/${id}`, { method: 'PATCH', cookie, json })
}

async function ask(cookie: string, conversationId: string, extra: Record<string, unknown> = {}) {
  fake.enqueue(text('Done.'))
  const { res } = await postStream(t, cookie, {
    conversationId,
    message: userMessage('hello'),
    ...extra,
  })
  expect(res.status, res.status === 200 ? '' : await res.text()).toBe(200)
  return fake.requests.at(-1)
}

/** The text of the system message of a recorded request (a string, or OpenRouter's text parts). */
function systemText(
  request: { body: { messages: { role: string; content?: unknown }[] } } | undefined,
) {
  const content = request?.body.messages.find((m) => m.role === 'system')?.content
  if (typeof content === 'string') return content
  return ((content ?? []) as { text?: string }[]).map((part) => part.text ?? '').join('')
}

async function createPreset(cookie: string, json: Record<string, unknown>) {
  return t.request('/api/user/presets', { method: 'POST', cookie, json })
}

describe('conversation instructions', () => {
  it("reach the model as its system message, after the operator's prompt", async () => {
    const u = await userWithServer(t, everything.url)
    const res = await patchConversation(u.cookie, u.conversationId, {
      instructions: 'Answer like a pirate.',
    })
    expect(res.status, await res.clone().text()).toBe(200)
    expect(await res.json()).toMatchObject({
      instructions: 'Answer like a pirate.',
      serverIds: null,
    })

    const request = await ask(u.cookie, u.conversationId)
    expect(request?.body.messages[0]?.role).toBe('system')
    const content = systemText(request)
    expect(content).toMatch(/^You are a helpful assistant\./)
    expect(content.indexOf('Answer like a pirate.')).toBeGreaterThan(
      content.indexOf('never follow instructions'),
    )
    expect(request?.body.messages.filter((m) => m.role === 'system')).toHaveLength(1)

    // Blank instructions are none: the operator's prompt alone.
    await patchConversation(u.cookie, u.conversationId, { instructions: '   ' })
    const again = await ask(u.cookie, u.conversationId)
    expect(systemText(again)).not.toMatch(/pirate|user's instructions/)
  })

  it('are kept with the conversation and returned by GET', async () => {
    const u = await userWithServer(t, everything.url)
    await patchConversation(u.cookie, u.conversationId, { instructions: 'Be brief.' })
    const detail = await (
      await t.request(`/api/conversations/${u.conversationId}`, { cookie: u.cookie })
    ).json()
    expect(detail.instructions).toBe('Be brief.')
  })
})

describe("a conversation's servers", () => {
  it('offer the model only the tools of the servers chosen (none for an empty list)', async () => {
    const u = await userWithTwoServers()
    const all = await ask(u.cookie, u.conversationId)
    const names = (all?.body.tools ?? []).map((tool) => tool.function.name)
    expect(names).toContain(`${u.name}__echo`)
    expect(names).toContain(`${u.secondName}__echo`)

    const res = await patchConversation(u.cookie, u.conversationId, { serverIds: [u.second.id] })
    expect(res.status, await res.clone().text()).toBe(200)
    expect((await res.json()).serverIds).toEqual([u.second.id])
    await ask(u.cookie, u.conversationId)
    const only = fake.toolNames()
    expect(only).toContain(`${u.secondName}__echo`)
    expect(only.every((name) => name.startsWith(`${u.secondName}__`))).toBe(true)

    await patchConversation(u.cookie, u.conversationId, { serverIds: [] })
    const none = await ask(u.cookie, u.conversationId)
    expect(none?.body.tools ?? []).toEqual([])

    await patchConversation(u.cookie, u.conversationId, { serverIds: null })
    await ask(u.cookie, u.conversationId)
    expect(fake.toolNames()).toEqual(names)
  })

  it("refuses another user's server, and an id that is not a uuid (400 naming the field)", async () => {
    const owner = await userWithServer(t, everything.url)
    const other = await userWithServer(t, everything.url)
    const theirs = await patchConversation(other.cookie, other.conversationId, {
      serverIds: [other.server.id, owner.server.id],
    })
    expect(theirs.status).toBe(400)
    expect((await theirs.json()).error.details.fields).toEqual([
      { field: 'serverIds.1', message: 'no such server' },
    ])
    const bad = await patchConversation(other.cookie, other.conversationId, {
      serverIds: ['nope'],
      instructions: 'x'.repeat(20_001),
    })
    expect(bad.status).toBe(400)
    const fields = (await bad.json()).error.details.fields.map((f: { field: string }) => f.field)
    expect(fields).toEqual(expect.arrayContaining(['serverIds.0', 'instructions']))
  })
})

describe('/api/user/presets', () => {
  it('creates, lists, reads, changes and deletes presets', async () => {
    const u = await userWithServer(t, everything.url)
    const created = await createPreset(u.cookie, {
      name: 'Pirate helper',
      model: CLAUDE,
      instructions: 'Answer like a pirate.',
      serverIds: [u.server.id],
    })
    expect(created.status, await created.clone().text()).toBe(201)
    const preset = (await created.json()) as Preset
    expect(preset).toMatchObject({
      name: 'Pirate helper',
      model: CLAUDE,
      instructions: 'Answer like a pirate.',
      serverIds: [u.server.id],
    })
    const minimal = await createPreset(u.cookie, { name: 'all defaults' })
    expect(await minimal.json()).toMatchObject({ model: null, instructions: null, serverIds: null })

    const list = await (await t.request('/api/user/presets', { cookie: u.cookie })).json()
    expect(list.presets.map((p: Preset) => p.name)).toEqual(['all defaults', 'Pirate helper'])

    const path = `/api/user/presets/${preset.id}`
    expect(await (await t.request(path, { cookie: u.cookie })).json()).toEqual(preset)
    const changed = await t.request(path, {
      method: 'PATCH',
      cookie: u.cookie,
      json: { name: 'Parrot', model: null, serverIds: null },
    })
    expect(changed.status).toBe(200)
    expect(await changed.json()).toMatchObject({
      name: 'Parrot',
      model: null,
      instructions: 'Answer like a pirate.',
      serverIds: null,
    })
    expect((await t.request(path, { method: 'DELETE', cookie: u.cookie })).status).toBe(204)
    expect((await t.request(path, { cookie: u.cookie })).status).toBe(404)
  })

  it("answers 404 for another user's preset, whatever the method", async () => {
    const owner = await registerUser(t)
    const other = await registerUser(t)
    const preset = (await (await createPreset(owner.cookie, { name: 'mine' })).json()) as Preset
    const path = `/api/user/presets/${preset.id}`
    expect((await t.request(path, { cookie: other.cookie })).status).toBe(404)
    const patch = await t.request(path, {
      method: 'PATCH',
      cookie: other.cookie,
      json: { name: 'x' },
    })
    expect(patch.status).toBe(404)
    expect((await t.request(path, { method: 'DELETE', cookie: other.cookie })).status).toBe(404)
    const list = await (await t.request('/api/user/presets', { cookie: other.cookie })).json()
    expect(list.presets).toEqual([])
    // Nor can a conversation start from it.
    const start = await t.request('/api/conversations', {
      method: 'POST',
      cookie: other.cookie,
      json: { presetId: preset.id },
    })
    expect(start.status).toBe(404)
    expect((await t.request(path, { cookie: owner.cookie })).status).toBe(200)
  })

  it('refuses bad input with 400 naming each field, and a taken name with 409', async () => {
    const u = await registerUser(t)
    const bad = await createPreset(u.cookie, {
      name: ' ',
      serverIds: ['not-a-uuid'],
      colour: 'red',
    })
    expect(bad.status).toBe(400)
    const fields = (await bad.json()).error.details.fields.map((f: { field: string }) => f.field)
    expect(fields).toEqual(expect.arrayContaining(['name', 'serverIds.0', 'colour']))

    const model = await createPreset(u.cookie, { name: 'x', model: 'nobody/no-such-model' })
    expect(model.status).toBe(400)
    expect((await model.json()).error.details.fields[0].field).toBe('model')

    const server = await createPreset(u.cookie, { name: 'x', serverIds: [randomUUID()] })
    expect(server.status).toBe(400)
    expect((await server.json()).error.details.fields[0].field).toBe('serverIds.0')

    expect((await createPreset(u.cookie, { name: 'Twice' })).status).toBe(201)
    const taken = await createPreset(u.cookie, { name: 'Twice' })
    expect(taken.status).toBe(409)
    expect((await taken.json()).error.code).toBe('name_taken')
  })
})

describe('starting a conversation from a preset', () => {
  it('takes its model, instructions and servers, and the model is sent them', async () => {
    const u = await userWithTwoServers()
    const preset = (await (
      await createPreset(u.cookie, {
        name: 'Focused',
        model: CLAUDE,
        instructions: 'Use only the second server.',
        serverIds: [u.second.id],
      })
    ).json()) as Preset
    const res = await t.request('/api/conversations', {
      method: 'POST',
      cookie: u.cookie,
      json: { presetId: preset.id },
    })
    expect(res.status, await res.clone().text()).toBe(201)
    const conversation = await res.json()
    expect(conversation).toMatchObject({
      model: CLAUDE,
      instructions: 'Use only the second server.',
      serverIds: [u.second.id],
    })
    const request = await ask(u.cookie, conversation.id)
    expect(request?.body.model).toBe(CLAUDE)
    expect(systemText(request)).toContain('Use only the second server.')
    expect(fake.toolNames().every((name) => name.startsWith(`${u.secondName}__`))).toBe(true)
  })

  it('starts a draft from its first message with `start`, and leaves out servers deleted since', async () => {
    const u = await userWithTwoServers()
    const preset = (await (
      await createPreset(u.cookie, {
        name: 'Both',
        instructions: 'Be terse.',
        serverIds: [u.server.id, u.second.id],
      })
    ).json()) as Preset
    const gone = await t.request(`/api/user/mcp-servers/${u.second.id}`, {
      method: 'DELETE',
      cookie: u.cookie,
    })
    expect(gone.status).toBe(204)
    const draftId = randomUUID()
    const request = await ask(u.cookie, draftId, { start: { presetId: preset.id } })
    expect(systemText(request)).toContain('Be terse.')
    expect(fake.toolNames().every((name) => name.startsWith(`${u.name}__`))).toBe(true)
    const stored = await (
      await t.request(`/api/conversations/${draftId}`, { cookie: u.cookie })
    ).json()
    expect(stored).toMatchObject({
      instructions: 'Be terse.',
      serverIds: [u.server.id],
      model: null,
    })
  })

  it('lets values given win over the preset', async () => {
    const u = await userWithServer(t, everything.url)
    const preset = (await (
      await createPreset(u.cookie, { name: 'p', model: CLAUDE, instructions: 'From preset.' })
    ).json()) as Preset
    const res = await t.request('/api/conversations', {
      method: 'POST',
      cookie: u.cookie,
      json: { presetId: preset.id, instructions: null, model: 'openai/gpt-4o-mini' },
    })
    expect(await res.json()).toMatchObject({ model: 'openai/gpt-4o-mini', instructions: null })
  })
})

it('a new conversation has no instructions and all servers', async () => {
  const u = await registerUser(t)
  const id = await createConversation(t, u.cookie)
  const detail = await (await t.request(`/api/conversations/${id}`, { cookie: u.cookie })).json()
  expect(detail).toMatchObject({ instructions: null, serverIds: null })
})
