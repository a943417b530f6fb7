import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  type ChatCompletionMessage,
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
  storedMessages,
  type TestUIMessage,
} from '../chat/chat-test-kit.ts'

// Prompts of a real server-everything (issue 14): listed with the tools, filled in through the
// user's session, found across servers for the chat's `/`, and sent as a user's turn marked as
// coming from the prompt.

let t: TestApp
let fake: FakeOpenRouter
let everything: RunningHttp
beforeAll(async () => {
  fake = await startFakeOpenRouter()
  ;[t, everything] = await Promise.all([startChatApp(fake), startEverything('streamableHttp')])
}, 60_000)
afterAll(async () => {
  await everything?.close()
  await t?.close()
  await fake?.close()
})
beforeEach(() => fake.reset())

let counter = 0
async function userWithEverything() {
  const user = await registerUser(t)
  counter += 1
  const name = `everything ${counter}`
  const server = await addServer(t, user.cookie, { name, url: everything.url })
  return { ...user, serverId: server.id, name }
}

const getPrompt = (cookie: string, serverId: string, name: string, json: unknown) =>
  t.request(`/api/user/mcp-servers/${serverId}/prompts/${encodeURIComponent(name)}/get`, {
    method: 'POST',
    cookie,
    json,
  })

interface PromptView {
  name: string
  title: string | null
  arguments: { name: string; required: boolean; description?: string }[]
}

describe('GET /api/user/mcp-servers/:id/prompts', () => {
  it('lists the prompts with their arguments, as discovered when the server was added', async () => {
    const user = await userWithEverything()
    const res = await t.request(`/api/user/mcp-servers/${user.serverId}/prompts`, {
      cookie: user.cookie,
    })
    expect(res.status).toBe(200)
    const listed = (await res.json()) as { prompts: PromptView[]; error: string | null }
    expect(listed.error).toBeNull()
    const names = listed.prompts.map((prompt) => prompt.name)
    expect(names).toEqual(
      expect.arrayContaining(['simple-prompt', 'args-prompt', 'completable-prompt']),
    )
    const args = listed.prompts.find((prompt) => prompt.name === 'args-prompt')
    expect(args?.title).toBe('Arguments Prompt')
    expect(args?.arguments).toEqual([
      { name: 'city', description: 'Name of the city', required: true },
      // server-everything's SDK drops the description of an optional argument.
      { name: 'state', required: false },
    ])

    const other = await registerUser(t)
    const foreign = await t.request(`/api/user/mcp-servers/${user.serverId}/prompts`, {
      cookie: other.cookie,
    })
    expect(foreign.status).toBe(404)
  })
})

describe('GET /api/user/mcp-prompts', () => {
  it("finds prompts of the user's servers by name, title or description", async () => {
    const user = await userWithEverything()
    const res = await t.request('/api/user/mcp-prompts?q=TEAM', { cookie: user.cookie })
    expect(res.status).toBe(200)
    const { prompts } = (await res.json()) as { prompts: (PromptView & { serverName: string })[] }
    expect(prompts.map((prompt) => [prompt.name, prompt.serverName])).toEqual([
      ['completable-prompt', user.name],
    ])
    const other = await registerUser(t)
    const none = await t.request('/api/user/mcp-prompts', { cookie: other.cookie })
    expect(((await none.json()) as { prompts: unknown[] }).prompts).toEqual([])
  })
})

