import { execFile } from 'node:child_process'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client'
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import { connectMcp } from '../../../src/server/mcp/client/connect.ts'
import { callUpstream, type UpstreamCall } from '../../../src/server/toolcalls/call-upstream.ts'
import type { ToolCallProgress } from '../../../src/shared/tool-calls.ts'
import { startModernServer } from '../../fixtures/mcp/modern-server.ts'
import { type Listening, listen } from '../../helpers/listen.ts'
import {
  LOOPBACK_POLICY,
  type RunningHttp,
  startEverything,
  testDeps,
} from '../../helpers/mcp-servers.ts'
import { registerUser, startApp, type TestApp } from '../../helpers/start-app.ts'
import { patchTool } from '../chat/chat-test-kit.ts'

// The personal MCP endpoint (issue 15): an MCP client nobody here configured (the v2 client SDK,
// in both protocol eras) signs in with an API token, sees the user's switched-on tools under the
// chat's names, and calls them through the proxy (logged with source `mcp`).

let t: TestApp
let server: Listening
let everything: RunningHttp
beforeAll(async () => {
  ;[t, everything] = await Promise.all([
    startApp({ config: { ssrf: LOOPBACK_POLICY } }),
    startEverything('streamableHttp'),
  ])
  server = await listen(t.app)
}, 60_000)
afterAll(async () => {
  await server?.close()
  await everything?.close()
  await t?.close()
})

async function userWithToken() {
  const user = await registerUser(t)
  const added = await t.request('/api/user/mcp-servers', {
    method: 'POST',
    cookie: user.cookie,
    json: { name: 'everything', transport: 'streamable-http', url: everything.url },
  })
  expect(added.status).toBe(201)
  const created = await t.request('/api/user/tokens', {
    method: 'POST',
    cookie: user.cookie,
    json: { name: 'claude desktop' },
  })
  const { secret } = (await created.json()) as { secret: string }
  return { ...user, serverId: ((await added.json()) as { id: string }).id, secret }
}

async function connected(
  secret: string,
  era: 'modern' | 'legacy',
  answer?: (message: string) => { action: 'accept' | 'decline'; content?: { approve: boolean } },
) {
  const client = new Client(
    { name: 'endpoint-test', title: 'Endpoint Test', version: '1.0.0' },
    {
      // 2026-07-28 first (`server/discover`), the 2025 handshake for a legacy prior.
      versionNegotiation: { mode: 'auto' },
      capabilities: answer ? { elicitation: { form: {} } } : {},
    },
  )
  if (answer) {
    client.setRequestHandler('elicitation/create', async (request) =>
      answer(String((request.params as { message?: unknown }).message)),
    )
  }
  const transport = new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), {
    requestInit: { headers: { authorization: `Bearer ${secret}` } },
  })
  await client.connect(transport, era === 'legacy' ? { prior: { kind: 'legacy' } } : {})
  onTestFinished(() => client.close())
  return client
}

