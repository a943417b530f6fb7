import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client'
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import { echoServer, startSdkHttpServer } from '../../fixtures/mcp/sdk-http-server.ts'
import { type Listening, listen } from '../../helpers/listen.ts'
import { LOOPBACK_POLICY, type RunningHttp, startEverything } from '../../helpers/mcp-servers.ts'
import { registerUser, startApp, type TestApp } from '../../helpers/start-app.ts'
import { patchTool } from '../chat/chat-test-kit.ts'

// Endpoint profiles in search mode and with single tools (issue 15, "too many tools"): a
// search-mode client lists `search_tools` and `call_tool` only, finds tools with the first and
// runs them with the second through the same proxy as a direct call; a profile of single tools
// offers those tools and no others.

let t: TestApp
let server: Listening
let everything: RunningHttp
let echo: RunningHttp
beforeAll(async () => {
  ;[t, everything, echo] = await Promise.all([
    startApp({ config: { ssrf: LOOPBACK_POLICY } }),
    startEverything('streamableHttp'),
    startSdkHttpServer(echoServer),
  ])
  server = await listen(t.app)
}, 60_000)
afterAll(async () => {
  await server?.close()
  await echo?.close()
  await everything?.close()
  await t?.close()
})

type Answer = { action: 'accept' | 'decline'; content?: { approve: boolean } }

/** A user with the everything server and a one-tool echo server ("plain"), and a token. */
async function userWithServers() {
  const user = await registerUser(t)
  const add = async (name: string, url: string) => {
    const res = await t.request('/api/user/mcp-servers', {
      method: 'POST',
      cookie: user.cookie,
      json: { name, transport: 'streamable-http', url },
    })
    expect(res.status).toBe(201)
    return ((await res.json()) as { id: string }).id
  }
  const everythingId = await add('everything', everything.url)
  const plainId = await add('plain', echo.url)
  const created = await t.request('/api/user/tokens', {
    method: 'POST',
    cookie: user.cookie,
    json: { name: 'agent' },
  })
  const { secret } = (await created.json()) as { secret: string }
  const toolId = async (serverId: string, name: string) => {
    const res = await t.request(`/api/user/mcp-servers/${serverId}/tools`, { cookie: user.cookie })
    const { tools } = (await res.json()) as { tools: { id: string; name: string }[] }
    const found = tools.find((tool) => tool.name === name)
    if (!found) throw new Error(`no tool ${name}`)
    return found.id
  }
  const profile = async (json: Record<string, unknown>) => {
    const res = await t.request('/api/user/mcp-profiles', {
      method: 'POST',
      cookie: user.cookie,
      json,
    })
    expect(res.status, await res.clone().text()).toBe(201)
    return (await res.json()) as { id: string; toolIds: string[]; toolMode: string }
  }
  const calls = async () => {
    const res = await t.request('/api/user/mcp-tool-calls', { cookie: user.cookie })
    return (
      (await res.json()) as {
        calls: { source: string; toolName: string; status: string; input: unknown }[]
      }
    ).calls
  }
  return { ...user, everythingId, plainId, secret, toolId, profile, calls }
}