describe('POST /api/user/mcp-servers/:id/prompts/:name/get', () => {
  it('fills in a prompt: its messages, and the text the chat sends', async () => {
    const user = await userWithEverything()
    const res = await getPrompt(user.cookie, user.serverId, 'args-prompt', {
      arguments: { city: 'Lyon', state: 'Rhône' },
    })
    expect(res.status).toBe(200)
    const result = await res.json()
    expect(result).toMatchObject({
      serverId: user.serverId,
      serverName: user.name,
      name: 'args-prompt',
      title: 'Arguments Prompt',
      messages: [
        { role: 'user', content: { type: 'text', text: "What's weather in Lyon, Rhône?" } },
      ],
      text: "What's weather in Lyon, Rhône?",
    })
  })

  it('puts an embedded resource of the prompt inside <resource>', async () => {
    const user = await userWithEverything()
    const res = await getPrompt(user.cookie, user.serverId, 'resource-prompt', {
      arguments: { resourceType: 'Text', resourceId: '2' },
    })
    expect(res.status, await res.clone().text()).toBe(200)
    const { text: said } = (await res.json()) as { text: string }
    expect(said).toContain('<resource uri="demo://resource/dynamic/text/2">')
    expect(said).toMatch(/Resource 2/)
  })

  it('names a missing required argument (400), a foreign server is 404, a bad body 400', async () => {
    const user = await userWithEverything()
    const missing = await getPrompt(user.cookie, user.serverId, 'args-prompt', { arguments: {} })
    expect(missing.status).toBe(400)
    expect(JSON.stringify((await missing.json()).error)).toContain('arguments.city')
    const other = await registerUser(t)
    // Not even which arguments it needs: someone else's server is simply not found.
    const foreign = await getPrompt(other.cookie, user.serverId, 'args-prompt', { arguments: {} })
    expect(foreign.status).toBe(404)
    for (const body of [
      { arguments: { city: 1 } },
      { args: {} },
      { arguments: { c: 'x'.repeat(10_001) } },
    ]) {
      const bad = await getPrompt(user.cookie, user.serverId, 'args-prompt', body)
      expect(bad.status).toBe(400)
    }
  })

  it('says what the server answered for a prompt it does not know (no 500)', async () => {
    const user = await userWithEverything()
    const res = await getPrompt(user.cookie, user.serverId, 'no-such-prompt', { arguments: {} })
    expect(res.status).toBeGreaterThanOrEqual(400)
    expect(res.status).not.toBe(500)
    expect((await res.json()).error.message).toBeTruthy()
  })
})

describe('a user message that starts with a prompt', () => {
  function promptMessage(data: Record<string, unknown>, words?: string): TestUIMessage {
    return {
      id: `user-${crypto.randomUUID()}`,
      role: 'user',
      parts: [
        { type: 'data-prompt', data } as never,
        ...(words ? [{ type: 'text' as const, text: words }] : []),
      ],
    }
  }

  it("reaches the model as the prompt's text then the user's words, marked with its server", async () => {
    const user = await userWithEverything()
    const filled = await (
      await getPrompt(user.cookie, user.serverId, 'args-prompt', { arguments: { city: 'Oslo' } })
    ).json()
    const conversationId = await createConversation(t, user.cookie)
    fake.enqueue(text('Cold.'))
    const message = promptMessage(
      {
        serverId: user.serverId,
        // The client's word for these is not taken: the server sets them.
        server: 'forged',
        title: 'forged',
        name: 'args-prompt',
        arguments: { city: 'Oslo' },
        text: filled.text,
      },
      'Answer in one word.',
    )
    const { res } = await postStream(t, user.cookie, { conversationId, message })
    expect(res.status).toBe(200)
    const last = (fake.requests.at(-1)?.body.messages ?? [])
      .filter((m: ChatCompletionMessage) => m.role === 'user')
      .at(-1)
    expect(JSON.stringify(last?.content)).toMatch(/What's weather in Oslo\?.*Answer in one word\./)

    const [stored] = await storedMessages(t, user.cookie, conversationId)
    expect(stored?.parts[0]).toMatchObject({
      type: 'data-prompt',
      data: { server: user.name, title: 'Arguments Prompt', name: 'args-prompt' },
    })
  })

  it("is refused for someone else's server (404) before a conversation exists, and when malformed (400)", async () => {
    const owner = await userWithEverything()
    const other = await registerUser(t)
    const draft = crypto.randomUUID()
    const foreign = await postStream(t, other.cookie, {
      conversationId: draft,
      message: promptMessage({
        serverId: owner.serverId,
        server: 'x',
        title: null,
        name: 'args-prompt',
        arguments: {},
        text: 'hi',
      }),
    })
    expect(foreign.res.status).toBe(404)
    const list = await t.request('/api/conversations', { cookie: other.cookie })
    expect(((await list.json()) as { conversations: unknown[] }).conversations).toEqual([])

    const bad = await postStream(t, owner.cookie, {
      conversationId: crypto.randomUUID(),
      message: promptMessage({ serverId: owner.serverId, name: 'args-prompt', text: '' }),
    })
    expect(bad.res.status).toBe(400)
    expect(JSON.stringify((await bad.res.json()).error)).toContain('message.parts.0.data')
    expect(fake.requests).toHaveLength(0)
  })
})
