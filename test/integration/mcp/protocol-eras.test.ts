import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import { discoverTools } from '../../../src/server/mcp/catalog/discovery.ts'
import type { McpConnection } from '../../../src/server/mcp/client/connect.ts'
import { connectMcp } from '../../../src/server/mcp/client/connect.ts'
import type { McpEndpoint } from '../../../src/server/mcp/client/endpoint.ts'
import {
  type ModernServer,
  modernEchoServer,
  startModernServer,
} from '../../fixtures/mcp/modern-server.ts'
import { type SdkHttpServer, startSdkHttpServer } from '../../fixtures/mcp/sdk-http-server.ts'
import { LOOPBACK_POLICY, testDeps } from '../../helpers/mcp-servers.ts'

// MCP 2026-07-28 (stateless: `server/discover`, no session, per-request `_meta` and headers) and
// the 2025 era (the `initialize` handshake and its session), spoken by the same client: it asks
// for 2026-07-28 first and falls back to what the server answers.

const LIMITS = {
  maxTools: 100,
  maxDescriptionChars: 2_000,
  maxSchemaBytes: 65_536,
  timeoutMs: 5_000,
}

function endpointAt(url: string, overrides: Partial<McpEndpoint> = {}): McpEndpoint {
  return { name: 'eras', transport: 'streamable-http', url, trusted: false, ...overrides }
}

async function connect(endpoint: McpEndpoint): Promise<McpConnection> {
  const connection = await connectMcp(endpoint, testDeps({ ssrfPolicy: LOOPBACK_POLICY }))
  onTestFinished(() => connection.close())
  return connection
}

async function callText(connection: McpConnection, name: string, args: Record<string, unknown>) {
  const result = await connection.client.callTool({ name, arguments: args })
  return (result.content as Array<{ text?: string }>)[0]?.text
}

describe('a server that speaks only 2026-07-28', () => {
  let server: ModernServer

  beforeAll(async () => {
    server = await startModernServer({ legacy: 'reject' })
  })
  afterAll(() => server?.close())

  it('is found with server/discover, lists and calls tools, with no session', async () => {
    const connection = await connect(endpointAt(server.url))
    expect(connection.serverInfo).toMatchObject({
      name: 'modern-echo',
      protocolVersion: '2026-07-28',
      era: 'modern',
    })
    const discovery = await discoverTools(connection, LIMITS)
    expect(discovery.tools.map((tool) => tool.name).sort()).toEqual([
      'add',
      'book',
      'echo',
      'weather',
    ])
    expect(await callText(connection, 'add', { a: 2, b: 3 })).toBe('5')

    const posts = server.requests.filter((request) => request.method !== null)
    expect(posts.map((request) => request.method)).toEqual([
      'server/discover',
      'tools/list',
      'tools/call',
    ])
    expect(posts.some((request) => request.method === 'initialize')).toBe(false)
    for (const request of posts) {
      expect(request.headers.get('mcp-session-id')).toBeNull()
      // Every request says which revision and which client, in `_meta` and in headers.
      expect(request.headers.get('mcp-method')).toBe(request.method)
      expect(request.meta?.['io.modelcontextprotocol/protocolVersion']).toBe('2026-07-28')
      expect(request.meta?.['io.modelcontextprotocol/clientInfo']).toMatchObject({
        name: 'switchboard',
      })
    }
    expect(posts.find((request) => request.method === 'tools/call')?.headers.get('mcp-name')).toBe(
      'add',
    )
  })
})

describe('a server that speaks both eras', () => {
  let server: ModernServer

  beforeAll(async () => {
    server = await startModernServer({ legacy: 'stateless' })
  })
  afterAll(() => server?.close())

  it('is spoken to in 2026-07-28', async () => {
    const connection = await connect(endpointAt(server.url))
    expect(connection.serverInfo.era).toBe('modern')
    expect(await callText(connection, 'echo', { text: 'hi' })).toBe('echo: hi')
    expect(server.requests.some((request) => request.method === 'initialize')).toBe(false)
  })

  it('is spoken to in the 2025 era when the last check found that (no probe)', async () => {
    server.requests.length = 0
    const connection = await connect(endpointAt(server.url, { knownEra: 'legacy' }))
    expect(connection.serverInfo.era).toBe('legacy')
    expect(await callText(connection, 'echo', { text: 'old' })).toBe('echo: old')
    const methods = server.requests.map((request) => request.method)
    expect(methods).not.toContain('server/discover')
    expect(methods[0]).toBe('initialize')
  })
})

