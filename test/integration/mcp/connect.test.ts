import { SdkError, SdkErrorCode } from '@modelcontextprotocol/client'
import type { StdioClientTransport } from '@modelcontextprotocol/client/stdio'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import { UpstreamError } from '../../../src/server/errors.ts'
import { discoverTools } from '../../../src/server/mcp/catalog/discovery.ts'
import type { ConnectOptions, McpConnection } from '../../../src/server/mcp/client/connect.ts'
import { connectMcp } from '../../../src/server/mcp/client/connect.ts'
import type {
  ConnectDeps,
  McpEndpoint,
  McpFailure,
} from '../../../src/server/mcp/client/endpoint.ts'
import type { ResolvedAddress } from '../../../src/server/mcp/client/ssrf-guard.ts'
import { echoServer, startSdkHttpServer } from '../../fixtures/mcp/sdk-http-server.ts'
import { startWebSocketMcpServer } from '../../fixtures/mcp/websocket-server.ts'
import type { RunningHttp } from '../../helpers/mcp-servers.ts'
import {
  everythingStdioEndpoint,
  LOOPBACK_POLICY,
  STRICT_POLICY,
  serveFetch,
  startEverything,
  testDeps,
} from '../../helpers/mcp-servers.ts'

// A shell-style variable that must reach servers as text, never expanded.
// biome-ignore lint/suspicious/noTemplateCurlyInString: the literal text is the point
const HOME_VAR = '${HOME}'

async function connect(
  endpoint: McpEndpoint,
  deps: ConnectDeps = testDeps(),
  options?: ConnectOptions,
): Promise<McpConnection> {
  const connection = await connectMcp(endpoint, deps, options)
  onTestFinished(() => connection.close())
  return connection
}

/** The UpstreamError a failing connect rejects with. */
async function connectError(endpoint: McpEndpoint, deps: ConnectDeps = testDeps()) {
  const error = await connectMcp(endpoint, deps).then(
    (connection) => {
      void connection.close()
      throw new Error('expected the connection to fail')
    },
    (caught: unknown) => caught,
  )
  expect(error).toBeInstanceOf(UpstreamError)
  return error as UpstreamError
}

async function echo(connection: McpConnection, message: string): Promise<string> {
  const result = await connection.client.callTool({ name: 'echo', arguments: { message } })
  const [first] = result.content as Array<{ type: string; text?: string }>
  return first?.text ?? ''
}

describe('connectMcp to server-everything over stdio (operator server)', () => {
  let connection: McpConnection
  const secretName = 'SWITCHBOARD_TEST_PARENT_SECRET'

  beforeAll(async () => {
    process.env[secretName] = 'must-not-reach-the-child'
    const endpoint = everythingStdioEndpoint({ env: { LITERAL: HOME_VAR, EXTRA: 'given' } })
    connection = await connectMcp(endpoint, testDeps())
  })

  afterAll(async () => {
    delete process.env[secretName]
    await connection?.close()
  })

  it('initializes and reports the server info', () => {
    expect(connection.serverInfo).toMatchObject({
      name: 'mcp-servers/everything',
      title: 'Everything Reference Server',
      version: expect.any(String),
      protocolVersion: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    })
    expect(connection.serverInfo.capabilities).toHaveProperty('tools')
    expect(connection.serverInfo.instructions).toEqual(expect.any(String))
    expect(connection.latencyMs).toBeGreaterThan(0)
  })

  it('lists the tools and calls echo through the client', async () => {
    const { tools } = await discoverTools(connection)
    expect(tools.map((tool) => tool.name)).toEqual(
      expect.arrayContaining(['echo', 'get-env', 'trigger-long-running-operation']),
    )
    expect(await echo(connection, 'over stdio')).toBe('Echo: over stdio')
  })

  it('gives the child only the minimal environment plus its own env, unexpanded', async () => {
    const result = await connection.client.callTool({ name: 'get-env', arguments: {} })
    const [first] = result.content as Array<{ text: string }>
    const env = JSON.parse(first?.text ?? '{}') as Record<string, string>
    expect(env.LITERAL).toBe(HOME_VAR)
    expect(env.EXTRA).toBe('given')
    expect(env.PATH).toBeTruthy()
    expect(env[secretName]).toBeUndefined()
  })
})

