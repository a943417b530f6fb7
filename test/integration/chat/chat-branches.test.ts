import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type FakeOpenRouter,
  httpError,
  startFakeOpenRouter,
  text,
} from '../../fixtures/llm/fake-openrouter.ts'
import { registerUser, startApp, type TestApp } from '../../helpers/start-app.ts'
import { testConfig } from '../../helpers/test-config.ts'
import {
  createConversation,
  postStream,
  storedMessages,
  type TestUIMessage,
  userMessage,
} from './chat-test-kit.ts'

// Edit, answer again, retry, and switch between the branches they leave (issue 11, item 2).

const OTHER_MODEL = { id: 'fake/other-model', label: 'Other model' }

let t: TestApp
let fake: FakeOpenRouter
beforeAll(async () => {
  fake = await startFakeOpenRouter()
  const { chat } = testConfig({
    OPENROUTER_API_KEY: 'sk-or-test-key',
    OPENROUTER_BASE_URL: fake.baseUrl,
  })
  t = await startApp({ config: { chat: { ...chat, models: [...chat.models, OTHER_MODEL] } } })
}, 60_000)
afterAll(async () => {
  await t?.close()
  await fake?.close()
})

type Stored = Awaited<ReturnType<typeof storedMessages>>[number] & {
  parentId?: string | null
  siblingIds?: string[]
}

async function detail(cookie: string, id: string) {
  const res = await t.request(`/api/conversations/${id}`, { cookie })
  expect(res.status).toBe(200)
  return (await res.json()) as { model: string | null; messages: Stored[] }
}

/** Sends and reads the whole answer; the answer's chunks must hold no error. */
async function ask(cookie: string, body: Record<string, unknown>) {
  const { res, chunks } = await postStream(t, cookie, body)
  if (res.status !== 200) expect(res.status, await res.text()).toBe(200)
  expect(chunks.filter((c) => c.type === 'error')).toEqual([])
  return chunks
}

/** What the model was sent in request `index`: role and text of each message. */
function sent(index = fake.requests.length - 1) {
  return (fake.requests[index]?.body.messages ?? []).map((m) => [m.role, textOf(m.content)])
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content
  if (Array.isArray(content)) return content.map((c) => (c as { text?: string }).text).join('')
  return ''
}

function words(messages: readonly TestUIMessage[]): string[] {
  return messages.map((m) => m.parts.map((p) => (p.type === 'text' ? p.text : '')).join(''))
}

/** A conversation with two exchanges: Q1 A1 Q2 A2. */
async function twoExchanges(cookie: string) {
  const id = await createConversation(t, cookie)
  fake.enqueue(text('first answer'), text('second answer'))
  await ask(cookie, { conversationId: id, message: userMessage('first question') })
  await ask(cookie, { conversationId: id, message: userMessage('second question') })
  const { messages } = await detail(cookie, id)
  expect(words(messages)).toEqual([
    'first question',
    'first answer',
    'second question',
    'second answer',
  ])
  return { id, messages }
}

