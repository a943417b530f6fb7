/**
 * The "one extra HTTP hop" baseline of the tool-call benchmark: a bare Node HTTP server that
 * forwards every request to the upstream given as argv[2] (undici, kept-alive connections) and
 * streams the answer back, with no logic at all. An MCP client pointed at it pays exactly one
 * hop more than a direct call. Prints its URL.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { pipeline } from 'node:stream/promises'
import { Agent, type Dispatcher, request } from 'undici'

const upstream = new URL(process.argv[2] ?? '')
const dispatcher = new Agent({ connect: { noDelay: true } })

const server = createServer(async (req, res) => {
  try {
    const headers = { ...req.headers }
    delete headers.host
    delete headers.connection
    const answer = await request(upstream, {
      method: req.method as Dispatcher.HttpMethod,
      headers,
      body: req.method === 'GET' || req.method === 'HEAD' ? null : req,
      dispatcher,
    })
    const { connection: _, 'transfer-encoding': __, ...back } = answer.headers
    res.writeHead(answer.statusCode, back)
    await pipeline(answer.body, res)
  } catch (error) {
    if (!res.headersSent) res.writeHead(502)
    res.end(String(error))
  }
})
server.keepAliveTimeout = 60_000
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo
  process.stdout.write(`http://127.0.0.1:${port}${upstream.pathname}\n`)
})
process.on('SIGTERM', () => server.close(() => process.exit(0)))
