import { once } from 'node:events'
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { brotliCompressSync, gzipSync } from 'node:zlib'
import type { FetchLike } from '@modelcontextprotocol/client'
import { describe, expect, it, onTestFinished } from 'vitest'
import { WebSocket, WebSocketServer } from 'ws'
import type { ResolvedAddress, SsrfPolicy } from '../../../src/server/mcp/client/ssrf-guard.ts'
import {
  checkUrl,
  checkUrlResolved,
  guardedWebSocketOptions,
  SsrfError,
} from '../../../src/server/mcp/client/ssrf-guard.ts'
import {
  createUpstreamHttp,
  type UpstreamHttpOptions,
} from '../../../src/server/mcp/client/upstream-http.ts'
import { closedPortUrl } from '../../helpers/closed-port.ts'

const STRICT: SsrfPolicy = { allowedHosts: [], allowPrivateNetworks: false }
const LOOPBACK_ALLOWED: SsrfPolicy = { allowedHosts: [], allowPrivateNetworks: ['127.0.0.0/8'] }

interface RecordedRequest {
  method: string
  url: string
  headers: IncomingHttpHeaders
  body: string
}

interface TestServer {
  port: number
  origin: string
  requests: RecordedRequest[]
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void

/** A real node:http server on 127.0.0.1:0 that records requests; closed when the test ends. */
async function startServer(handler: Handler = (_req, res) => res.end('ok')): Promise<TestServer> {
  const requests: RecordedRequest[] = []
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const body = Buffer.concat(chunks).toString('utf8')
    requests.push({ method: req.method!, url: req.url!, headers: req.headers, body })
    handler(req, res)
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  onTestFinished(async () => {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  })
  const { port } = server.address() as AddressInfo
  return { port, origin: `http://127.0.0.1:${port}`, requests }
}

function redirectTo(status: number, location: string): Handler {
  return (_req, res) => {
    res.writeHead(status, { location })
    res.end()
  }
}

/** Resolves names from a table, like a DNS server that the test controls. */
function tableResolver(table: Record<string, string>) {
  return async (hostname: string): Promise<ResolvedAddress[]> => {
    const address = table[hostname]
    if (!address) throw Object.assign(new Error(`ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' })
    return [{ address, family: address.includes(':') ? 6 : 4 }]
  }
}

/**
 * The upstream HTTP stack's fetch to a server under `policy` (a user's unless `trusted`), as a
 * transport gets it; the stack is closed when the test ends.
 */
function upstreamFetch(
  policy: SsrfPolicy,
  options: UpstreamHttpOptions & { maxMessageBytes?: number; trusted?: boolean } = {},
): FetchLike {
  const { maxMessageBytes, trusted = false, ...httpOptions } = options
  const http = createUpstreamHttp(policy, httpOptions)
  onTestFinished(() => http.close())
  return http.fetch({ trusted, ...(maxMessageBytes ? { maxMessageBytes } : {}) })
}

async function expectSsrf(promise: Promise<unknown>, code: SsrfError['code']): Promise<SsrfError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  )
  expect(error).toBeInstanceOf(SsrfError)
  expect((error as SsrfError).code).toBe(code)
  return error as SsrfError
}

describe("the upstream HTTP stack to a user's server", () => {
  it('refuses http://127.0.0.1:PORT without a policy', async () => {
    const server = await startServer()
    const error = await expectSsrf(upstreamFetch(STRICT)(server.origin), 'ssrf_blocked')
    expect(error.message).toMatch(/^127\.0\.0\.1 is a loopback address; ask the operator/)
    expect(server.requests).toHaveLength(0)
  })

  it("connects with allowPrivateNetworks: ['127.0.0.0/8']", async () => {
    const server = await startServer()
    const response = await upstreamFetch(LOOPBACK_ALLOWED)(`${server.origin}/mcp`)
    expect(response.status).toBe(200)
    expect(await response.text()).toBe('ok')
    expect(server.requests.map((request) => request.url)).toEqual(['/mcp'])
  })

  it("connects with allowedHosts: ['127.0.0.1'] on any port and ['127.0.0.1:PORT'] on that port", async () => {
    const server = await startServer()
    const anyPort = upstreamFetch({ allowedHosts: ['127.0.0.1'], allowPrivateNetworks: false })
    expect((await anyPort(server.origin)).status).toBe(200)
    const thatPort = upstreamFetch({
      allowedHosts: [`127.0.0.1:${server.port}`],
      allowPrivateNetworks: false,
    })
    expect((await thatPort(server.origin)).status).toBe(200)
    const otherPort = upstreamFetch({
      allowedHosts: [`127.0.0.1:${server.port === 1 ? 2 : 1}`],
      allowPrivateNetworks: false,
    })
    await expectSsrf(otherPort(server.origin), 'ssrf_blocked')
    expect(server.requests).toHaveLength(2)
  })

  it('connects a name to the address the guarded lookup vetted, allowed hosts included', async () => {
    const server = await startServer()
    // mcp.test exists only in this resolver: success proves the agent's lookup made the connection.
    const resolver = tableResolver({ 'mcp.test': '127.0.0.1' })
    const url = `http://mcp.test:${server.port}/`
    expect((await upstreamFetch(LOOPBACK_ALLOWED, { resolver })(url)).status).toBe(200)
    const byHost = upstreamFetch(
      { allowedHosts: ['mcp.test'], allowPrivateNetworks: false },
      {
        resolver,
      },
    )
    expect((await byHost(url)).status).toBe(200)
    const error = await expectSsrf(upstreamFetch(STRICT, { resolver })(url), 'ssrf_blocked')
    expect(error.message).toMatch(/^mcp\.test resolves to 127\.0\.0\.1, a loopback address/)
    expect(server.requests).toHaveLength(2)
  })

  it('refuses the connect when the name rebinds to 127.0.0.1 after checkUrl passed (DNS rebinding)', async () => {
    const server = await startServer()
    const answers = ['93.184.216.34', '127.0.0.1']
    let calls = 0
    const rebinding = async (): Promise<ResolvedAddress[]> => {
      const address = answers[Math.min(calls, answers.length - 1)]!
      calls += 1
      return [{ address, family: 4 }]
    }
    const url = `http://rebind.test:${server.port}/`

    expect(checkUrl(url, STRICT).hostname).toBe('rebind.test')
    await expect(checkUrlResolved(url, STRICT, rebinding)).resolves.toBeInstanceOf(URL)
    const fetchGuarded = upstreamFetch(STRICT, { resolver: rebinding })
    const error = await expectSsrf(fetchGuarded(url), 'ssrf_blocked')

    expect(error.message).toMatch(/^rebind\.test resolves to 127\.0\.0\.1, a loopback address/)
    expect(calls).toBe(2)
    expect(server.requests).toHaveLength(0)
  })
})

describe('the upstream HTTP stack as a fetch', () => {
  it('sends form bodies with their content type, as fetch would (OAuth token requests)', async () => {
    const server = await startServer()
    const body = new URLSearchParams({ grant_type: 'authorization_code', code: 'a b&c' })
    const response = await upstreamFetch(LOOPBACK_ALLOWED)(`${server.origin}/token`, {
      method: 'POST',
      body,
    })
    expect(await response.text()).toBe('ok')
    expect(server.requests[0]?.body).toBe('grant_type=authorization_code&code=a+b%26c')
    expect(server.requests[0]?.headers['content-type']).toMatch(
      /^application\/x-www-form-urlencoded/,
    )
  })

  it('reads a gzip or brotli body, and keeps every Set-Cookie', async () => {
    const server = await startServer((req, res) => {
      const br = req.url === '/br'
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-encoding': br ? 'br' : 'gzip',
        'set-cookie': ['a=1', 'b=2'],
      })
      const json = JSON.stringify({ hello: 'world' })
      res.end(br ? brotliCompressSync(json) : gzipSync(json))
    })
    const guarded = upstreamFetch(LOOPBACK_ALLOWED)
    for (const path of ['/gzip', '/br']) {
      const response = await guarded(`${server.origin}${path}`)
      expect(await response.json()).toEqual({ hello: 'world' })
      expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2'])
    }
  })