describe('branches', () => {
  it('edits a message into a branch the model reads alone, and switching persists', async () => {
    const { cookie } = await registerUser(t)
    const { id, messages } = await twoExchanges(cookie)
    const [q1, a1, q2, a2] = messages as [Stored, Stored, Stored, Stored]
    expect([q1.parentId, a1.parentId, q2.parentId, a2.parentId]).toEqual([
      null,
      q1.id,
      a1.id,
      q2.id,
    ])

    // The edit: new text, sent with the parent of the message edited.
    fake.enqueue(text('edited answer'))
    const edited = userMessage('second question, edited')
    await ask(cookie, { conversationId: id, message: edited, parentId: a1.id })
    expect(sent()).toEqual([
      ['system', expect.any(String)],
      ['user', 'first question'],
      ['assistant', 'first answer'],
      ['user', 'second question, edited'],
    ])
    const after = await detail(cookie, id)
    expect(words(after.messages)).toEqual([
      'first question',
      'first answer',
      'second question, edited',
      'edited answer',
    ])
    expect(after.messages[2]?.siblingIds).toEqual([q2.id, edited.id])
    expect(after.messages[0]?.siblingIds).toBeUndefined()
    expect(after.messages[3]?.siblingIds).toBeUndefined()

    // Back to the first version: the branch through it, to its answer; a reload shows the same.
    const back = await t.request(`/api/conversations/${id}/branch`, {
      method: 'POST',
      cookie,
      json: { messageId: q2.id },
    })
    expect(back.status).toBe(200)
    const switched = (await back.json()) as { messages: Stored[] }
    expect(switched.messages.map((m) => m.id)).toEqual([q1.id, a1.id, q2.id, a2.id])
    expect((await detail(cookie, id)).messages.map((m) => m.id)).toEqual([
      q1.id,
      a1.id,
      q2.id,
      a2.id,
    ])
    expect((await storedMessages(t, cookie, id)).map((m) => m.id)).toEqual([
      q1.id,
      a1.id,
      q2.id,
      a2.id,
    ])

    // The next message follows the branch on show; the model never sees the other one.
    fake.enqueue(text('third answer'))
    await ask(cookie, { conversationId: id, message: userMessage('third question') })
    expect(sent()).toEqual([
      ['system', expect.any(String)],
      ['user', 'first question'],
      ['assistant', 'first answer'],
      ['user', 'second question'],
      ['assistant', 'second answer'],
      ['user', 'third question'],
    ])
    expect(words((await detail(cookie, id)).messages).slice(2)).toEqual([
      'second question',
      'second answer',
      'third question',
      'third answer',
    ])
  })

  it('edits the first message into a second root', async () => {
    const { cookie } = await registerUser(t)
    const { id, messages } = await twoExchanges(cookie)
    fake.enqueue(text('a fresh start'))
    await ask(cookie, { conversationId: id, message: userMessage('hello again'), parentId: null })
    expect(sent()).toEqual([
      ['system', expect.any(String)],
      ['user', 'hello again'],
    ])
    const after = await detail(cookie, id)
    expect(words(after.messages)).toEqual(['hello again', 'a fresh start'])
    expect(after.messages[0]?.siblingIds).toEqual([messages[0]?.id, after.messages[0]?.id])
  })

  it('answers again with another model for that answer only, keeping the old one', async () => {
    const { cookie } = await registerUser(t)
    const { id, messages } = await twoExchanges(cookie)
    const a2 = messages[3] as Stored
    fake.enqueue(text('a better second answer'))
    const chunks = await ask(cookie, {
      conversationId: id,
      regenerate: a2.id,
      model: OTHER_MODEL.id,
    })
    expect(chunks.some((c) => c.type === 'error')).toBe(false)
    expect(fake.requests.at(-1)?.body.model).toBe(OTHER_MODEL.id)
    // The model reads the question, not the answer it replaces.
    expect(sent().at(-1)).toEqual(['user', 'second question'])
    expect(sent()).toHaveLength(4)

    const after = await detail(cookie, id)
    const answer = after.messages[3] as Stored
    expect(words(after.messages).at(-1)).toBe('a better second answer')
    expect(answer.metadata).toMatchObject({ model: OTHER_MODEL.id, status: 'complete' })
    expect(answer.siblingIds).toEqual([a2.id, answer.id])
    // The conversation keeps its model: only this answer used the other one.
    expect(after.model).toBeNull()
    fake.enqueue(text('next'))
    await ask(cookie, { conversationId: id, message: userMessage('and now?') })
    expect(fake.requests.at(-1)?.body.model).not.toBe(OTHER_MODEL.id)
  })

  it('tries again after the provider refused, from the failed answer', async () => {
    const { cookie } = await registerUser(t)
    const id = await createConversation(t, cookie)
    fake.enqueue(httpError(401))
    await postStream(t, cookie, { conversationId: id, message: userMessage('are you there?') })
    const failed = (await detail(cookie, id)).messages[1] as Stored
    expect(failed.metadata).toMatchObject({ status: 'error' })

    fake.enqueue(text('I am here now'))
    await ask(cookie, { conversationId: id, regenerate: failed.id })
    const after = await detail(cookie, id)
    expect(words(after.messages)).toEqual(['are you there?', 'I am here now'])
    expect(after.messages[1]?.metadata).toMatchObject({ status: 'complete' })
    expect(after.messages[1]?.siblingIds).toEqual([failed.id, after.messages[1]?.id])
    expect(sent()).toEqual([
      ['system', expect.any(String)],
      ['user', 'are you there?'],
    ])
  })

  it('answers a question sent again that was stored without an answer', async () => {
    const { cookie } = await registerUser(t)
    const id = await createConversation(t, cookie)
    fake.enqueue(text('one'))
    await ask(cookie, { conversationId: id, message: userMessage('first') })
    // A question stored, then the request broke before any answer (as when the stream fails to
    // start): its row is there with no child.
    const question = userMessage('unanswered')
    const { messages } = await detail(cookie, id)
    await t.deps.db
      .insertInto('messages')
      .values({
        id: question.id,
        conversation_id: id,
        parent_id: messages[1]?.id ?? null,
        role: 'user',
        parts: JSON.stringify(question.parts),
        metadata: null,
      })
      .execute()
    await t.deps.db
      .updateTable('conversations')
      .set({ current_message_id: question.id })
      .where('id', '=', id)
      .execute()
    fake.enqueue(text('answered at last'))
    await ask(cookie, { conversationId: id, message: question })
    expect(words((await detail(cookie, id)).messages)).toEqual([
      'first',
      'one',
      'unanswered',
      'answered at last',
    ])
  })

  it('refuses ids that are not messages of this conversation', async () => {
    const { cookie } = await registerUser(t)
    const { id, messages } = await twoExchanges(cookie)
    const other = await twoExchanges(cookie)
    const foreign = other.messages[1]?.id
    const attempts: [Record<string, unknown>, string][] = [
      [{ message: userMessage('x'), parentId: foreign }, 'parentId'],
      [{ message: userMessage('x'), parentId: 'nope' }, 'parentId'],
      [{ regenerate: foreign }, 'regenerate'],
      [{ regenerate: 'nope' }, 'regenerate'],
    ]
    for (const [body, field] of attempts) {
      const res = await t.request('/api/chat/stream', {
        method: 'POST',
        cookie,
        json: { conversationId: id, ...body },
      })
      expect(res.status, JSON.stringify(body)).toBe(400)
      expect((await res.json()).error.details.fields[0].field).toBe(field)
    }
    const both = await t.request('/api/chat/stream', {
      method: 'POST',
      cookie,
      json: { conversationId: id, message: userMessage('x'), regenerate: messages[1]?.id },
    })
    expect(both.status).toBe(400)
    const branch = await t.request(`/api/conversations/${id}/branch`, {
      method: 'POST',
      cookie,
      json: { messageId: foreign },
    })
    expect(branch.status).toBe(400)
    // Nothing changed, and nothing reached the model.
    expect((await detail(cookie, id)).messages.map((m) => m.id)).toEqual(messages.map((m) => m.id))
    const stranger = await registerUser(t)
    const theirs = await t.request(`/api/conversations/${id}/branch`, {
      method: 'POST',
      cookie: stranger.cookie,
      json: { messageId: messages[0]?.id },
    })
    expect(theirs.status).toBe(404)
    const regenerate = await t.request('/api/chat/stream', {
      method: 'POST',
      cookie: stranger.cookie,
      json: { conversationId: id, regenerate: messages[1]?.id },
    })
    expect(regenerate.status).toBe(404)
  })
})