describe.each(['modern', 'legacy'] as const)('/mcp, %s era', (era) => {
  it("lists the user's switched-on tools under the chat's names and calls one through the proxy", async () => {
    const user = await userWithToken()
    const client = await connected(user.secret, era)
    expect(client.getProtocolEra()).toBe(era)
    const { tools } = await client.listTools()
    const names = tools.map((tool) => tool.name)
    expect(names).toContain('everything__echo')
    const echo = tools.find((tool) => tool.name === 'everything__echo')
    expect(echo?.inputSchema).toMatchObject({ type: 'object' })

    const result = await client.callTool({
      name: 'everything__echo',
      arguments: { message: `hello from ${era}` },
    })
    expect(result.isError).toBeFalsy()
    expect(JSON.stringify(result.content)).toContain(`hello from ${era}`)

    const log = await t.request('/api/user/mcp-tool-calls', { cookie: user.cookie })
    const { calls } = (await log.json()) as {
      calls: { source: string; toolName: string; clientName: string | null; status: string }[]
    }
    expect(calls[0]).toMatchObject({ source: 'mcp', toolName: 'echo', status: 'succeeded' })
    expect(calls[0]?.clientName).toBeTruthy()
  })

  it("offers the user's prompts and resources too, read through their servers", async () => {
    const user = await userWithToken()
    const client = await connected(user.secret, era)
    const { prompts } = await client.listPrompts()
    expect(prompts.map((prompt) => prompt.name)).toContain('everything__args-prompt')
    const filled = await client.getPrompt({
      name: 'everything__args-prompt',
      arguments: { city: 'Bergen' },
    })
    expect(JSON.stringify(filled.messages)).toContain("What's weather in Bergen?")
    await expect(
      client.getPrompt({ name: 'everything__args-prompt', arguments: {} }),
    ).rejects.toThrow(/city/)

    const { resources } = await client.listResources()
    const features = resources.find((resource) => resource.name === 'features.md')
    expect(features?.uri).toBe('demo://resource/static/document/features.md')
    const read = await client.readResource({ uri: features?.uri as string })
    expect(read.contents[0]?.uri).toBe(features?.uri)
    const { resourceTemplates } = await client.listResourceTemplates()
    expect(resourceTemplates.map((template) => template.uriTemplate)).toContain(
      'demo://resource/dynamic/text/{resourceId}',
    )
    // A URI made from a template is read from the server whose template it fits.
    const made = await client.readResource({ uri: 'demo://resource/dynamic/text/4' })
    expect(JSON.stringify(made.contents)).toMatch(/Resource 4/)
    await expect(client.readResource({ uri: 'nowhere://x' })).rejects.toThrow(/lists/)
  })

  it("passes the server's progress on to the client", async () => {
    const user = await userWithToken()
    const client = await connected(user.secret, era)
    const seen: number[] = []
    const result = await client.callTool(
      { name: 'everything__trigger-long-running-operation', arguments: { duration: 1, steps: 3 } },
      { onprogress: (progress) => seen.push(progress.progress) },
    )
    expect(result.isError).toBeFalsy()
    expect(seen.length).toBeGreaterThanOrEqual(2)
    expect(seen).toEqual([...seen].sort((a, b) => a - b))
  })

  it('answers a refusal as the tool error, in words, and an unknown tool as a protocol error', async () => {
    const user = await userWithToken()
    const client = await connected(user.secret, era)
    const invalid = await client.callTool({ name: 'everything__echo', arguments: { message: 42 } })
    expect(invalid.isError).toBe(true)
    expect(JSON.stringify(invalid.content)).toMatch(/message/)
    await expect(client.callTool({ name: 'nope__nothing', arguments: {} })).rejects.toThrow(
      /no tool named/,
    )
  })
})