  it('counts the size cap after decompression, so a compressed bomb is refused', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' })
      res.end(gzipSync(Buffer.alloc(2 * 1024 * 1024, 0x20)))
    })
    const response = await upstreamFetch(LOOPBACK_ALLOWED, { maxMessageBytes: 1024 * 1024 })(
      server.origin,
    )
    await expect(response.text()).rejects.toThrow(/sent more than 1 MB in one message/)
  })

  it('refuses a body that declares more than the cap before reading it', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '5000000' })
      res.end()
    })
    const attempt = upstreamFetch(LOOPBACK_ALLOWED, { maxMessageBytes: 1024 * 1024 })(server.origin)
    await expect(attempt).rejects.toThrow(/sent 4.8 MB in one message, the limit is 1 MB/)
  })

  it("rejects with the signal's reason when aborted, and like fetch when the server is gone", async () => {
    const server = await startServer(() => {
      // never answers
    })
    const controller = new AbortController()
    const guarded = upstreamFetch(LOOPBACK_ALLOWED)
    const pending = guarded(server.origin, { signal: controller.signal })
    setTimeout(() => controller.abort(new Error('stopped by the user')), 50)
    await expect(pending).rejects.toThrow('stopped by the user')

    const gone = await guarded(await closedPortUrl('/')).catch((e: unknown) => e)
    expect(gone).toBeInstanceOf(TypeError)
    expect((gone as TypeError).message).toBe('fetch failed')
    expect(((gone as TypeError).cause as NodeJS.ErrnoException).code).toBe('ECONNREFUSED')
  })
})

