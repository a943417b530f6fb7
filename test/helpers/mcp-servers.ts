import type { ChildProcess } from 'node:child_process'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { connect, createServer as createNetServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import { getRequestListener } from '@hono/node-server'
import { Client, InMemoryTransport } from '@modelcontextprotocol/client'
import type { Server as McpLowLevelServer, McpServer } from '@modelcontextprotocol/server'
import { pino } from 'pino'
import { afterAll } from 'vitest'
import type { McpConnection } from '../../src/server/mcp/client/connect.ts'
import type { ConnectDeps, McpEndpoint } from '../../src/server/mcp/client/endpoint.ts'
import type { Resolver, SsrfPolicy } from '../../src/server/mcp/client/ssrf-guard.ts'
import { createUpstreamHttp, type UpstreamHttp } from '../../src/server/mcp/client/upstream-http.ts'

/** Something a test started; `close()` (or `await using`) stops it and frees everything. */
export interface Running extends AsyncDisposable {
  url: string
  close(): Promise<void>
}

export interface RunningHttp extends Running {
  origin: string
  port: number
}

/** Test servers listen on 127.0.0.1, so tests allow loopback; without it they are refused. */
export const LOOPBACK_POLICY: SsrfPolicy = {
  allowedHosts: [],
  allowPrivateNetworks: ['127.0.0.0/8'],
}
export const STRICT_POLICY: SsrfPolicy = { allowedHosts: [], allowPrivateNetworks: false }

export interface TestDepsOptions extends Partial<Pick<ConnectDeps, 'log' | 'authProvider'>> {
  /** Default: loopback allowed. */
  ssrfPolicy?: SsrfPolicy
  resolver?: Resolver
}

const upstreamStacks = new Set<UpstreamHttp>()
// testDeps runs at module level, in hooks and in tests, where a hook of its own cannot be
// registered: the stacks it made close when the test file ends. Fixtures that import this
// module also run outside vitest.
if (process.env.VITEST) {
  afterAll(async () => {
    await Promise.all([...upstreamStacks].map((stack) => stack.close()))
    upstreamStacks.clear()
  })
}

/**
 * Deps for `connectMcp` as `buildDeps` makes them, without the rest of the app: an upstream HTTP
 * stack of its own (loopback allowed unless `ssrfPolicy` says otherwise; closed when the test
 * file ends) and a silent (or TEST_LOG_LEVEL) logger.
 */
export function testDeps(options: TestDepsOptions = {}): ConnectDeps {
  const { ssrfPolicy = LOOPBACK_POLICY, resolver, ...rest } = options
  const upstreamHttp = createUpstreamHttp(ssrfPolicy, resolver ? { resolver } : {})
  upstreamStacks.add(upstreamHttp)
  const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' })
  return { upstreamHttp, log, ...rest }
}

const EVERYTHING_BIN = fileURLToPath(
  import.meta.resolve('@modelcontextprotocol/server-everything/dist/index.js'),
)

/** A trusted (operator) stdio endpoint running `@modelcontextprotocol/server-everything`. */
export function everythingStdioEndpoint(overrides: Partial<McpEndpoint> = {}): McpEndpoint {
  return {
    name: 'everything',
    transport: 'stdio',
    trusted: true,
    command: process.execPath,
    args: [EVERYTHING_BIN, 'stdio'],
    ...overrides,
  }
}

/**
 * Spawns `server-everything` over SSE (`/sse`) or streamable HTTP (`/mcp`) on a free loopback
 * port (it takes the port from `PORT` and cannot be told 0) and waits until it accepts
 * connections. Retries on a lost port race. `port` starts it on that port (a restart).
 */
export async function startEverything(
  kind: 'sse' | 'streamableHttp',
  options: { port?: number } = {},
): Promise<RunningHttp & { pid: number }> {
  return spawnHttpServer(`server-everything ${kind}`, [EVERYTHING_BIN, kind], {
    path: kind === 'sse' ? '/sse' : '/mcp',
    ...options,
  })
}

/** The official MCP App examples (ext-apps 2.0.x) the tests run. */
export type AppExample = 'server-basic-vanillajs' | 'server-basic-react'

/**
 * Spawns an official MCP App example over streamable HTTP (`/mcp`, stateless; it takes its port
 * from `PORT`, like server-everything) and waits until it accepts connections.
 */
export async function startAppExample(example: AppExample): Promise<RunningHttp> {
  const bin = fileURLToPath(
    new URL(`../../node_modules/@modelcontextprotocol/${example}/dist/index.js`, import.meta.url),
  )
  return spawnHttpServer(example, [bin], { path: '/mcp' })
}

/**
 * A Node MCP server that takes its port from `PORT` (and cannot be told 0), started on a free
 * one (or `port`) and waited for; retried on a lost port race.
 */
async function spawnHttpServer(
  label: string,
  args: string[],
  options: { path: string; port?: number },
): Promise<RunningHttp & { pid: number }> {
  for (let attempt = 1; ; attempt += 1) {
    const port = options.port ?? (await freePort())
    const child = spawn(process.execPath, args, {
      env: { PATH: process.env.PATH ?? '', PORT: String(port) },
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    let stderr = ''
    child.stderr?.on('data', (chunk: Buffer) => {
      if (stderr.length < 4096) stderr += chunk.toString('utf8')
    })
    if (await waitForPort(port, child)) {
      const origin = `http://127.0.0.1:${port}`
      const close = () => stopChild(child)
      const pid = child.pid as number
      return {
        url: `${origin}${options.path}`,
        origin,
        port,
        pid,
        close,
        [Symbol.asyncDispose]: close,
      }
    }
    await stopChild(child)
    if (attempt >= 3) throw new Error(`${label} did not start: ${stderr}`)
  }
}

/** A node:http server on 127.0.0.1:0; `close()` also drops open (hanging) connections. */
export async function serveHttp(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<RunningHttp & { server: Server }> {
  const server = createServer(handler)
  // Node closes an idle keep-alive socket after 5 s and tells the client, which stops reusing
  // it 2 s earlier. A test process busy with 1,000 calls can read a response more than 2 s late,
  // then send the next request on a socket the server has just closed (reset). Tests are short.
  server.keepAliveTimeout = 60_000
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  const origin = `http://127.0.0.1:${port}`
  const close = async () => {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  }
  return { server, url: `${origin}/mcp`, origin, port, close, [Symbol.asyncDispose]: close }
}

/** Serves a web-standard handler (the v2 SDK's server transports speak Request/Response). */
export function serveFetch(
  handler: (request: Request) => Promise<Response>,
): Promise<RunningHttp & { server: Server }> {
  return serveHttp(getRequestListener(handler))
}

export async function freePort(): Promise<number> {
  const server = createNetServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

async function waitForPort(port: number, child: ChildProcess, timeoutMs = 15_000) {
  const until = Date.now() + timeoutMs
  while (Date.now() < until) {
    if (child.exitCode !== null) return false
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1')
      socket.once('connect', () => {
        socket.destroy()
        resolve(true)
      })
      socket.once('error', () => resolve(false))
    })
    if (open) return true
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return false
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = once(child, 'exit')
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 2_000)
  await exited
  clearTimeout(timer)
}

/**
 * A real v2 `Client` linked in memory to `server` (the SDK's linked transport pair), wrapped as
 * an `McpConnection`: fast, no network, still the real protocol on both sides.
 */
export async function connectInMemory(
  server: McpServer | McpLowLevelServer,
): Promise<McpConnection> {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair()
  await server.connect(serverSide)
  const client = new Client({ name: 'switchboard-test', version: '0.0.0' })
  await client.connect(clientSide)
  const info = client.getServerVersion()
  return {
    client,
    serverInfo: {
      name: info?.name ?? '',
      version: info?.version ?? '',
      protocolVersion: client.getNegotiatedProtocolVersion() ?? '',
      era: client.getProtocolEra() ?? 'legacy',
      capabilities: { ...client.getServerCapabilities() },
    },
    latencyMs: 0,
    close: async () => {
      await client.close()
      await server.close()
    },
  }
}
