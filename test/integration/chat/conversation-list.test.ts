import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type FakeOpenRouter,
  startFakeOpenRouter,
  text,
} from '../../fixtures/llm/fake-openrouter.ts'
import { registerUser, type TestApp } from '../../helpers/start-app.ts'
import { createConversation, postStream, startChatApp, userMessage } from './chat-test-kit.ts'

// Finding conversations again: search, pins, and no empty ones left behind (issue 11, item 5).

let t: TestApp
let fake: FakeOpenRouter
beforeAll(async () => {
  fake = await startFakeOpenRouter()
  t = await startChatApp(fake)
}, 60_000)
afterAll(async () => {
  await t?.close()
  await fake?.close()
})

interface Listed {
  id: string
  title: string
  pinned: boolean
  match?: string
}

async function list(cookie: string, query = '') {
  const res = await t.request(`/api/conversations${query}`, { cookie })
  expect(res.status, await res.clone().text()).toBe(200)
  return (await res.json()) as { conversations: Listed[]; nextCursor: string | null }
}

async function search(cookie: string, q: string): Promise<Listed[]> {
  return (await list(cookie, `?q=${encodeURIComponent(q)}`)).conversations
}

/** A conversation whose one exchange is `question` / `answer`. */
async function chatAbout(cookie: string, question: string, answer: string): Promise<string> {
  const id = await createConversation(t, cookie)
  fake.enqueue(text(answer))
  const { res } = await postStream(t, cookie, {
    conversationId: id,
    message: userMessage(question),
  })
  expect(res.status).toBe(200)
  return id
}

async function rename(cookie: string, id: string, title: string) {
  const res = await t.request(`/api/conversations/${id}`, {
    method: 'PATCH',
    cookie,
    json: { title },
  })
  expect(res.status).toBe(200)
}

async function pin(cookie: string, id: string, pinned: boolean) {
  const res = await t.request(`/api/conversations/${id}`, {
    method: 'PATCH',
    cookie,
    json: { pinned },
  })
  expect(res.status).toBe(200)
  return (await res.json()) as Listed & { updatedAt: string }
}

describe('GET /api/conversations?q=', () => {
  it('finds words inside messages and titles, in any case, and shows where', async () => {
    const { cookie } = await registerUser(t)
    const trip = await chatAbout(cookie, 'Plan a trip to Lisbon', 'Day one: the Alfama district.')
    const soup = await chatAbout(cookie, 'A soup recipe, please', 'Leek and potato soup.')
    await rename(cookie, soup, 'Dinner ideas')
    const other = await registerUser(t)
    await chatAbout(other.cookie, 'Lisbon for me too', 'Sure.')

    // In the user's question, and in the model's answer.
    expect((await search(cookie, 'lisbon')).map((c) => c.id)).toEqual([trip])
    const inAnswer = await search(cookie, 'ALFAMA')
    expect(inAnswer.map((c) => c.id)).toEqual([trip])
    expect(inAnswer[0]?.match).toContain('Day one: the Alfama district.')
    // In a title (one the user gave: the messages do not say "dinner").
    const byTitle = await search(cookie, 'dinner')
    expect(byTitle.map((c) => c.id)).toEqual([soup])
    expect(byTitle[0]?.match).toBeUndefined()
    expect(await search(cookie, 'nothing like this')).toEqual([])
    // Everything without q.
    expect((await list(cookie)).conversations).toHaveLength(2)
  })

  it('takes % and _ as the characters typed, not as wildcards', async () => {
    const { cookie } = await registerUser(t)
    const percent = await chatAbout(cookie, 'Is 100% of it done?', 'Yes.')
    const plain = await chatAbout(cookie, 'Is 1000 enough?', 'Yes.')
    const under = await chatAbout(cookie, 'rename snake_case please', 'Done.')
    await chatAbout(cookie, 'snakeXcase', 'Done.')
    const slash = await chatAbout(cookie, 'a back\\slash', 'Yes.')
    expect((await search(cookie, '100%')).map((c) => c.id)).toEqual([percent])
    expect((await search(cookie, '%')).map((c) => c.id)).toEqual([percent])
    expect((await search(cookie, 'e_c')).map((c) => c.id)).toEqual([under])
    expect((await search(cookie, 'k\\s')).map((c) => c.id)).toEqual([slash])
    expect((await search(cookie, '1000')).map((c) => c.id)).toEqual([plain])
  })

  it('shows the words around a match deep in a long message', async () => {
    const { cookie } = await registerUser(t)
    const long = `${'filler words here. '.repeat(40)}the needle is here${' and more after.'.repeat(20)}`
    const id = await chatAbout(cookie, long, 'ok')
    const [found] = await search(cookie, 'needle')
    expect(found?.id).toBe(id)
    expect(found?.match?.startsWith('…')).toBe(true)
    expect(found?.match).toContain('the needle is here')
    expect(found?.match?.length).toBeLessThanOrEqual(161)
  })
})