describe('closing the upstream HTTP stack', () => {
  it('ends its connections, and later requests fail like fetch', async () => {
    const server = await startServer()
    const http = createUpstreamHttp(LOOPBACK_ALLOWED)
    const guarded = http.fetch({ trusted: false })
    const trusted = http.fetch({ trusted: true })
    expect((await guarded(server.origin)).status).toBe(200)
    expect((await trusted(server.origin)).status).toBe(200)
    await http.close()
    await expect(guarded(server.origin)).rejects.toThrow('fetch failed')
    await expect(trusted(server.origin)).rejects.toThrow('fetch failed')
  })
})

describe('the upstream HTTP stack on redirects', () => {
  const allowLocal: SsrfPolicy = { allowedHosts: ['127.0.0.1'], allowPrivateNetworks: false }

  it('refuses a redirect from an allowed local server to http://169.254.169.254/latest/meta-data', async () => {
    const server = await startServer(redirectTo(302, 'http://169.254.169.254/latest/meta-data'))
    const error = await expectSsrf(upstreamFetch(allowLocal)(server.origin), 'ssrf_blocked')
    expect(error.message).toMatch(/^169\.254\.169\.254 is a cloud-metadata address/)
    expect(server.requests).toHaveLength(1)
  })

  it('refuses a redirect to a name that resolves to a private address', async () => {
    const target = await startServer()
    const server = await startServer(redirectTo(307, `http://internal.test:${target.port}/`))
    const resolver = tableResolver({ 'internal.test': '127.0.0.1' })
    const error = await expectSsrf(
      upstreamFetch(allowLocal, { resolver })(server.origin),
      'ssrf_blocked',
    )
    expect(error.message).toMatch(/^internal\.test resolves to 127\.0\.0\.1/)
    expect(target.requests).toHaveLength(0)
  })

  it.each(['ws://127.0.0.1/socket', 'file:///etc/passwd', 'gopher://127.0.0.1:6379/_INFO'])(
    'refuses a redirect that changes the scheme to %s',
    async (location) => {
      const server = await startServer(redirectTo(302, location))
      await expectSsrf(upstreamFetch(allowLocal)(server.origin), 'invalid_url')
    },
  )

  it('refuses a redirect chain over the limit and follows one at the limit', async () => {
    const server = await startServer((req, res) => {
      const step = Number(req.url!.split('/')[2] ?? 0)
      if (req.url!.startsWith('/loop/')) return redirectTo(302, `/loop/${step + 1}`)(req, res)
      if (req.url!.startsWith('/chain/') && step < 3) {
        return redirectTo(301, `/chain/${step + 1}`)(req, res)
      }
      res.end(`done at ${req.url}`)
    })
    const guarded = upstreamFetch(allowLocal, { maxRedirects: 3 })
    const error = await expectSsrf(guarded(`${server.origin}/loop/0`), 'too_many_redirects')
    expect(error.message).toMatch(/redirected more than 3 times/)
    expect(server.requests.map((request) => request.url)).toEqual([
      '/loop/0',
      '/loop/1',
      '/loop/2',
      '/loop/3',
    ])

    const response = await guarded(`${server.origin}/chain/0`)
    expect(await response.text()).toBe('done at /chain/3')
  })

  it('stops after 5 redirects by default', async () => {
    const server = await startServer((req, res) => redirectTo(302, `${req.url}x`)(req, res))
    await expectSsrf(upstreamFetch(allowLocal)(`${server.origin}/`), 'too_many_redirects')
    expect(server.requests).toHaveLength(6)
  })

  it.each([
    [301, 'POST', 'GET', ''],
    [302, 'POST', 'GET', ''],
    [303, 'POST', 'GET', ''],
    [303, 'PUT', 'GET', ''],
    [302, 'PUT', 'PUT', 'payload'],
    [307, 'POST', 'POST', 'payload'],
    [308, 'PUT', 'PUT', 'payload'],
    [308, 'POST', 'POST', 'payload'],
  ])('follows %i after %s with %s (body %j)', async (status, method, nextMethod, nextBody) => {
    const server = await startServer((req, res) => {
      if (req.url === '/start') return redirectTo(status, '/next')(req, res)
      res.end('ok')
    })
    const response = await upstreamFetch(allowLocal)(`${server.origin}/start`, {
      method,
      headers: { 'content-type': 'text/plain' },
      body: 'payload',
    })
    expect(response.status).toBe(200)
    const [first, second] = server.requests
    expect(first).toMatchObject({ method, body: 'payload' })
    expect(second).toMatchObject({ method: nextMethod, url: '/next', body: nextBody })
    expect(second!.headers['content-type']).toBe(nextBody ? 'text/plain' : undefined)
  })

  it('drops credential headers on a cross-origin redirect and keeps them on a same-origin one', async () => {
    const other = await startServer()
    const server = await startServer((req, res) => {
      if (req.url === '/same') return redirectTo(307, '/landed')(req, res)
      if (req.url === '/cross') return redirectTo(307, `${other.origin}/landed`)(req, res)
      res.end('ok')
    })
    const headers = {
      authorization: 'Bearer secret-token',
      'x-api-key': 'secret-key',
      cookie: 'session=secret',
      accept: 'application/json',
      'mcp-protocol-version': '2025-06-18',
    }
    const guarded = upstreamFetch(allowLocal)
    await guarded(`${server.origin}/same`, { headers })
    expect(server.requests[1]!.headers).toMatchObject(headers)

    await guarded(`${server.origin}/cross`, { headers })
    const landed = other.requests[0]!.headers
    expect(landed).toMatchObject({
      accept: 'application/json',
      'mcp-protocol-version': '2025-06-18',
    })
    for (const name of ['authorization', 'x-api-key', 'cookie'])
      expect(landed[name]).toBeUndefined()
  })

  it("returns the redirect itself with redirect: 'manual' and throws with redirect: 'error'", async () => {
    const server = await startServer(redirectTo(302, 'http://169.254.169.254/'))
    const guarded = upstreamFetch(allowLocal)
    const manual = await guarded(server.origin, { redirect: 'manual' })
    expect(manual.status).toBe(302)
    expect(manual.headers.get('location')).toBe('http://169.254.169.254/')
    await expect(guarded(server.origin, { redirect: 'error' })).rejects.toThrow(TypeError)
  })
})

