import { describe, expect, it, onTestFinished } from 'vitest'
import { connectMcp } from '../../../src/server/mcp/connect.ts'
import { serveHttp, testDeps } from '../../helpers/mcp-servers.ts'

// A hostile server answering with one enormous message must get a clear refusal, not an
// out-of-memory process. 11 MB against the 10 MB default cap.
const HUGE = 11 * 1024 * 1024

async function startHugeServer(kind: 'json' | 'sse') {
  const server = await serveHttp((req, res) => {
    req.resume()
    req.on('end', () => {
      const padding = 'x'.repeat(HUGE)
      const message = JSON.stringify({ jsonrpc: '2.0', id: 0, result: { padding } })
      if (kind === 'json') {
        res.writeHead(200, { 'content-type': 'application/json' })
        res.end(message)
      } else {
        res.writeHead(200, { 'content-type': 'text/event-stream' })
        res.end(`event: message\ndata: ${message}\n\n`)
      }
    })
  })
  onTestFinished(() => server.close())
  return server
}

describe('huge responses', () => {
  it('refuses one JSON message over the size cap, saying so', async () => {
    const server = await startHugeServer('json')
    const attempt = connectMcp(
      { name: 'huge', transport: 'streamable-http', url: server.url, trusted: false },
      testDeps(),
    )
    await expect(attempt).rejects.toThrow(/the server sent a message over 10 MB: refused/)
  })

  it('cuts an SSE event over the size cap (the SDK reports the cut stream as a timeout)', async () => {
    const server = await startHugeServer('sse')
    const attempt = connectMcp(
      {
        name: 'huge',
        transport: 'streamable-http',
        url: server.url,
        trusted: false,
        timeouts: { connectMs: 2_000 },
      },
      testDeps(),
    )
    await expect(attempt).rejects.toThrow(/timed out after 2 s/)
  })
})
