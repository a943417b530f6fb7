import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { McpConnection } from '../../../src/server/mcp/client/connect.ts'
import { connectMcp } from '../../../src/server/mcp/client/connect.ts'
import type { ConnectDeps } from '../../../src/server/mcp/client/endpoint.ts'
import { type SdkHttpServer, startSdkHttpServer } from '../../fixtures/mcp/sdk-http-server.ts'
import { testDeps } from '../../helpers/mcp-servers.ts'

// Many users connect the same hosted MCP server (think: everyone's GitHub server). Each pooled
// 2025 session holds a socket for its server-to-client event stream; those idle streams must
// never take the sockets other users' requests need.
const SESSIONS = 150

let server: SdkHttpServer
let deps: ConnectDeps
const open: McpConnection[] = []

beforeAll(async () => {
  server = await startSdkHttpServer()
  deps = testDeps()
})
afterAll(async () => {
  await Promise.all(open.map((connection) => connection.close()))
  await server?.close()
})

function connect(): Promise<McpConnection> {
  return connectMcp(
    {
      name: 'hosted',
      transport: 'streamable-http',
      url: server.url,
      trusted: false,
      timeouts: { connectMs: 5_000 },
    },
    deps,
    // As the pool connects: listening for list changes, which opens the event stream.
    { onToolsListChanged: () => undefined },
  )
}

describe(`${SESSIONS} sessions on one origin, each with its event stream open`, () => {
  it('all connect, and a call on a new session still gets through at once', async () => {
    for (let i = 0; i < SESSIONS; i += 10) {
      open.push(...(await Promise.all(Array.from({ length: 10 }, connect))))
    }
    const streams = () => server.requests.filter((request) => request.method === 'GET').length
    await expect.poll(streams).toBeGreaterThanOrEqual(SESSIONS)

    const started = performance.now()
    const late = await connect()
    open.push(late)
    const result = await late.client.callTool({
      name: 'echo',
      arguments: { message: 'still here' },
    })
    expect(JSON.stringify(result.content)).toContain('still here')
    expect(performance.now() - started).toBeLessThan(3_000)
  }, 120_000)
})