describe("the upstream HTTP stack to an operator's (trusted) server", () => {
  it('connects to an address the policy refuses users, and caps messages the same way', async () => {
    const server = await startServer((req, res) => {
      if (req.url === '/large') {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '5000000' })
      }
      res.end('ok')
    })
    const trusted = upstreamFetch(STRICT, { trusted: true, maxMessageBytes: 1024 * 1024 })
    expect(await (await trusted(server.origin)).text()).toBe('ok')
    await expect(trusted(`${server.origin}/large`)).rejects.toThrow(/the limit is 1 MB/)
  })

  it('follows a redirect to another origin itself, without the credentials', async () => {
    const other = await startServer()
    const server = await startServer(redirectTo(307, `${other.origin}/landed`))
    const trusted = upstreamFetch(STRICT, { trusted: true })
    const headers = { authorization: 'Bearer secret-token', accept: 'application/json' }
    expect((await trusted(server.origin, { headers })).status).toBe(200)
    expect(other.requests[0]).toMatchObject({ url: '/landed' })
    expect(other.requests[0]!.headers.authorization).toBeUndefined()
    expect(other.requests[0]!.headers.accept).toBe('application/json')
  })
})

describe('guardedWebSocketOptions', () => {
  /** A real ws server on 127.0.0.1:0 that echoes; closed (with its clients) when the test ends. */
  async function startWsServer() {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 })
    await once(wss, 'listening')
    let connections = 0
    wss.on('connection', (socket) => {
      connections += 1
      socket.on('message', (data) => socket.send(data))
    })
    onTestFinished(async () => {
      for (const client of wss.clients) client.terminate()
      await new Promise((resolve) => wss.close(resolve))
    })
    const { port } = wss.address() as AddressInfo
    return { port, connections: () => connections }
  }

  function connect(url: string, options: ReturnType<typeof guardedWebSocketOptions>) {
    const socket = new WebSocket(url, { ...options })
    onTestFinished(() => socket.terminate())
    return new Promise<{ socket: WebSocket; outcome: 'open' | Error }>((resolve) => {
      socket.once('open', () => resolve({ socket, outcome: 'open' }))
      socket.once('error', (error) => resolve({ socket, outcome: error }))
    })
  }

  const resolver = tableResolver({ 'ws.test': '127.0.0.1' })

  it('refuses to connect to a local ws server without an allowlist', async () => {
    const server = await startWsServer()
    const { outcome } = await connect(
      `ws://ws.test:${server.port}/`,
      guardedWebSocketOptions(STRICT, resolver),
    )
    expect(outcome).toBeInstanceOf(SsrfError)
    expect((outcome as SsrfError).message).toMatch(/^ws\.test resolves to 127\.0\.0\.1, a loopback/)
    expect(server.connections()).toBe(0)
  })

  it.each<[string, SsrfPolicy]>([
    ['allowPrivateNetworks', LOOPBACK_ALLOWED],
    ['allowedHosts', { allowedHosts: ['ws.test'], allowPrivateNetworks: false }],
  ])('connects to a local ws server allowed by %s', async (_label, policy) => {
    const server = await startWsServer()
    const { socket, outcome } = await connect(
      `ws://ws.test:${server.port}/`,
      guardedWebSocketOptions(policy, resolver),
    )
    expect(outcome).toBe('open')
    socket.send('ping')
    const [reply] = await once(socket, 'message')
    expect(String(reply)).toBe('ping')
    expect(server.connections()).toBe(1)
  })

  it('leaves literal IPs to checkUrl, which refuses ws://127.0.0.1:PORT', async () => {
    const server = await startWsServer()
    const error = (() => {
      try {
        checkUrl(`ws://127.0.0.1:${server.port}/`, STRICT)
      } catch (caught) {
        return caught
      }
    })()
    expect(error).toBeInstanceOf(SsrfError)
    expect(server.connections()).toBe(0)
  })
})
