import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { Attachment } from '../../../src/shared/attachments.ts'
import {
  type ChatCompletionMessage,
  type FakeOpenRouter,
  startFakeOpenRouter,
} from '../../fixtures/llm/fake-openrouter.ts'
import { echoServer, startSdkHttpServer } from '../../fixtures/mcp/sdk-http-server.ts'
import { type RunningHttp, startEverything } from '../../helpers/mcp-servers.ts'
import { registerUser, type TestApp } from '../../helpers/start-app.ts'
import {
  addServer,
  createConversation,
  postStream,
  startChatApp,
  storedMessages,
  type TestUIMessage,
} from './chat-test-kit.ts'

// Resources in chat (issue 14): found across the user's servers, attached with `@` (read once,
// stored like an upload), read by the model with where they came from; and the suggestions
// (`completion/complete`) that template and prompt forms offer. Against server-everything.

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

const attach = (cookie: string, json: unknown) =>
  t.request('/api/user/attachments/from-resource', { method: 'POST', cookie, json })

async function attached(cookie: string, serverId: string, uri: string): Promise<Attachment> {
  const res = await attach(cookie, { serverId, uri })
  expect(res.status, await res.clone().text()).toBe(201)
  return (await res.json()) as Attachment
}

describe('GET /api/user/mcp-resources', () => {
  it("finds resources and templates of the user's servers by name or URI, with the server's name", async () => {
    const user = await userWithEverything()
    const all = await t.request('/api/user/mcp-resources', { cookie: user.cookie })
    expect(all.status).toBe(200)
    const { resources } = (await all.json()) as {
      resources: { uri: string; kind: string; serverName: string; serverId: string }[]
    }
    expect(resources.length).toBeGreaterThan(2)
    expect(resources.every((r) => r.serverName === user.name && r.serverId === user.serverId)).toBe(
      true,
    )
    expect(resources.map((r) => r.kind)).toContain('template')

    const found = await t.request(`/api/user/mcp-resources?q=${encodeURIComponent('TEXT/{')}`, {
      cookie: user.cookie,
    })
    const matches = ((await found.json()) as { resources: { uri: string }[] }).resources
    expect(matches.map((r) => r.uri)).toEqual(['demo://resource/dynamic/text/{resourceId}'])

    // Another user sees none of them.
    const other = await registerUser(t)
    const theirs = await t.request('/api/user/mcp-resources', { cookie: other.cookie })
    expect(((await theirs.json()) as { resources: unknown[] }).resources).toEqual([])
  })

  it('leaves out switched-off servers, and bounds the query', async () => {
    const user = await userWithEverything()
    await t.request(`/api/user/mcp-servers/${user.serverId}`, {
      method: 'PATCH',
      cookie: user.cookie,
      json: { enabled: false },
    })
    const res = await t.request('/api/user/mcp-resources', { cookie: user.cookie })
    expect(((await res.json()) as { resources: unknown[] }).resources).toEqual([])
    const long = await t.request(`/api/user/mcp-resources?q=${'x'.repeat(201)}`, {
      cookie: user.cookie,
    })
    expect(long.status).toBe(400)
    const limit = await t.request('/api/user/mcp-resources?limit=0', { cookie: user.cookie })
    expect(limit.status).toBe(400)
  })
})