describe('connectMcp with stdio endpoints', () => {
  it('refuses stdio from a user (untrusted) endpoint', async () => {
    const error = await connectError(everythingStdioEndpoint({ trusted: false }))
    expect(error.code).toBe('upstream_rejected')
    expect(error.message).toMatch(/only the operator can define them \(in switchboard\.yaml\)/)
  })

  it('kills the child process on close', async () => {
    const connection = await connectMcp(everythingStdioEndpoint(), testDeps())
    const pid = (connection.client.transport as StdioClientTransport).pid
    expect(pid).toBeGreaterThan(0)
    await connection.close()
    expect(() => process.kill(pid as number, 0)).toThrow(/ESRCH/)
  })

  it('explains a command that does not exist', async () => {
    const endpoint = everythingStdioEndpoint({ command: '/nonexistent/mcp-server', args: [] })
    const error = await connectError(endpoint)
    expect(error.message).toBe(
      'could not start "/nonexistent/mcp-server": command not found; check the command',
    )
  })
})

describe.each([
  ['streamable-http', 'streamableHttp'],
  ['sse', 'sse'],
] as const)('connectMcp to server-everything over %s', (transport, kind) => {
  let server: RunningHttp

  beforeAll(async () => {
    server = await startEverything(kind)
  })
  afterAll(() => server?.close())

  it('initializes, lists tools and calls echo', async () => {
    const endpoint: McpEndpoint = { name: 'everything', transport, url: server.url, trusted: false }
    const connection = await connect(endpoint)
    expect(connection.serverInfo.name).toBe('mcp-servers/everything')
    const { tools } = await discoverTools(connection)
    expect(tools.map((tool) => tool.name)).toContain('echo')
    expect(await echo(connection, transport)).toBe(`Echo: ${transport}`)
  })

  it('is refused by the SSRF guard without the loopback allowance, naming host and reason', async () => {
    const endpoint: McpEndpoint = { name: 'everything', transport, url: server.url, trusted: false }
    const error = await connectError(endpoint, testDeps({ ssrfPolicy: STRICT_POLICY }))
    expect(error.code).toBe('upstream_rejected')
    expect(error.details).toEqual({ status: 'error' })
    expect(error.message).toMatch(/^127\.0\.0\.1 is a loopback address; ask the operator/)
  })

  it('skips the SSRF guard for a trusted (operator) endpoint', async () => {
    const endpoint: McpEndpoint = { name: 'everything', transport, url: server.url, trusted: true }
    const connection = await connect(endpoint, testDeps({ ssrfPolicy: STRICT_POLICY }))
    expect(await echo(connection, 'trusted')).toBe('Echo: trusted')
  })
})

