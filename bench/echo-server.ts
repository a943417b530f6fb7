/**
 * The upstream of the tool-call benchmark: a real v2 SDK MCP server over streamable HTTP with one
 * `echo` tool, in a process of its own. Prints its URL. `modern` as the first argument serves
 * MCP 2026-07-28 only (stateless, test/fixtures/mcp/modern-server.ts); otherwise a 2025 server
 * with sessions (test/fixtures/mcp/sdk-http-server.ts).
 */
import { startModernServer } from '../test/fixtures/mcp/modern-server.ts'
import { echoServer, startSdkHttpServer } from '../test/fixtures/mcp/sdk-http-server.ts'

const server =
  process.argv[2] === 'modern'
    ? await startModernServer({ legacy: 'reject', createServer: echoServer })
    : await startSdkHttpServer(echoServer)
process.stdout.write(`${server.url}\n`)
process.on('SIGTERM', () => {
  void server.close().then(() => process.exit(0))
})