describe('/mcp sign-in and origin', () => {
  it('refuses a missing or wrong token (401 with a challenge) and a cookie alone', async () => {
    const user = await userWithToken()
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} })
    const headers = {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
    }
    const attempts: Record<string, string>[] = [
      {},
      { authorization: 'Bearer sb_wrong' },
      { cookie: user.cookie },
    ]
    for (const extra of attempts) {
      const res = await fetch(`${server.url}/mcp`, {
        method: 'POST',
        headers: { ...headers, ...extra },
        body,
      })
      expect(res.status).toBe(401)
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/)
    }
  })

  it('refuses a request that a web page of another origin sends (DNS rebinding)', async () => {
    const user = await userWithToken()
    const res = await fetch(`${server.url}/mcp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        authorization: `Bearer ${user.secret}`,
        origin: 'http://evil.example',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
    })
    expect(res.status).toBe(403)
  })

  it("never shows one user's tools to another", async () => {
    const owner = await userWithToken()
    const other = await registerUser(t)
    const created = await t.request('/api/user/tokens', {
      method: 'POST',
      cookie: other.cookie,
      json: { name: 'cursor' },
    })
    const { secret } = (await created.json()) as { secret: string }
    const client = await connected(secret, 'modern')
    expect((await client.listTools()).tools).toEqual([])
    const call = await client
      .callTool({ name: 'everything__echo', arguments: { message: 'x' } })
      .catch((error: Error) => error)
    expect(String(call)).toMatch(/no tool named/)
    expect(owner.secret).not.toBe(secret)
  })

  it("tells a listening 2026-07-28 client when the user's tools change, and only that user's", async () => {
    const user = await userWithToken()
    const other = await userWithToken()
    const heard = { mine: 0, theirs: 0 }
    const listening = async (secret: string, who: keyof typeof heard) => {
      const client = new Client(
        { name: 'listener', version: '1.0.0' },
        {
          versionNegotiation: { mode: 'auto' },
          listChanged: {
            tools: {
              autoRefresh: false,
              debounceMs: 0,
              onChanged: () => {
                heard[who] += 1
              },
            },
          },
        },
      )
      await client.connect(
        new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), {
          requestInit: { headers: { authorization: `Bearer ${secret}` } },
        }),
      )
      onTestFinished(() => client.close())
      return client
    }
    const mine = await listening(user.secret, 'mine')
    await listening(other.secret, 'theirs')
    // The listen streams are open once the SDK has had their acknowledgements.
    await new Promise((resolve) => setTimeout(resolve, 500))
    await patchTool(t, user.cookie, user.serverId, 'echo', { enabled: false })
    await expect.poll(() => heard.mine, { timeout: 10_000 }).toBeGreaterThan(0)
    expect(heard.theirs).toBe(0)
    const { tools } = await mine.listTools()
    expect(tools.map((tool) => tool.name)).not.toContain('everything__echo')
  })

  it('refuses a tool that asks for approval, saying how to allow it', async () => {
    const user = await userWithToken()
    await patchTool(t, user.cookie, user.serverId, 'echo', { approvalPolicy: 'always' })
    const client = await connected(user.secret, 'modern')
    const result = await client.callTool({ name: 'everything__echo', arguments: { message: 'x' } })
    expect(result.isError).toBe(true)
    expect(JSON.stringify(result.content)).toMatch(/asks for your approval.*Never ask/)
  })

  it('is not there when the operator switched it off', async () => {
    const off = await startApp({
      config: { mcpEndpoint: { enabled: false, dynamicClientRegistration: true } },
    })
    try {
      const res = await off.request('/mcp', { method: 'POST', json: {} })
      expect(res.status).toBe(404)
    } finally {
      await off.close()
    }
  })

  it('asks the user through a client that can elicit, and runs the call only on yes', async () => {
    const user = await userWithToken()
    await patchTool(t, user.cookie, user.serverId, 'echo', { approvalPolicy: 'always' })
    const questions: string[] = []
    const yes = await connected(user.secret, 'modern', (message) => {
      questions.push(message)
      return { action: 'accept', content: { approve: true } }
    })
    const approved = await yes.callTool({ name: 'everything__echo', arguments: { message: 'ok?' } })
    expect(approved.isError).toBeFalsy()
    expect(JSON.stringify(approved.content)).toContain('ok?')
    expect(questions).toHaveLength(1)
    expect(questions[0]).toMatch(/allow "echo" of "everything".*"message": "ok\?"/s)

    const no = await connected(user.secret, 'modern', () => ({ action: 'decline' }))
    const denied = await no.callTool({ name: 'everything__echo', arguments: { message: 'no' } })
    expect(denied.isError).toBe(true)
    expect(JSON.stringify(denied.content)).toMatch(/denied/)
    const log = await t.request('/api/user/mcp-tool-calls', { cookie: user.cookie })
    const { calls } = (await log.json()) as { calls: { input: { message: string } }[] }
    // Only the approved call reached the server.
    expect(calls.map((call) => call.input.message)).toEqual(['ok?'])
  })

  it('does not take an approval the endpoint never asked for, or one signed for other arguments', async () => {
    const user = await userWithToken()
    await patchTool(t, user.cookie, user.serverId, 'echo', { approvalPolicy: 'always' })
    const call = async (params: Record<string, unknown>) => {
      const res = await fetch(`${server.url}/mcp`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          authorization: `Bearer ${user.secret}`,
          'mcp-protocol-version': '2026-07-28',
          'mcp-method': 'tools/call',
          'mcp-name': 'everything__echo',
        },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 1,
          method: 'tools/call',
          params: {
            name: 'everything__echo',
            _meta: {
              'io.modelcontextprotocol/protocolVersion': '2026-07-28',
              'io.modelcontextprotocol/clientCapabilities': { elicitation: { form: {} } },
              'io.modelcontextprotocol/clientInfo': { name: 'forger', version: '1' },
            },
            ...params,
          },
        }),
      })
      return (await res.json()) as {
        result?: { resultType?: string; requestState?: string; isError?: boolean }
        error?: { code: number }
      }
    }
    const yes = { approve: { action: 'accept', content: { approve: true } } }
    // An answer sent unasked is not an approval: the endpoint asks.
    const unasked = await call({ arguments: { message: 'a' }, inputResponses: yes })
    expect(unasked.result?.resultType).toBe('input_required')
    const state = unasked.result?.requestState
    expect(state).toBeTruthy()
    // The question was for {message: 'a'}: it does not approve other arguments.
    const other = await call({
      arguments: { message: 'b' },
      inputResponses: yes,
      requestState: state,
    })
    expect(other.result?.resultType).toBe('input_required')
    // A tampered state is refused outright.
    const tampered = await call({
      arguments: { message: 'a' },
      inputResponses: yes,
      requestState: `${state}x`,
    })
    expect(tampered.error?.code).toBe(-32602)
    const log = await t.request('/api/user/mcp-tool-calls', { cookie: user.cookie })
    expect(((await log.json()) as { calls: unknown[] }).calls).toEqual([])
  })
})

const INSPECTOR = fileURLToPath(
  new URL(
    '../../../node_modules/@modelcontextprotocol/inspector-cli/build/index.js',
    import.meta.url,
  ),
)

describe('/mcp with a client nobody here wrote (@modelcontextprotocol/inspector-cli, SDK 1.x)', () => {
  const inspect = async (secret: string, args: string[]) => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [INSPECTOR, `${server.url}/mcp`, '--header', `Authorization: Bearer ${secret}`, ...args],
      // It finds its own package.json relative to the working directory.
      { timeout: 30_000, cwd: dirname(INSPECTOR) },
    )
    return JSON.parse(stdout)
  }

  it('lists the tools and calls one with an API token', async () => {
    const user = await userWithToken()
    const listed = await inspect(user.secret, ['--method', 'tools/list'])
    expect(listed.tools.map((tool: { name: string }) => tool.name)).toContain('everything__echo')
    const called = await inspect(user.secret, [
      '--method',
      'tools/call',
      '--tool-name',
      'everything__echo',
      '--tool-arg',
      'message=from the inspector',
    ])
    expect(JSON.stringify(called.content)).toContain('from the inspector')
    const log = await t.request('/api/user/mcp-tool-calls', { cookie: user.cookie })
    const { calls } = (await log.json()) as { calls: { source: string; clientName: string }[] }
    expect(calls[0]?.source).toBe('mcp')
  })
})

describe('long calls as tasks (2026-07-28, io.modelcontextprotocol/tasks)', () => {
  // Switchboard's own MCP client (ext-tasks requester) on the endpoint: a client nobody here
  // wrote for this endpoint, which polls tasks as the extension says.
  async function tasksClient(secret: string) {
    const connection = await connectMcp(
      {
        name: 'endpoint',
        transport: 'streamable-http',
        url: `${server.url}/mcp`,
        trusted: false,
        headers: { authorization: `Bearer ${secret}` },
      },
      testDeps({ ssrfPolicy: LOOPBACK_POLICY }),
    )
    onTestFinished(() => connection.close())
    return connection
  }
  function longCall(overrides: Partial<UpstreamCall> = {}) {
    const progress: ToolCallProgress[] = []
    const call: UpstreamCall = {
      name: 'everything__trigger-long-running-operation',
      arguments: { duration: 1.5, steps: 3 },
      execution: null,
      definition: { inputSchema: { type: 'object' } },
      signal: new AbortController().signal,
      timeoutMs: 10_000,
      maxDurationMs: 30_000,
      onProgress: (update) => progress.push(update),
      ...overrides,
    }
    return { call, progress }
  }
  async function quickTasks(run: () => Promise<void>) {
    const before = t.deps.config.toolCalls.asyncAfterMs
    t.deps.config.toolCalls.asyncAfterMs = 200
    try {
      await run()
    } finally {
      t.deps.config.toolCalls.asyncAfterMs = before
    }
  }

  it('hands a long call back as a task, polled to its end; the call log has it once', async () => {
    const user = await userWithToken()
    const connection = await tasksClient(user.secret)
    expect(connection.tasks?.generation).toBe('v2')
    await quickTasks(async () => {
      const { call, progress } = longCall()
      const result = await callUpstream(connection, call)
      expect(JSON.stringify(result.content)).toMatch(/Long running operation completed/)
      // Polled while it ran: its progress came back as the task's status.
      expect(progress.length).toBeGreaterThan(0)
    })
    const log = await t.request('/api/user/mcp-tool-calls', { cookie: user.cookie })
    const { calls } = (await log.json()) as {
      calls: { source: string; toolName: string; status: string; mode: string }[]
    }
    expect(calls).toHaveLength(1)
    expect(calls[0]).toMatchObject({
      source: 'mcp',
      toolName: 'trigger-long-running-operation',
      status: 'succeeded',
      mode: 'async',
    })
  })

  it('cancels the call when the client cancels the task', async () => {
    const user = await userWithToken()
    const connection = await tasksClient(user.secret)
    await quickTasks(async () => {
      const controller = new AbortController()
      const { call } = longCall({
        arguments: { duration: 20, steps: 20 },
        signal: controller.signal,
      })
      const running = callUpstream(connection, call)
      await expect
        .poll(async () => {
          const log = await t.request('/api/user/mcp-tool-calls', { cookie: user.cookie })
          return ((await log.json()) as { calls: { mode: string }[] }).calls[0]?.mode
        })
        .toBe('async')
      controller.abort(new Error('stopped'))
      await expect(running).rejects.toThrow()
    })
    await expect
      .poll(async () => {
        const log = await t.request('/api/user/mcp-tool-calls', { cookie: user.cookie })
        return ((await log.json()) as { calls: { status: string }[] }).calls[0]?.status
      })
      .toBe('cancelled')
  })

  it("another user's task is not found", async () => {
    const owner = await userWithToken()
    const other = await userWithToken()
    const connection = await tasksClient(owner.secret)
    let taskId = ''
    await quickTasks(async () => {
      const { call } = longCall({ arguments: { duration: 1, steps: 2 } })
      await callUpstream(connection, call)
      const log = await t.request('/api/user/mcp-tool-calls', { cookie: owner.cookie })
      taskId = ((await log.json()) as { calls: { id: string }[] }).calls[0]?.id as string
    })
    const poll = await fetch(`${server.url}/mcp`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${other.secret}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': '2026-07-28',
        'mcp-method': 'tasks/get',
        'mcp-name': taskId,
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tasks/get',
        params: {
          taskId,
          _meta: {
            'io.modelcontextprotocol/protocolVersion': '2026-07-28',
            'io.modelcontextprotocol/clientInfo': { name: 'probe', version: '1' },
            'io.modelcontextprotocol/clientCapabilities': {
              extensions: { 'io.modelcontextprotocol/tasks': {} },
            },
          },
        },
      }),
    })
    const body = (await poll.json()) as { error?: { message: string }; result?: unknown }
    expect(body.result).toBeUndefined()
    expect(body.error?.message).toMatch(/no task/)
  })
})

describe("/mcp passes a server's questions on to a 2026-07-28 client that can answer them", () => {
  it('asks approval first, then relays every round of the server to the client, and back', async () => {
    const modern = await startModernServer()
    onTestFinished(() => modern.close())
    const user = await registerUser(t)
    const added = await t.request('/api/user/mcp-servers', {
      method: 'POST',
      cookie: user.cookie,
      json: { name: 'modern', transport: 'streamable-http', url: modern.url },
    })
    expect(added.status).toBe(201)
    const created = await t.request('/api/user/tokens', {
      method: 'POST',
      cookie: user.cookie,
      json: { name: 'relay' },
    })
    const { secret } = (await created.json()) as { secret: string }
    const client = new Client(
      { name: 'relay-test', version: '1.0.0' },
      { versionNegotiation: { mode: 'auto' }, capabilities: { elicitation: { form: {} } } },
    )
    const asked: string[] = []
    const answers: Record<string, Record<string, unknown>> = {
      approve: { approve: true },
      name: { name: 'Ada' },
      city: { city: 'Oslo' },
      confirm: { confirm: true },
    }
    client.setRequestHandler('elicitation/create', async (request) => {
      const { message, requestedSchema } = request.params as {
        message: string
        requestedSchema: { properties: Record<string, unknown> }
      }
      asked.push(message)
      const field = Object.keys(requestedSchema.properties)[0] as string
      return { action: 'accept', content: answers[field] as Record<string, string | boolean> }
    })
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${secret}` } },
      }),
    )
    onTestFinished(() => client.close())

    const result = await client.callTool({ name: 'modern__book', arguments: {} })

    expect(JSON.stringify(result.content)).toContain('booked for Ada in Oslo')
    // Switchboard's approval once, then the server's own questions (two at once, then one).
    expect(asked[0]).toMatch(/allow "book" of "modern"/)
    expect(asked.slice(1)).toEqual(['Who is it for?', 'In which city?', 'Book for Ada in Oslo?'])
    const questions = await t.request('/api/user/elicitations', { cookie: user.cookie })
    expect(await questions.json()).toMatchObject({ elicitations: [] })
    // Each round reached the server through the proxy: three calls in the log.
    const log = await t.request('/api/user/mcp-tool-calls', { cookie: user.cookie })
    const { calls } = (await log.json()) as { calls: { toolName: string; status: string }[] }
    expect(calls.map((call) => [call.toolName, call.status])).toEqual([
      ['book', 'succeeded'],
      ['book', 'succeeded'],
      ['book', 'succeeded'],
    ])
  })
})