async function connected(
  secret: string,
  path: string,
  options: { era?: 'modern' | 'legacy'; answer?: (message: string) => Answer } = {},
) {
  const client = new Client(
    { name: 'search-test', version: '1.0.0' },
    {
      versionNegotiation: { mode: 'auto' },
      capabilities: options.answer ? { elicitation: { form: {} } } : {},
    },
  )
  const { answer } = options
  if (answer) {
    client.setRequestHandler('elicitation/create', async (request) =>
      answer(String((request.params as { message?: unknown }).message)),
    )
  }
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${server.url}${path}`), {
      requestInit: { headers: { authorization: `Bearer ${secret}` } },
    }),
    options.era === 'legacy' ? { prior: { kind: 'legacy' } } : {},
  )
  onTestFinished(() => client.close())
  return client
}

type Found = {
  tools: { name: string; description: string; inputSchema: Record<string, unknown> }[]
  total: number
  note: string
}

async function search(client: Client, query: string, limit?: number): Promise<Found> {
  const result = await client.callTool({
    name: 'search_tools',
    arguments: { query, ...(limit ? { limit } : {}) },
  })
  expect(result.isError).toBeFalsy()
  const [first] = result.content as { type: string; text: string }[]
  return JSON.parse(first?.text ?? 'null') as Found
}

const textOf = (result: { content?: unknown }) => JSON.stringify(result.content)

describe.each(['modern', 'legacy'] as const)('a search-mode profile, %s era', (era) => {
  it('lists only search_tools and call_tool, finds a tool, and runs it through the proxy', async () => {
    const user = await userWithServers()
    await user.profile({ name: 'agent', serverIds: [user.everythingId], toolMode: 'search' })
    const client = await connected(user.secret, '/mcp/p/agent', { era })
    expect(client.getProtocolEra()).toBe(era)
    const { tools } = await client.listTools()
    expect(tools.map((tool) => tool.name)).toEqual(['search_tools', 'call_tool'])
    const [searchTool, callTool] = tools
    expect(searchTool?.inputSchema).toMatchObject({ required: ['query'] })
    expect(searchTool?.description).toMatch(/from the servers everything\b/)
    expect(callTool?.inputSchema).toMatchObject({
      properties: { name: { type: 'string' }, arguments: { type: 'object' } },
      required: ['name'],
    })

    const found = await search(client, 'echo message')
    expect(found.tools[0]?.name).toBe('everything__echo')
    expect(found.tools[0]?.description).toMatch(/echo/i)
    expect(found.tools[0]?.inputSchema).toMatchObject({
      properties: { message: { type: 'string' } },
    })
    expect(found.total).toBeGreaterThan(5)
    expect(found.note).toMatch(/call_tool/)
    // Only the profile's server is searched, and the limit is kept.
    expect((await search(client, 'echo', 1)).tools).toHaveLength(1)
    const none = await search(client, 'zebra xylophone')
    expect(none.tools).toEqual([])
    expect(none.note).toMatch(/other or fewer words/)

    const result = await client.callTool({
      name: 'call_tool',
      arguments: { name: 'everything__echo', arguments: { message: `via call_tool ${era}` } },
    })
    expect(result.isError).toBeFalsy()
    expect(textOf(result)).toContain(`via call_tool ${era}`)
    const [logged] = await user.calls()
    expect(logged).toMatchObject({
      source: 'mcp',
      toolName: 'echo',
      status: 'succeeded',
      input: { message: `via call_tool ${era}` },
    })
  })
})

describe('call_tool', () => {
  it("checks the tool's arguments as a direct call does, and its own", async () => {
    const user = await userWithServers()
    await user.profile({ name: 'agent', serverIds: [user.everythingId], toolMode: 'search' })
    const client = await connected(user.secret, '/mcp/p/agent')
    const invalid = await client.callTool({
      name: 'call_tool',
      arguments: { name: 'everything__echo', arguments: { message: 42 } },
    })
    expect(invalid.isError).toBe(true)
    expect(textOf(invalid)).toMatch(/message/)
    const nameless = await client.callTool({ name: 'call_tool', arguments: { arguments: {} } })
    expect(nameless.isError).toBe(true)
    expect(textOf(nameless)).toMatch(/needs \\"name\\"/)
    const listArgs = await client.callTool({
      name: 'call_tool',
      arguments: { name: 'everything__echo', arguments: ['x'] },
    })
    expect(listArgs.isError).toBe(true)
    expect(textOf(listArgs)).toMatch(/"arguments\\" as an object/)
    // None of them reached a server.
    expect(await user.calls()).toEqual([])
  })

  it('refuses a tool outside the profile exactly as one that does not exist', async () => {
    const user = await userWithServers()
    await user.profile({ name: 'agent', serverIds: [user.everythingId], toolMode: 'search' })
    const client = await connected(user.secret, '/mcp/p/agent')
    // plain__echo is the user's, switched on, and offered at /mcp: not in this profile.
    const direct = await connected(user.secret, '/mcp')
    expect((await direct.listTools()).tools.map((tool) => tool.name)).toContain('plain__echo')

    const outside = await client.callTool({
      name: 'call_tool',
      arguments: { name: 'plain__echo', arguments: { message: 'x' } },
    })
    const nowhere = await client.callTool({
      name: 'call_tool',
      arguments: { name: 'plain__echx', arguments: { message: 'x' } },
    })
    expect(outside.isError).toBe(true)
    expect(textOf(outside)).toMatch(/no tool named \\"plain__echo\\"/)
    expect(textOf(outside).replace('plain__echo', '')).toBe(
      textOf(nowhere).replace('plain__echx', ''),
    )
    expect((await search(client, 'echo')).tools.map((tool) => tool.name)).not.toContain(
      'plain__echo',
    )
    // Called by its name, it is not there either.
    await expect(
      client.callTool({ name: 'plain__echo', arguments: { message: 'x' } }),
    ).rejects.toThrow(/no tool named/)
    expect(await user.calls()).toEqual([])
  })

  it('asks for approval through the client, and runs the call only on yes', async () => {
    const user = await userWithServers()
    await patchTool(t, user.cookie, user.everythingId, 'echo', { approvalPolicy: 'always' })
    await user.profile({ name: 'agent', serverIds: [user.everythingId], toolMode: 'search' })
    const questions: string[] = []
    const yes = await connected(user.secret, '/mcp/p/agent', {
      answer: (message) => {
        questions.push(message)
        return { action: 'accept', content: { approve: true } }
      },
    })
    const approved = await yes.callTool({
      name: 'call_tool',
      arguments: { name: 'everything__echo', arguments: { message: 'ok?' } },
    })
    expect(approved.isError).toBeFalsy()
    expect(textOf(approved)).toContain('ok?')
    expect(questions).toHaveLength(1)
    expect(questions[0]).toMatch(/allow "echo" of "everything".*"message": "ok\?"/s)

    const no = await connected(user.secret, '/mcp/p/agent', {
      answer: () => ({ action: 'decline' }),
    })
    const denied = await no.callTool({
      name: 'call_tool',
      arguments: { name: 'everything__echo', arguments: { message: 'no' } },
    })
    expect(denied.isError).toBe(true)
    expect(textOf(denied)).toMatch(/denied/)
    // A client that cannot be asked is told how to allow the tool.
    const mute = await connected(user.secret, '/mcp/p/agent')
    const refused = await mute.callTool({
      name: 'call_tool',
      arguments: { name: 'everything__echo', arguments: { message: 'mute' } },
    })
    expect(refused.isError).toBe(true)
    expect(textOf(refused)).toMatch(/asks for your approval.*Never ask/)
    expect((await user.calls()).map((call) => call.input)).toEqual([{ message: 'ok?' }])
  })
})

describe('a profile of single tools', () => {
  it('offers those tools and no others (nor the prompts of their servers)', async () => {
    const user = await userWithServers()
    const echoId = await user.toolId(user.everythingId, 'echo')
    const sumId = await user.toolId(user.everythingId, 'get-sum')
    const created = await user.profile({ name: 'read-only', serverIds: [], toolIds: [echoId] })
    expect(created).toMatchObject({
      toolIds: [echoId],
      tools: [{ id: echoId, serverId: user.everythingId, name: 'echo' }],
      toolMode: 'all',
    })
    const client = await connected(user.secret, '/mcp/p/read-only')
    expect((await client.listTools()).tools.map((tool) => tool.name)).toEqual(['everything__echo'])
    expect((await client.listPrompts()).prompts).toEqual([])
    const called = await client.callTool({ name: 'everything__echo', arguments: { message: 'hi' } })
    expect(textOf(called)).toContain('hi')
    await expect(
      client.callTool({ name: 'everything__get-sum', arguments: { a: 1, b: 2 } }),
    ).rejects.toThrow(/no tool named/)

    // Beside a whole server, and in search mode: found among those only.
    await user.profile({
      name: 'mixed',
      serverIds: [user.plainId],
      toolIds: [sumId],
      toolMode: 'search',
    })
    const mixed = await connected(user.secret, '/mcp/p/mixed')
    const found = await search(mixed, 'echo sum', 20)
    expect(found.total).toBe(2)
    expect(found.tools.map((tool) => tool.name).sort()).toEqual([
      'everything__get-sum',
      'plain__echo',
    ])
    const sum = await mixed.callTool({
      name: 'call_tool',
      arguments: { name: 'everything__get-sum', arguments: { a: 2, b: 3 } },
    })
    expect(textOf(sum)).toMatch(/5/)
  })

  it('changes with the profile, and tells nothing of a tool switched off', async () => {
    const user = await userWithServers()
    const echoId = await user.toolId(user.everythingId, 'echo')
    const profile = await user.profile({ name: 'one', serverIds: [], toolIds: [echoId] })
    const client = await connected(user.secret, '/mcp/p/one')
    expect((await client.listTools()).tools).toHaveLength(1)
    await patchTool(t, user.cookie, user.everythingId, 'echo', { enabled: false })
    expect((await client.listTools()).tools).toEqual([])
    await patchTool(t, user.cookie, user.everythingId, 'echo', { enabled: true })
    const patched = await t.request(`/api/user/mcp-profiles/${profile.id}`, {
      method: 'PATCH',
      cookie: user.cookie,
      json: { toolMode: 'search' },
    })
    expect(patched.status).toBe(200)
    expect((await client.listTools()).tools.map((tool) => tool.name)).toEqual([
      'search_tools',
      'call_tool',
    ])
  })
})