describe('pinned conversations', () => {
  it('come first, keep their place among the others, and page through', async () => {
    const { cookie } = await registerUser(t)
    const ids: string[] = []
    for (const word of ['one', 'two', 'three', 'four'])
      ids.push(await chatAbout(cookie, word, 'fine'))
    const [one, two, three, four] = ids as [string, string, string, string]
    expect((await list(cookie)).conversations.map((c) => c.id)).toEqual([four, three, two, one])

    const pinned = await pin(cookie, two, true)
    expect(pinned.pinned).toBe(true)
    await pin(cookie, one, true)
    const listed = (await list(cookie)).conversations
    expect(listed.map((c) => c.id)).toEqual([two, one, four, three])
    expect(listed.map((c) => c.pinned)).toEqual([true, true, false, false])

    // Page by page, the same order.
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const page: Awaited<ReturnType<typeof list>> = await list(
        cookie,
        `?limit=1${cursor ? `&cursor=${cursor}` : ''}`,
      )
      seen.push(...page.conversations.map((c) => c.id))
      cursor = page.nextCursor
    } while (cursor)
    expect(seen).toEqual([two, one, four, three])

    // Unpinned, it goes back to where its last message puts it.
    await pin(cookie, two, false)
    expect((await list(cookie)).conversations.map((c) => c.id)).toEqual([one, four, three, two])
    // Search keeps pins first too.
    expect((await search(cookie, 'o')).map((c) => c.id)).toEqual([one, four, two])
  })
})

describe('a conversation is stored with its first message', () => {
  it('creates a draft conversation from its first message, under the id the client chose', async () => {
    const { cookie } = await registerUser(t)
    const id = randomUUID()
    expect((await t.request(`/api/conversations/${id}`, { cookie })).status).toBe(404)
    expect((await list(cookie)).conversations).toEqual([])

    // A refused first message leaves nothing behind.
    const empty = await t.request('/api/chat/stream', {
      method: 'POST',
      cookie,
      json: { conversationId: id, message: userMessage('   ') },
    })
    expect(empty.status).toBe(400)
    expect((await t.request(`/api/conversations/${id}`, { cookie })).status).toBe(404)
    // Nothing to answer again, or continue, in a conversation that does not exist.
    const regenerate = await t.request('/api/chat/stream', {
      method: 'POST',
      cookie,
      json: { conversationId: id, regenerate: 'msg_x' },
    })
    expect(regenerate.status).toBe(404)

    fake.enqueue(text('Hello!'))
    const { res } = await postStream(t, cookie, {
      conversationId: id,
      message: userMessage('Hello, new conversation'),
    })
    expect(res.status).toBe(200)
    const listed = (await list(cookie)).conversations
    expect(listed.map((c) => [c.id, c.title])).toEqual([[id, 'Hello, new conversation']])
    const detail = await (await t.request(`/api/conversations/${id}`, { cookie })).json()
    expect(detail.messages).toHaveLength(2)
  })

  it("refuses a draft id that is another user's conversation", async () => {
    const owner = await registerUser(t)
    const id = await chatAbout(owner.cookie, 'mine', 'yes')
    const intruder = await registerUser(t)
    const res = await t.request('/api/chat/stream', {
      method: 'POST',
      cookie: intruder.cookie,
      json: { conversationId: id, message: userMessage('let me in') },
    })
    expect(res.status).toBe(404)
    const detail = await (
      await t.request(`/api/conversations/${id}`, { cookie: owner.cookie })
    ).json()
    expect(detail.messages).toHaveLength(2)
    expect((await list(intruder.cookie)).conversations).toEqual([])
  })
})
