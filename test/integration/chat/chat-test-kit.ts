import {
  AbstractChat,
  type ChatState,
  type ChatStatus,
  DefaultChatTransport,
  lastAssistantMessageIsCompleteWithApprovalResponses,
  type UIMessage,
  type UIMessageChunk,
} from 'ai'
import { expect } from 'vitest'
import type { ChatDataParts, ChatMessageMetadata } from '../../../src/shared/chat.ts'
import type { FakeOpenRouter } from '../../fixtures/llm/fake-openrouter.ts'
import { LOOPBACK_POLICY } from '../../helpers/mcp-servers.ts'
import { registerUser, startApp, type TestApp } from '../../helpers/start-app.ts'

export type TestUIMessage = UIMessage<ChatMessageMetadata, ChatDataParts>

/** The real app with the fake model as its OpenRouter, and loopback MCP servers allowed. */
export function startChatApp(fake: FakeOpenRouter, env: Record<string, string> = {}) {
  return startApp({
    config: { ssrf: LOOPBACK_POLICY },
    env: {
      OPENROUTER_API_KEY: 'sk-or-test-key',
      OPENROUTER_BASE_URL: fake.baseUrl,
      ...env,
    },
  })
}

export async function addServer(
  t: TestApp,
  cookie: string,
  input: { name: string; url: string },
): Promise<{ id: string }> {
  const res = await t.request('/api/user/mcp-servers', {
    method: 'POST',
    cookie,
    json: { name: input.name, transport: 'streamable-http', url: input.url },
  })
  expect(res.status, await res.clone().text()).toBe(201)
  return (await res.json()) as { id: string }
}

let serverCounter = 0

/**
 * A new user with a server at `url` registered as `ev<N>` (its echo tool is `ev<N>__echo`) and
 * an empty conversation.
 */
export async function userWithServer(t: TestApp, url: string) {
  const user = await registerUser(t)
  serverCounter += 1
  const name = `ev${serverCounter}`
  const server = await addServer(t, user.cookie, { name, url })
  const conversationId = await createConversation(t, user.cookie)
  return { ...user, server, name, conversationId }
}

/** Changes one tool of a server (`enabled`, `approvalPolicy`), found by its MCP name. */
export async function patchTool(
  t: TestApp,
  cookie: string,
  serverId: string,
  toolName: string,
  changes: Record<string, unknown>,
): Promise<void> {
  const list = await (await t.request(`/api/user/mcp-servers/${serverId}/tools`, { cookie })).json()
  const tool = (list.tools as { id: string; name: string }[]).find((x) => x.name === toolName)
  if (!tool) throw new Error(`no tool ${toolName}`)
  const res = await t.request(`/api/user/mcp-servers/${serverId}/tools/${tool.id}`, {
    method: 'PATCH',
    cookie,
    json: changes,
  })
  expect(res.status, await res.clone().text()).toBe(200)
}

export async function createConversation(t: TestApp, cookie: string): Promise<string> {
  const res = await t.request('/api/conversations', { method: 'POST', cookie, json: {} })
  expect(res.status).toBe(201)
  return ((await res.json()) as { id: string }).id
}

export function userMessage(text: string, id = `user-${crypto.randomUUID()}`): TestUIMessage {
  return { id, role: 'user', parts: [{ type: 'text', text }] }
}

/** POSTs to /api/chat/stream and reads the whole SSE answer into UI message chunks. */
export async function postStream(
  t: TestApp,
  cookie: string,
  body: Record<string, unknown>,
  init: { signal?: AbortSignal } = {},
): Promise<{ res: Response; chunks: UIMessageChunk[] }> {
  const res = await t.request('/api/chat/stream', {
    method: 'POST',
    cookie,
    json: body,
    ...(init.signal ? { signal: init.signal } : {}),
  })
  if (res.status !== 200) return { res, chunks: [] }
  return { res, chunks: await readChunks(res) }
}