describe('a 2025 server (sessions, initialize)', () => {
  let server: SdkHttpServer

  beforeAll(async () => {
    server = await startSdkHttpServer()
  })
  afterAll(() => server?.close())

  it('answers the probe as a 2025 server does, and is then used through its session', async () => {
    const connection = await connect(endpointAt(server.url))
    expect(connection.serverInfo.era).toBe('legacy')
    expect(connection.serverInfo.protocolVersion).toBe('2025-11-25')
    const result = await connection.client.callTool({
      name: 'echo',
      arguments: { message: 'legacy' },
    })
    expect(result.isError).not.toBe(true)
    // After the handshake every request rides the session.
    const last = server.requests.at(-1)
    expect(last?.headers.get('mcp-session-id')).toBeTruthy()
  })
})

describe('asking the user in 2026-07-28 (input_required)', () => {
  let server: ModernServer

  beforeAll(async () => {
    server = await startModernServer({ legacy: 'reject' })
  })
  afterAll(() => server?.close())

  it('answers several questions in one round and a second round, echoing the state', async () => {
    const asked: string[] = []
    const connection = await connectMcp(
      endpointAt(server.url),
      testDeps({ ssrfPolicy: LOOPBACK_POLICY }),
      {
        onElicitation: async (params) => {
          asked.push(params.message)
          const answers: Record<string, Record<string, string | boolean>> = {
            'Who is it for?': { name: 'Ada' },
            'In which city?': { city: 'Turin' },
          }
          return { action: 'accept', content: answers[params.message] ?? { confirm: true } }
        },
      },
    )
    onTestFinished(() => connection.close())
    expect(await callText(connection, 'book', {})).toBe('booked for Ada in Turin')
    expect(asked.sort()).toEqual(['Book for Ada in Turin?', 'In which city?', 'Who is it for?'])
    const calls = server.requests.filter((request) => request.method === 'tools/call')
    expect(calls).toHaveLength(3)
  })

  it('ends with the server’s answer to a declined question', async () => {
    const connection = await connectMcp(
      endpointAt(server.url),
      testDeps({ ssrfPolicy: LOOPBACK_POLICY }),
      {
        onElicitation: async (params) =>
          params.message.startsWith('Book for')
            ? { action: 'decline' }
            : { action: 'accept', content: { name: 'Bo', city: 'Oslo' } },
      },
    )
    onTestFinished(() => connection.close())
    expect(await callText(connection, 'book', {})).toBe('not booked')
  })
})

describe('tool lists that stay current in 2026-07-28 (subscriptions/listen)', () => {
  let server: ModernServer

  beforeAll(async () => {
    server = await startModernServer({ legacy: 'reject' })
  })
  afterAll(() => server?.close())

  it('hears of a changed tool list on the listen stream', async () => {
    let changes = 0
    const connection = await connectMcp(
      endpointAt(server.url),
      testDeps({ ssrfPolicy: LOOPBACK_POLICY }),
      { onToolsListChanged: () => changes++ },
    )
    onTestFinished(() => connection.close())
    expect(server.requests.map((request) => request.method)).toContain('subscriptions/listen')
    server.toolsChanged()
    await expect.poll(() => changes).toBe(1)
  })
})

describe('a tool list the server says stays fresh (ttlMs)', () => {
  let server: ModernServer

  beforeAll(async () => {
    server = await startModernServer({
      createServer: () => modernEchoServer({ toolsTtlMs: 60_000 }),
    })
  })
  afterAll(() => server?.close())

  it('is not asked for again by a routine check while fresh, and is by Sync', async () => {
    const connection = await connect(endpointAt(server.url))
    const lists = () => server.requests.filter((request) => request.method === 'tools/list').length
    const first = await discoverTools(connection, LIMITS, { reuseFresh: true })
    expect(lists()).toBe(1)
    expect(await discoverTools(connection, LIMITS, { reuseFresh: true })).toEqual({
      ...first,
      reused: true,
    })
    expect(lists()).toBe(1)
    await discoverTools(connection, LIMITS)
    expect(lists()).toBe(2)
  })
})