describe('connectMcp over WebSocket', () => {
  it('sends the auth header on the upgrade with subprotocol mcp, then lists and calls tools', async () => {
    await using server = await startWebSocketMcpServer({ requireAuthorization: 'Bearer ws-token' })
    const endpoint: McpEndpoint = {
      name: 'ws',
      transport: 'websocket',
      url: server.url,
      headers: { Authorization: 'Bearer ws-token', 'X-Tenant': 'acme' },
      trusted: false,
    }
    const connection = await connect(endpoint)
    expect(server.upgrades[0]).toMatchObject({
      authorization: 'Bearer ws-token',
      'x-tenant': 'acme',
      'sec-websocket-protocol': 'mcp',
    })
    const { tools } = await discoverTools(connection)
    expect(tools.map((tool) => tool.name)).toEqual(['echo'])
    expect(await echo(connection, 'over ws')).toBe('over ws')
  })

  it('reports a refused upgrade (401) as needs_auth', async () => {
    await using server = await startWebSocketMcpServer({ requireAuthorization: 'Bearer right' })
    const endpoint: McpEndpoint = {
      name: 'ws',
      transport: 'websocket',
      url: server.url,
      headers: { Authorization: 'Bearer wrong' },
      trusted: false,
    }
    const error = await connectError(endpoint)
    expect(error.message).toBe('server answered 401: check the token')
    expect(error.details).toEqual({ status: 'needs_auth' })
  })

  it('says so when the server does not speak the mcp subprotocol', async () => {
    await using server = await startWebSocketMcpServer({ refuseSubprotocol: true })
    const endpoint: McpEndpoint = {
      name: 'ws',
      transport: 'websocket',
      url: server.url,
      trusted: false,
    }
    const error = await connectError(endpoint)
    expect(error.message).toMatch(/did not accept the WebSocket subprotocol "mcp"/)
  })

  it('refuses a loopback ws:// URL under the strict policy before connecting', async () => {
    await using server = await startWebSocketMcpServer()
    const endpoint: McpEndpoint = {
      name: 'ws',
      transport: 'websocket',
      url: server.url,
      trusted: false,
    }
    const error = await connectError(endpoint, testDeps({ ssrfPolicy: STRICT_POLICY }))
    expect(error.message).toMatch(/^127\.0\.0\.1 is a loopback address/)
    expect(server.upgrades).toHaveLength(0)
  })

  it('re-checks the address the socket connects to (DNS rebinding)', async () => {
    await using server = await startWebSocketMcpServer()
    const port = new URL(server.url).port
    const answers = ['93.184.215.14', '127.0.0.1']
    const resolver = async (): Promise<ResolvedAddress[]> => [
      { address: answers.shift() ?? '127.0.0.1', family: 4 },
    ]
    const endpoint: McpEndpoint = {
      name: 'ws',
      transport: 'websocket',
      url: `ws://rebind.example:${port}/mcp`,
      trusted: false,
    }
    const error = await connectError(endpoint, testDeps({ ssrfPolicy: STRICT_POLICY, resolver }))
    expect(error.message).toMatch(/^rebind\.example resolves to 127\.0\.0\.1, a loopback address/)
    expect(server.upgrades).toHaveLength(0)
  })

  it('reports a dropped socket through onClose, and our own close as null', async () => {
    await using server = await startWebSocketMcpServer()
    const endpoint: McpEndpoint = {
      name: 'ws',
      transport: 'websocket',
      url: server.url,
      trusted: false,
    }
    const closes: Array<McpFailure | null> = []
    const dropped = await connect(endpoint, testDeps(), { onClose: (f) => closes.push(f) })
    server.dropConnections()
    await expect.poll(() => closes).toHaveLength(1)
    expect(closes[0]).toMatchObject({ status: 'offline', code: 'upstream_failed' })
    await dropped.close()

    const ours: Array<McpFailure | null> = []
    const connection = await connectMcp(endpoint, testDeps(), { onClose: (f) => ours.push(f) })
    await Promise.all([connection.close(), connection.close()])
    await connection.close()
    expect(ours).toEqual([null])
  })
})

