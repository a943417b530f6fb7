import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it, onTestFinished } from 'vitest'
import { UpstreamError } from '../../../src/server/errors.ts'
import type { McpConnection } from '../../../src/server/mcp/client/connect.ts'
import { connectMcp } from '../../../src/server/mcp/client/connect.ts'
import type { ConnectDeps, McpEndpoint } from '../../../src/server/mcp/client/endpoint.ts'
import type { ResolvedAddress } from '../../../src/server/mcp/client/ssrf-guard.ts'
import { isSessionExpired, toMcpFailure } from '../../../src/server/mcp/client/upstream-errors.ts'
import {
  startDroppingServer,
  startHangingServer,
  startHtmlServer,
  startJsonServer,
  startStatusServer,
} from '../../fixtures/mcp/misbehaving-http.ts'
import { startSdkHttpServer } from '../../fixtures/mcp/sdk-http-server.ts'
import { serveHttp, testDeps } from '../../helpers/mcp-servers.ts'

function endpointAt(url: string, overrides: Partial<McpEndpoint> = {}): McpEndpoint {
  const transport = overrides.transport ?? 'streamable-http'
  const wsUrl = transport === 'websocket' ? url.replace(/^http/, 'ws') : url
  return { name: 'hostile', transport, url: wsUrl, trusted: false, ...overrides }
}

const NETWORK_TRANSPORTS = ['streamable-http', 'sse', 'websocket'] as const

async function connectError(endpoint: McpEndpoint, deps: ConnectDeps = testDeps()) {
  const error = await connectMcp(endpoint, deps).then(
    async (connection) => {
      await connection.close()
      throw new Error('expected the connection to fail')
    },
    (caught: unknown) => caught,
  )
  expect(error).toBeInstanceOf(UpstreamError)
  return error as UpstreamError
}

function initializeResult(id: unknown, protocolVersion = '2025-06-18') {
  const result = { protocolVersion, capabilities: {}, serverInfo: { name: 'x', version: '1' } }
  return { jsonrpc: '2.0', id, result }
}

describe('a server that hangs', () => {
  it.each(['streamable-http', 'sse'] as const)(
    'times out over %s within the connect timeout, with the actual timeout in the message',
    async (transport) => {
      await using server = await startHangingServer()
      const started = performance.now()
      const headers = { 'X-Probe': 'sent' }
      const error = await connectError(
        endpointAt(server.url, { transport, headers, timeouts: { connectMs: 400 } }),
      )
      expect(server.received[0]?.headers['x-probe']).toBe('sent')
      expect(performance.now() - started).toBeLessThan(1_500)
      expect(error.code).toBe('upstream_timeout')
      expect(error.status).toBe(504)
      expect(error.message).toBe('timed out after 0.4 s')
      expect(error.details).toEqual({ status: 'offline' })
    },
  )

  it('kills a stdio server that never answers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-mcp-'))
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
    const pidFile = join(dir, 'pid')
    const script = `require('fs').writeFileSync(${JSON.stringify(pidFile)}, String(process.pid)); setInterval(() => {}, 1000)`
    const endpoint: McpEndpoint = {
      name: 'silent',
      transport: 'stdio',
      trusted: true,
      command: process.execPath,
      args: ['-e', script],
      timeouts: { connectMs: 300 },
    }
    const started = performance.now()
    const error = await connectError(endpoint)
    expect(error.message).toBe('timed out after 0.3 s')
    const pid = Number(readFileSync(pidFile, 'utf8'))
    const alive = () => {
      try {
        process.kill(pid, 0)
        return true
      } catch {
        return false
      }
    }
    await expect.poll(alive, { timeout: 3_000, interval: 50 }).toBe(false)
    // At once, not after the SDK's 2 s wait for the child to exit on end of input.
    expect(performance.now() - started).toBeLessThan(1_500)
  })

  it('stops when the caller aborts', async () => {
    await using server = await startHangingServer()
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 50)
    const error = await connectMcp(endpointAt(server.url), testDeps(), {
      signal: controller.signal,
    }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(UpstreamError)
    expect((error as UpstreamError).message).toBe('the request was cancelled')
  })
})

describe('servers that are not MCP servers', () => {
  it.each(NETWORK_TRANSPORTS)('says an HTML page is not MCP (%s)', async (transport) => {
    await using server = await startHtmlServer()
    const error = await connectError(endpointAt(server.url, { transport }))
    expect(error.message).toBe('this URL answered HTML, not MCP: check the URL path')
  })

  it('says a JSON answer that is not JSON-RPC is not MCP', async () => {
    await using server = await startJsonServer(() => ({ hello: 'world' }))
    const error = await connectError(endpointAt(server.url))
    expect(error.message).toMatch(/^this URL answered, but it does not speak MCP/)
  })

  it('quotes a JSON-RPC error from initialize, without control characters', async () => {
    await using server = await startJsonServer(({ id }) => ({
      jsonrpc: '2.0',
      id,
      error: { code: -32600, message: 'unsupported\u0007 client' },
    }))
    const error = await connectError(endpointAt(server.url))
    expect(error.code).toBe('upstream_rejected')
    expect(error.message).toBe(
      'server answered with an error: "unsupported client" (JSON-RPC -32600)',
    )
  })

  it('names a protocol version it cannot speak', async () => {
    await using server = await startJsonServer(({ id }) => initializeResult(id, '1999-01-01'))
    const error = await connectError(endpointAt(server.url))
    expect(error.message).toBe(
      'the server speaks MCP protocol version "1999-01-01", which Switchboard does not support',
    )
  })

  it('explains https on a plain http port', async () => {
    await using server = await startHtmlServer()
    const error = await connectError(endpointAt(server.url.replace('http:', 'https:')))
    expect(error.message).toBe(
      'the TLS handshake with 127.0.0.1 failed: is this an https URL on a plain http port?',
    )
  })
})