describe('POST /api/user/attachments/from-resource', () => {
  it('reads a resource made from a template and stores it as a text attachment that remembers its source', async () => {
    const user = await userWithEverything()
    const attachment = await attached(user.cookie, user.serverId, 'demo://resource/dynamic/text/7')
    expect(attachment).toMatchObject({
      kind: 'text',
      filename: '7',
      source: { server: user.name, uri: 'demo://resource/dynamic/text/7' },
    })
    const served = await t.request(attachment.url, { cookie: user.cookie })
    expect(await served.text()).toMatch(/Resource 7/)
  })

  it('names a listed resource by its title or name', async () => {
    const user = await userWithEverything()
    const listed = (await (
      await t.request(`/api/user/mcp-servers/${user.serverId}/resources`, { cookie: user.cookie })
    ).json()) as { resources: { uri: string; name: string; title: string | null }[] }
    const first = listed.resources[0]
    if (!first) throw new Error('server-everything lists no resources')
    const attachment = await attached(user.cookie, user.serverId, first.uri)
    expect(attachment.filename).toBe(first.title || first.name)
  })

  it('is 404 for a foreign or unknown server, 400 naming the field for a bad body', async () => {
    const owner = await userWithEverything()
    const other = await registerUser(t)
    const foreign = await attach(other.cookie, {
      serverId: owner.serverId,
      uri: 'demo://resource/dynamic/text/1',
    })
    expect(foreign.status).toBe(404)
    for (const [body, field] of [
      [{ serverId: 'nope', uri: 'demo://x' }, 'serverId'],
      [{ serverId: owner.serverId, uri: 'no scheme' }, 'uri'],
      [{ serverId: owner.serverId }, 'uri'],
      [{ serverId: owner.serverId, uri: 'demo://x', extra: 1 }, 'extra'],
    ] as const) {
      const res = await attach(owner.cookie, body)
      expect(res.status).toBe(400)
      expect(JSON.stringify((await res.json()).error)).toContain(field)
    }
  })

  it('says what the server answered for an unknown URI (no 500), and stores nothing', async () => {
    const user = await userWithEverything()
    const res = await attach(user.cookie, { serverId: user.serverId, uri: 'demo://no/such/thing' })
    expect(res.status).toBeGreaterThanOrEqual(400)
    expect(res.status).not.toBe(500)
    expect((await res.json()).error.message).toBeTruthy()
  })

  it('reaches the model with the server and URI it came from, and stays with the message', async () => {
    const user = await userWithEverything()
    const attachment = await attached(user.cookie, user.serverId, 'demo://resource/dynamic/text/3')
    const conversationId = await createConversation(t, user.cookie)
    const message: TestUIMessage = {
      id: `user-${crypto.randomUUID()}`,
      role: 'user',
      parts: [
        {
          type: 'file',
          mediaType: attachment.mediaType,
          filename: attachment.filename,
          url: attachment.url,
          // A client's claim of a source is replaced by the stored one.
          providerMetadata: { switchboard: { server: 'forged', uri: 'forged://x' } },
        },
        { type: 'text', text: 'summarise it' },
      ],
    }
    const { res } = await postStream(t, user.cookie, { conversationId, message })
    expect(res.status).toBe(200)
    const messages = fake.requests.at(-1)?.body.messages ?? []
    const user_ = messages.filter((m: ChatCompletionMessage) => m.role === 'user').at(-1)
    const content = JSON.stringify(user_?.content)
    expect(content).toContain(`server=\\"${user.name}\\" uri=\\"demo://resource/dynamic/text/3\\"`)
    expect(content).toMatch(/Resource 3/)

    const [stored] = await storedMessages(t, user.cookie, conversationId)
    const file = stored?.parts.find((part) => part.type === 'file')
    expect(file).toMatchObject({
      providerMetadata: {
        switchboard: { server: user.name, uri: 'demo://resource/dynamic/text/3' },
      },
    })
  })
})

describe('POST /api/user/mcp-servers/:id/complete', () => {
  const complete = (cookie: string, id: string, json: unknown) =>
    t.request(`/api/user/mcp-servers/${id}/complete`, { method: 'POST', cookie, json })

  it("offers the server's suggestions for a prompt argument, using what is filled in already", async () => {
    const user = await userWithEverything()
    const department = await complete(user.cookie, user.serverId, {
      ref: { type: 'ref/prompt', name: 'completable-prompt' },
      argument: { name: 'department', value: 'S' },
    })
    expect(department.status).toBe(200)
    expect((await department.json()).values).toEqual(['Sales', 'Support'])
    const name = await complete(user.cookie, user.serverId, {
      ref: { type: 'ref/prompt', name: 'completable-prompt' },
      argument: { name: 'name', value: '' },
      context: { arguments: { department: 'Sales' } },
    })
    expect((await name.json()).values).toEqual(['David', 'Eve', 'Frank'])
  })

  it("offers suggestions for a template's variable", async () => {
    const user = await userWithEverything()
    const res = await complete(user.cookie, user.serverId, {
      ref: { type: 'ref/resource', uri: 'demo://resource/dynamic/text/{resourceId}' },
      argument: { name: 'resourceId', value: '12' },
    })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ values: ['12'], hasMore: false })
  })

  it('gives none for a server that offers no completions, 404 for a foreign one, 400 for a bad body', async () => {
    const plain = await startSdkHttpServer(echoServer)
    try {
      const user = await registerUser(t)
      const server = await addServer(t, user.cookie, { name: 'plain', url: plain.url })
      const none = await complete(user.cookie, server.id, {
        ref: { type: 'ref/prompt', name: 'anything' },
        argument: { name: 'a', value: 'b' },
      })
      expect(none.status).toBe(200)
      expect(await none.json()).toEqual({ values: [], total: null, hasMore: false })

      const other = await registerUser(t)
      const foreign = await complete(other.cookie, server.id, {
        ref: { type: 'ref/prompt', name: 'anything' },
        argument: { name: 'a', value: 'b' },
      })
      expect(foreign.status).toBe(404)
      const bad = await complete(user.cookie, server.id, {
        ref: { type: 'ref/tool', name: 'x' },
        argument: { name: 'a', value: 'b' },
      })
      expect(bad.status).toBe(400)
      expect(JSON.stringify((await bad.json()).error)).toContain('ref')
    } finally {
      await plain.close()
    }
  })
})
