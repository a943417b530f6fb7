import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import { createServer } from 'node:net'

/**
 * A URL on a loopback port nothing listens on: connecting is refused at once. (Not port 1:
 * fetch refuses that one itself, as a blocked "bad port".)
 */
export async function closedPortUrl(path = '/mcp', scheme = 'http'): Promise<string> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return `${scheme}://127.0.0.1:${port}${path}`
}