describe('HTTP errors', () => {
  const token = 'sk-live-0123456789abcdef'

  it.each(NETWORK_TRANSPORTS)('says to check the token on 401 (%s)', async (transport) => {
    await using server = await startStatusServer(401, { error: `invalid token ${token}` })
    const headers = { Authorization: `Bearer ${token}` }
    const endpoint = endpointAt(server.url, { transport, headers })
    const error = await connectError(endpoint)
    expect(error.message).toBe('server answered 401: check the token')
    expect(error.details).toEqual({ status: 'needs_auth' })
    expect(server.received[0]?.headers.authorization).toBe(`Bearer ${token}`)
  })

  it('never puts a header value or token in any failure message', async () => {
    const answers = [
      await startStatusServer(400, { error: { message: `bad header ${token}` } }),
      await startStatusServer(403, { message: `Bearer ${token} lacks scope` }),
      await startStatusServer(404, `no route for ${token}`),
      await startStatusServer(500, { error: { message: `crashed on ${token}` } }),
      await startJsonServer(({ id }) => ({
        jsonrpc: '2.0',
        id,
        error: { code: -32000, message: `rejected X-Api-Key ${token}` },
      })),
    ]
    for (const server of answers) {
      onTestFinished(() => server.close())
      const headers = { Authorization: `Bearer ${token}`, 'X-Api-Key': token }
      const error = await connectError(endpointAt(`${server.url}?key=${token}`, { headers }))
      expect(error.message).not.toContain(token)
      expect(JSON.stringify(error.details)).not.toContain(token)
    }
  })

  it.each(NETWORK_TRANSPORTS)(
    'points at the URL path on 404, without the query (%s)',
    async (transport) => {
      await using server = await startStatusServer(404, 'Not Found')
      const endpoint = endpointAt(`${server.origin}/wrong?key=abc`, { transport })
      const error = await connectError(endpoint)
      const origin = transport === 'websocket' ? server.origin.replace('http', 'ws') : server.origin
      expect(error.message).toBe(
        `server answered 404 at ${origin}/wrong: check the URL path (often /mcp)`,
      )
    },
  )
})

describe('network failures', () => {
  it('says the connection was refused and asks if the server is running', async () => {
    const server = await serveHttp(() => undefined)
    await server.close()
    const error = await connectError(endpointAt(server.url))
    expect(error.message).toBe(
      `could not connect to 127.0.0.1:${server.port} (connection refused): is the server running?`,
    )
    expect(error.details).toEqual({ status: 'offline' })
  })

  it('says the DNS lookup failed, naming the host', async () => {
    const resolver = async (hostname: string): Promise<ResolvedAddress[]> => {
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), {
        code: 'ENOTFOUND',
        hostname,
      })
    }
    const error = await connectError(
      endpointAt('https://mcp.example.com/mcp'),
      testDeps({ resolver }),
    )
    expect(error.message).toBe('DNS lookup failed for mcp.example.com')
  })

  it('says the DNS lookup failed for an operator server too (real resolver)', async () => {
    const endpoint = endpointAt('http://no-such-host.invalid/mcp', {
      trusted: true,
      timeouts: { connectMs: 5_000 },
    })
    const error = await connectError(endpoint)
    expect(error.message).toMatch(/^DNS lookup failed for no-such-host\.invalid/)
  })

  it('reports a connection dropped mid-response, and nothing crashes', async () => {
    await using server = await startDroppingServer()
    const error = await connectError(endpointAt(server.url))
    expect(error.message).toBe('the connection closed before the server answered')
    expect(error.code).toBe('upstream_failed')
  })
})

describe('a server that restarts and forgets its sessions', () => {
  it('fails the next request with a recognizable session-expired error', async () => {
    await using server = await startSdkHttpServer()
    const connection: McpConnection = await connectMcp(endpointAt(server.url), testDeps())
    onTestFinished(() => connection.close())
    expect((await connection.client.listTools()).tools).toHaveLength(1)

    await server.forgetSessions()
    const error = await connection.client
      .listTools({}, { cacheMode: 'bypass' })
      .catch((caught: unknown) => caught)
    expect(isSessionExpired(error)).toBe(true)
    expect(toMcpFailure(error, endpointAt(server.url)).message).toMatch(
      /no longer knows this session/,
    )

    const fresh = await connectMcp(endpointAt(server.url), testDeps())
    onTestFinished(() => fresh.close())
    expect((await fresh.client.listTools()).tools).toHaveLength(1)
  })
})

describe('notifications/tools/list_changed', () => {
  it('calls onToolsListChanged when the server changes its tools', async () => {
    await using server = await startSdkHttpServer()
    let changes = 0
    const connection = await connectMcp(endpointAt(server.url), testDeps(), {
      onToolsListChanged: () => {
        changes += 1
      },
    })
    onTestFinished(() => connection.close())
    const [mcpServer] = server.servers()
    if (!mcpServer || !('registerTool' in mcpServer)) throw new Error('no McpServer session')
    // The notification travels on the GET stream the client opens after initializing.
    await expect.poll(() => server.requests.some((request) => request.method === 'GET')).toBe(true)
    mcpServer.registerTool('added', { description: 'new' }, async () => ({ content: [] }))
    await expect.poll(() => changes).toBeGreaterThanOrEqual(1)
    const { tools } = await connection.client.listTools({}, { cacheMode: 'bypass' })
    expect(tools.map((tool) => tool.name).sort()).toEqual(['added', 'echo'])
  })
})
