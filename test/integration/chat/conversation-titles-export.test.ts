import { afterAll, beforeAll, describe, expect, it } from 'vitest'
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
} from './chat-test-kit.ts'

// Titles from the first exchange, and a conversation as a file (issue 11, item 5).

let t: TestApp
let fake: FakeOpenRouter
let everything: RunningHttp
beforeAll(async () => {
  ;[fake, everything] = await Promise.all([
    startFakeOpenRouter(),
    startEverything('streamableHttp'),
  ])
  t = await startChatApp(fake)
}, 60_000)
afterAll(async () => {
  await t?.close()
  await fake?.close()
  await everything?.close()
})

async function titleOf(cookie: string, id: string): Promise<string> {
  return (await (await t.request(`/api/conversations/${id}`, { cookie })).json()).title
}

async function send(cookie: string, id: string, words: string) {
  const { res } = await postStream(t, cookie, { conversationId: id, message: userMessage(words) })
  expect(res.status).toBe(200)
}

describe('automatic titles', () => {
  it('asks the model for a title after the first answer, once', async () => {
    const { cookie } = await registerUser(t)
    const id = await createConversation(t, cookie)
    fake.enqueue(text('Start with the Alfama, then Belém.'))
    fake.enqueueTitle(text('"Lisbon Trip Plan."'))
    const titleRequests = fake.titleRequests.length
    await send(cookie, id, 'What should I see in Lisbon in two days?')
    // The stream ends once the title is there: no waiting needed.
    expect(await titleOf(cookie, id)).toBe('Lisbon Trip Plan')
    const request = fake.titleRequests.at(-1)
    expect(fake.titleRequests).toHaveLength(titleRequests + 1)
    expect(request?.body.stream).toBeFalsy()
    expect(request?.body.tools).toBeUndefined()
    const prompt = JSON.stringify(request?.body.messages)
    expect(prompt).toContain('What should I see in Lisbon in two days?')
    expect(prompt).toContain('Start with the Alfama, then Belém.')

    // The second exchange asks for no title.
    fake.enqueue(text('Pastéis de nata.'))
    await send(cookie, id, 'And to eat?')
    expect(fake.titleRequests).toHaveLength(titleRequests + 1)
    expect(await titleOf(cookie, id)).toBe('Lisbon Trip Plan')
  })

  it('keeps the first words when the title request fails', async () => {
    const { cookie } = await registerUser(t)
    const id = await createConversation(t, cookie)
    fake.enqueue(text('Sure.'))
    fake.enqueueTitle(httpError(500))
    await send(cookie, id, 'Help me write a cover letter for a bakery job')
    expect(await titleOf(cookie, id)).toBe('Help me write a cover letter for a bakery job')
  })

  it('leaves a title the user gave alone, and waits for a complete answer', async () => {
    const { cookie } = await registerUser(t)
    const named = await createConversation(t, cookie)
    await t.request(`/api/conversations/${named}`, {
      method: 'PATCH',
      cookie,
      json: { title: 'My own name' },
    })
    const before = fake.titleRequests.length
    fake.enqueue(text('ok'))
    await send(cookie, named, 'hello')
    expect(await titleOf(cookie, named)).toBe('My own name')
    expect(fake.titleRequests).toHaveLength(before)

    // The first answer failed: no title yet. Tried again and complete: now.
    const failed = await createConversation(t, cookie)
    fake.enqueue(httpError(401))
    await send(cookie, failed, 'what is the capital of Peru')
    expect(fake.titleRequests).toHaveLength(before)
    const detail = await (await t.request(`/api/conversations/${failed}`, { cookie })).json()
    fake.enqueue(text('Lima.'))
    fake.enqueueTitle(text('Capital of Peru'))
    const { res } = await postStream(t, cookie, {
      conversationId: failed,
      regenerate: detail.messages[1].id,
    })
    expect(res.status).toBe(200)
    expect(await titleOf(cookie, failed)).toBe('Capital of Peru')
  })
})

describe('GET /api/conversations/:id/export', () => {
  it('downloads the branch on show as Markdown, with tool calls, and everything as JSON', async () => {
    const u = await userWithServer(t, everything.url)
    const id = u.conversationId
    fake.enqueue(
      toolCall(`${u.name}__echo`, { message: 'hi there' }),
      text('The server said **hi there**.'),
      text('Another answer.'),
    )
    fake.enqueueTitle(text('Echo test'))
    await send(u.cookie, id, 'Echo "hi there"')
    // A second branch of the answer, then back to the first: the export shows the one on show.
    const first = (await (await t.request(`/api/conversations/${id}`, { cookie: u.cookie })).json())
      .messages
    await postStream(t, u.cookie, { conversationId: id, regenerate: first[1].id })
    await t.request(`/api/conversations/${id}/branch`, {
      method: 'POST',
      cookie: u.cookie,
      json: { messageId: first[1].id },
    })

    const md = await t.request(`/api/conversations/${id}/export?format=md`, { cookie: u.cookie })
    expect(md.status).toBe(200)
    expect(md.headers.get('content-type')).toMatch(/^text\/markdown/)
    expect(md.headers.get('content-disposition')).toBe(
      `attachment; filename="Echo test.md"; filename*=UTF-8''Echo%20test.md`,
    )
    const markdown = await md.text()
    expect(markdown).toMatch(/^# Echo test\n/)
    expect(markdown).toContain('## You\n\nEcho "hi there"')
    expect(markdown).toContain('## Assistant (openai/gpt-4o-mini)')
    expect(markdown).toMatch(/\*\*Tool call:\*\* `echo` on `ev\d+` \(done\)/)
    expect(markdown).toContain('"message": "hi there"')
    expect(markdown).toContain('Echo: hi there')
    expect(markdown).toContain('The server said **hi there**.')
    expect(markdown).not.toContain('Another answer.')

    const json = await t.request(`/api/conversations/${id}/export?format=json`, {
      cookie: u.cookie,
    })
    expect(json.headers.get('content-type')).toMatch(/^application\/json/)
    expect(json.headers.get('content-disposition')).toContain('filename="Echo test.json"')
    const document = await json.json()
    expect(document).toMatchObject({
      format: 'switchboard.conversation',
      version: 1,
      conversation: { id, title: 'Echo test', currentMessageId: first[1].id },
    })
    expect(document.messages).toHaveLength(3)
    const [question, answer, another] = document.messages
    expect(answer.parentId).toBe(question.id)
    expect(another.parentId).toBe(question.id)
    expect(answer.siblingIds).toEqual([answer.id, another.id])
    expect(JSON.stringify(another.parts)).toContain('Another answer.')

    expect(
      (await t.request(`/api/conversations/${id}/export?format=pdf`, { cookie: u.cookie })).status,
    ).toBe(400)
    const stranger = await registerUser(t)
    expect(
      (await t.request(`/api/conversations/${id}/export`, { cookie: stranger.cookie })).status,
    ).toBe(404)
  })

  it('names the file safely, whatever the title', async () => {
    const { cookie } = await registerUser(t)
    const id = await createConversation(t, cookie)
    await t.request(`/api/conversations/${id}`, {
      method: 'PATCH',
      cookie,
      json: { title: 'Q3: "plans" / ideas? Ünïcode' },
    })
    const res = await t.request(`/api/conversations/${id}/export`, { cookie })
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="Q3 plans ideas _n_code.md"; filename*=UTF-8''Q3%20plans%20ideas%20%C3%9Cn%C3%AFcode.md`,
    )
    expect(await res.text()).toBe('# Q3: "plans" / ideas? Ünïcode\n')
  })
})
