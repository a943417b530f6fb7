/**
 * The upstream of the tool-call benchmark: a real v2 SDK MCP server over streamable HTTP with one
 * `echo` tool (test/fixtures/mcp/sdk-http-server.ts), in a process of its own. Prints its URL.
 */
import { echoServer, startSdkHttpServer } from '../test/fixtures/mcp/sdk-http-server.ts'

const server = await startSdkHttpServer(echoServer)
process.stdout.write(`${server.url}\n`)
process.on('SIGTERM', () => {
  void server.close().then(() => process.exit(0))
})