describe('connectMcp headers and URLs', () => {
  it('sends the endpoint headers on every request and never expands a $VAR', async () => {
    await using server = await startSdkHttpServer()
    const endpoint: McpEndpoint = {
      name: 'sdk',
      transport: 'streamable-http',
      url: `${server.url}?path=${HOME_VAR}`,
      headers: { Authorization: 'Bearer tok-123', 'X-Literal': HOME_VAR },
      trusted: false,
    }
    const connection = await connect(endpoint)
    await connection.client.listTools()
    expect(server.requests.length).toBeGreaterThanOrEqual(3)
    for (const request of server.requests) {
      expect(request.headers.get('authorization')).toBe('Bearer tok-123')
      expect(request.headers.get('x-literal')).toBe(HOME_VAR)
      expect(new URL(request.url).searchParams.get('path')).toBe(HOME_VAR)
    }
  })

  it('checks the resolved address of a name (a name resolving to a private address)', async () => {
    const resolver = async (): Promise<ResolvedAddress[]> => [{ address: '10.1.2.3', family: 4 }]
    const endpoint: McpEndpoint = {
      name: 'private',
      transport: 'streamable-http',
      url: 'http://mcp.internal.example/mcp',
      trusted: false,
    }
    const error = await connectError(endpoint, testDeps({ ssrfPolicy: STRICT_POLICY, resolver }))
    expect(error.message).toMatch(
      /^mcp\.internal\.example resolves to 10\.1\.2\.3, a private address; ask the operator/,
    )
  })

  it('re-checks the address actually connected to (DNS rebinding)', async () => {
    await using server = await startSdkHttpServer()
    const answers = ['93.184.215.14', '127.0.0.1']
    const resolver = async (): Promise<ResolvedAddress[]> => {
      const address = answers.shift() ?? '127.0.0.1'
      return [{ address, family: 4 }]
    }
    const endpoint: McpEndpoint = {
      name: 'rebinding',
      transport: 'streamable-http',
      url: `http://rebind.example:${server.port}/mcp`,
      trusted: false,
    }
    const error = await connectError(endpoint, testDeps({ ssrfPolicy: STRICT_POLICY, resolver }))
    expect(error.message).toMatch(/^rebind\.example resolves to 127\.0\.0\.1, a loopback address/)
    expect(server.requests).toHaveLength(0)
  })

  it('refuses a URL whose scheme does not fit the transport', async () => {
    const endpoint: McpEndpoint = {
      name: 'mixed',
      transport: 'websocket',
      url: 'http://127.0.0.1:1/mcp',
      trusted: false,
    }
    const error = await connectError(endpoint)
    expect(error.message).toBe('a websocket URL must start with ws:// or wss://')
  })

  it('keeps credentials a server quotes back out of every log line, debug included', async () => {
    // A server that quotes the credentials it was sent in its error, as some do.
    await using server = await serveFetch(async (request) => {
      const said = `${request.headers.get('x-api-key')} / ${request.headers.get('authorization')}`
      return new Response(`invalid credentials: ${said}`, { status: 500 })
    })
    const lines: string[] = []
    const log = pino({ level: 'trace' }, { write: (line: string) => lines.push(line) })
    const endpoint: McpEndpoint = {
      name: 'quoting',
      transport: 'streamable-http',
      url: server.url,
      headers: { 'X-Api-Key': 'key-value-1234', Authorization: 'Bearer token-value-5678' },
      trusted: false,
    }
    const error = await connectError(endpoint, testDeps({ log }))
    expect(lines.length).toBeGreaterThan(0)
    for (const text of [error.message, ...lines]) {
      expect(text).not.toContain('key-value-1234')
      expect(text).not.toContain('token-value-5678')
    }
  })
})

describe('requests that set no timeout of their own', () => {
  it("time out after the server's timeouts.requestMs, not the SDK's 60 s", async () => {
    await using server = await startSdkHttpServer(() => {
      const mcp = echoServer()
      mcp.registerTool('never', { description: 'Never answers' }, () => new Promise(() => {}))
      return mcp
    })
    const connection = await connect({
      name: 'slow',
      transport: 'streamable-http',
      url: server.url,
      trusted: false,
      timeouts: { requestMs: 300 },
    })
    const started = performance.now()
    const error = await connection.client
      .callTool({ name: 'never', arguments: {} })
      .catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(SdkError)
    expect(error).toMatchObject({ code: SdkErrorCode.RequestTimeout, data: { timeout: 300 } })
    expect(performance.now() - started).toBeLessThan(5_000)
    const ownDeadline = await connection.client
      .callTool({ name: 'never', arguments: {} }, { timeout: 500 })
      .catch((caught: unknown) => caught)
    expect(ownDeadline).toMatchObject({ data: { timeout: 500 } })
  })
})

describe('connectMcp when the connection is reset', () => {
  /** A server whose first `resets` POSTs get a TCP reset instead of an answer. */
  async function resettingServer(resets: number) {
    const server = await startSdkHttpServer()
    let left = resets
    server.server.prependListener('request', (req) => {
      if (req.method !== 'POST' || left <= 0) return
      left -= 1
      req.socket.resetAndDestroy()
    })
    return server
  }

  it('tries the handshake once more on a fresh connection', async () => {
    await using server = await resettingServer(1)
    const connection = await connect(
      { name: 'flaky', transport: 'streamable-http', url: server.url, trusted: false },
      testDeps({ ssrfPolicy: LOOPBACK_POLICY }),
    )
    expect(connection.serverInfo.name).toBe('fixture-echo')
  })

  it('gives up after the second reset, saying the connection closed', async () => {
    await using server = await resettingServer(2)
    const error = await connectError(
      { name: 'flaky', transport: 'streamable-http', url: server.url, trusted: false },
      testDeps({ ssrfPolicy: LOOPBACK_POLICY }),
    )
    expect(error.message).toMatch(/connection closed before the server answered/)
  })
})