export async function readChunks(res: Response): Promise<UIMessageChunk[]> {
  const text = await res.text()
  return text
    .split('\n\n')
    .map((event) => event.trim())
    .filter((event) => event.startsWith('data: ') && event !== 'data: [DONE]')
    .map((event) => JSON.parse(event.slice('data: '.length)) as UIMessageChunk)
}

/** The stored messages of a conversation, as `GET /api/conversations/:id/messages` gives them. */
export async function storedMessages(
  t: TestApp,
  cookie: string,
  conversationId: string,
): Promise<(TestUIMessage & { createdAt: string })[]> {
  const res = await t.request(`/api/conversations/${conversationId}/messages`, { cookie })
  expect(res.status).toBe(200)
  return (await res.json()).messages
}

/** Polls until the last stored message is an assistant message with a final status. */
export async function waitForAnswer(
  t: TestApp,
  cookie: string,
  conversationId: string,
  count: number,
) {
  let messages: Awaited<ReturnType<typeof storedMessages>> = []
  await expect
    .poll(
      async () => {
        messages = await storedMessages(t, cookie, conversationId)
        return messages.length >= count && messages.at(-1)?.metadata?.status !== undefined
      },
      { timeout: 10_000, interval: 50 },
    )
    .toBe(true)
  return messages
}

/** Tool parts (every MCP tool is a dynamic tool) of a message. */
export function toolParts(message: TestUIMessage | undefined) {
  return (message?.parts ?? []).filter((part) => part.type === 'dynamic-tool') as Extract<
    TestUIMessage['parts'][number],
    { type: 'dynamic-tool' }
  >[]
}

class TestChatState implements ChatState<TestUIMessage> {
  status: ChatStatus = 'ready'
  error: Error | undefined = undefined
  messages: TestUIMessage[]
  constructor(messages: TestUIMessage[] = []) {
    this.messages = messages
  }
  pushMessage = (message: TestUIMessage) => {
    this.messages = [...this.messages, message]
  }
  popMessage = () => {
    this.messages = this.messages.slice(0, -1)
  }
  replaceMessage = (index: number, message: TestUIMessage) => {
    this.messages = [...this.messages.slice(0, index), message, ...this.messages.slice(index + 1)]
  }
  snapshot = <T>(thing: T): T => structuredClone(thing)
}

/**
 * What the web UI does with `useChat`, without React: the SDK's own chat state machine and
 * transport, sending only the last message (`prepareSendMessagesRequest`) and continuing
 * automatically once every approval request is answered.
 */
export class TestChat extends AbstractChat<TestUIMessage> {
  readonly data: { type: string; data: unknown }[] = []

  constructor(t: TestApp, cookie: string, conversationId: string) {
    const state = new TestChatState()
    const requests: Request[] = []
    super({
      id: conversationId,
      state,
      transport: new DefaultChatTransport<TestUIMessage>({
        api: 'http://switchboard.test/api/chat/stream',
        fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
          const url = new URL(String(input))
          const headers = new Headers(init?.headers)
          headers.set('cookie', cookie)
          const request = new Request(new URL(url.pathname, 'http://localhost'), {
            ...init,
            headers,
          })
          // A Request follows its init signal through a WeakRef: once nothing holds the Request,
          // Stop no longer reaches the app (nodejs/undici#3644). The node server keeps its own
          // controller per connection, so only this in-process path needs the reference.
          requests.push(request)
          return t.app.request(request)
        }) as typeof fetch,
        prepareSendMessagesRequest: ({ id, messages }) => ({
          body: { conversationId: id, message: messages.at(-1) },
        }),
      }),
      sendAutomaticallyWhen: lastAssistantMessageIsCompleteWithApprovalResponses,
      onData: (part) => {
        this.data.push(part as { type: string; data: unknown })
      },
    })
  }

  /** Waits until the chat is idle again (ready or error). */
  async idle(): Promise<void> {
    await expect
      .poll(() => this.status === 'ready' || this.status === 'error', { timeout: 15_000 })
      .toBe(true)
  }
}
