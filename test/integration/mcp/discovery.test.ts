import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import { UpstreamError } from '../../../src/server/errors.ts'
import type { DiscoveryLimits } from '../../../src/server/mcp/catalog/discovery.ts'
import {
  DEFAULT_DISCOVERY_LIMITS,
  discoverTools,
} from '../../../src/server/mcp/catalog/discovery.ts'
import type { McpConnection } from '../../../src/server/mcp/client/connect.ts'
import { connectMcp } from '../../../src/server/mcp/client/connect.ts'
import { startJsonServer } from '../../fixtures/mcp/misbehaving-http.ts'
import type { SdkHttpServer } from '../../fixtures/mcp/sdk-http-server.ts'
import { startSdkHttpServer } from '../../fixtures/mcp/sdk-http-server.ts'
import {
  cursorLoopServer,
  GOOD_TOOL,
  malformedToolsServer,
  manyToolsServer,
  pageFloodServer,
  slowToolsServer,
} from '../../fixtures/mcp/tool-list-servers.ts'
import { everythingStdioEndpoint, testDeps } from '../../helpers/mcp-servers.ts'

async function connectTo(url: string): Promise<McpConnection> {
  const connection = await connectMcp(
    { name: 'fixture', transport: 'streamable-http', url, trusted: false },
    testDeps(),
  )
  onTestFinished(() => connection.close())
  return connection
}

function limits(overrides: Partial<DiscoveryLimits>): DiscoveryLimits {
  return { ...DEFAULT_DISCOVERY_LIMITS, ...overrides }
}

describe('discoverTools on server-everything (stdio)', () => {
  let connection: McpConnection

  beforeAll(async () => {
    connection = await connectMcp(everythingStdioEndpoint(), testDeps())
  })
  afterAll(() => connection?.close())

  it('returns its tools with title, description, schemas and annotations', async () => {
    const { tools, skipped, truncated } = await discoverTools(connection)
    expect(skipped).toEqual([])
    expect(truncated).toBe(false)
    expect(tools.map((tool) => tool.name)).toEqual(
      expect.arrayContaining(['echo', 'get-sum', 'trigger-long-running-operation']),
    )
    const echo = tools.find((tool) => tool.name === 'echo')
    expect(echo).toMatchObject({
      title: 'Echo Tool',
      description: 'Echoes back the input string',
      inputSchema: { type: 'object', properties: { message: { type: 'string' } } },
      annotations: { readOnlyHint: true, destructiveHint: false },
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    })
  })

  it('hashes the same definitions the same way on every sync', async () => {
    const first = await discoverTools(connection)
    const second = await discoverTools(connection)
    const hashes = (result: typeof first) => result.tools.map((tool) => [tool.name, tool.hash])
    expect(hashes(second)).toEqual(hashes(first))
  })
})

describe('discoverTools on a server with 5,000 tools (100 per page)', () => {
  let server: SdkHttpServer

  beforeAll(async () => {
    server = await startSdkHttpServer(() => manyToolsServer(5_000, 100))
  })
  afterAll(() => server?.close())

  it('keeps the first maxTools and says it truncated', async () => {
    const result = await discoverTools(await connectTo(server.url))
    expect(result.tools).toHaveLength(DEFAULT_DISCOVERY_LIMITS.maxTools)
    expect(result.tools[0]?.name).toBe('tool_0')
    expect(result.tools.at(-1)?.name).toBe('tool_999')
    expect(result).toMatchObject({ truncated: true, stopReason: 'max_tools', skipped: [] })
  })

  it('gets all 5,000 when allowed, following every cursor, in reasonable time', async () => {
    const connection = await connectTo(server.url)
    const started = performance.now()
    const result = await discoverTools(connection, limits({ maxTools: 10_000 }))
    const elapsed = performance.now() - started
    expect(result.tools).toHaveLength(5_000)
    expect(new Set(result.tools.map((tool) => tool.name)).size).toBe(5_000)
    expect(result.truncated).toBe(false)
    expect(elapsed).toBeLessThan(10_000)
  })
})

describe('discoverTools on misbehaving tool lists', () => {
  it('keeps good tools and reports bad ones in skipped (HTTP)', async () => {
    await using server = await startSdkHttpServer(malformedToolsServer)
    const result = await discoverTools(await connectTo(server.url))
    const kept = result.tools.map((tool) => tool.name)
    expect(kept).toContain(GOOD_TOOL.name)
    expect(kept).not.toContain('has space')
    const reasons = Object.fromEntries(result.skipped.map(({ name, reason }) => [name, reason]))
    expect(reasons['has space']).toMatch(/invalid name/)
    expect(reasons['invalid-schema']).toMatch(/not a valid JSON Schema/)
    expect(reasons['string-schema']).toMatch(/"type": "object"/)
    const long = result.tools.find((tool) => tool.name === 'long-description')
    expect(long?.description).toHaveLength(DEFAULT_DISCOVERY_LIMITS.maxDescriptionChars)
  })

  it('skips a tool whose outputSchema is not an object schema (hand-written server)', async () => {
    const tools = [
      GOOD_TOOL,
      { name: 'array-output', inputSchema: { type: 'object' }, outputSchema: { type: 'array' } },
    ]
    await using server = await startJsonServer(({ id, method }) => {
      if (method === 'tools/list') return { jsonrpc: '2.0', id, result: { tools } }
      const serverInfo = { name: 'by-hand', version: '1' }
      const capabilities = { tools: {} }
      return {
        jsonrpc: '2.0',
        id,
        result: { protocolVersion: '2025-06-18', capabilities, serverInfo },
      }
    })
    const result = await discoverTools(await connectTo(server.url))
    expect(result.tools.map((tool) => tool.name)).toEqual([GOOD_TOOL.name])
    expect(result.skipped).toEqual([
      { name: 'array-output', reason: 'outputSchema must be a JSON Schema with "type": "object"' },
    ])
  })

  it('stops on a repeated cursor', async () => {
    await using server = await startSdkHttpServer(cursorLoopServer)
    const result = await discoverTools(await connectTo(server.url))
    expect(result.tools.map((tool) => tool.name)).toEqual(['looping'])
    expect(result).toMatchObject({ truncated: true, stopReason: 'cursor_loop' })
  })

  it('stops a flood of empty pages at maxPages', async () => {
    await using server = await startSdkHttpServer(pageFloodServer)
    const result = await discoverTools(await connectTo(server.url), limits({ maxPages: 20 }))
    expect(result).toMatchObject({ tools: [], truncated: true, stopReason: 'page_limit' })
  })

  it('fails with "timed out after N s" when the listing takes longer than timeoutMs', async () => {
    await using server = await startSdkHttpServer(() => slowToolsServer(2_000))
    const connection = await connectTo(server.url)
    const started = performance.now()
    const error = await discoverTools(connection, limits({ timeoutMs: 300 })).catch(
      (caught: unknown) => caught,
    )
    expect(performance.now() - started).toBeLessThan(1_500)
    expect(error).toBeInstanceOf(UpstreamError)
    expect((error as UpstreamError).message).toBe('timed out after 0.3 s')
    expect((error as UpstreamError).code).toBe('upstream_timeout')
  })
})
