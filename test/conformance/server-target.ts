/**
 * A running Switchboard for the conformance suite's server scenarios (scripts/conformance-server.mjs):
 * the real app (embedded database in a temporary data dir, listening on 127.0.0.1), a user who
 * has the fixture server (fixture-server.ts) as their own MCP server, an endpoint profile
 * `conformance` offering it under the server's own tool names, and an API token scoped to it.
 * Everything is set up through the HTTP API, as a user would.
 *
 * The suite has no way to send a header with its requests, and the endpoint takes only
 * `Authorization: Bearer <API token>`. So the suite talks to a forwarder in front of the app
 * that adds the token to every request and passes everything else through unchanged (Host and
 * Origin included: dns-rebinding-protection checks the app's own Origin check). The forwarder's
 * address is the app's public URL, as a reverse proxy's would be.
 *
 * Prints one line of JSON, `{ "url": … }` (the profile's endpoint, through the forwarder), then
 * serves until SIGTERM/SIGINT, when it stops everything and deletes the data dir.
 *
 * @module
 */
import { randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { serve } from '@hono/node-server'
import { createApp } from '../../src/server/app.ts'
import { loadConfig } from '../../src/server/config/load-config.ts'
import { buildDeps } from '../../src/server/deps.ts'
import { FIXTURE_NAME, startFixtureServer } from './fixture-server.ts'

const PROFILE = 'conformance'

const dir = mkdtempSync(join(tmpdir(), 'switchboard-conformance-server-'))
const fixture = await startFixtureServer()
const forwarder = await startForwarder()
const config = {
  ...loadConfig({
    cwd: dir,
    env: {
      SWITCHBOARD_DATA_DIR: join(dir, 'data'),
      SWITCHBOARD_PUBLIC_URL: forwarder.origin,
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    },
    secretKey: randomBytes(32),
  }),
}
// The fixture listens on loopback, which user servers may not reach unless the operator allows it.
config.ssrf = { allowedHosts: [], allowPrivateNetworks: ['127.0.0.0/8'] }
// The operator's "hand back a call that runs longer than this" (toolCalls.asyncAfterMs), short:
// the tasks scenarios' slow tools (a second or more) become tasks, the instant ones do not.
config.toolCalls = { ...config.toolCalls, asyncAfterMs: 200 }
const built = await buildDeps(config, { migrate: true })
const app = createApp(built.deps)
const listening = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' })
await once(listening, 'listening')
const appPort = (listening.address() as AddressInfo).port
const token = await setUp(`http://127.0.0.1:${appPort}`)
forwarder.target = { port: appPort, token }
console.log(JSON.stringify({ url: `${forwarder.origin}/mcp/p/${PROFILE}` }))

let stopping = false
const stop = async () => {
  if (stopping) return
  stopping = true
  forwarder.server.closeAllConnections()
  forwarder.server.close()
  listening.close()
  await built.close()
  await fixture.close()
  rmSync(dir, { recursive: true, force: true })
  process.exit(0)
}
process.on('SIGTERM', () => void stop())
process.on('SIGINT', () => void stop())

/** Registers the user, their server, the profile and a token scoped to it; returns the token. */
async function setUp(base: string): Promise<string> {
  const call = async (path: string, body: unknown, cookie?: string, method = 'POST') => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        'content-type': 'application/json',
        origin: forwarder.origin,
        ...(cookie ? { cookie } : {}),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`)
    return { res, body: (await res.json()) as Record<string, unknown> }
  }
  const registered = await call('/api/auth/register', {
    email: 'conformance@example.test',
    password: randomBytes(16).toString('hex'),
  })
  const cookie = registered.res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ')
  const server = await call(
    '/api/user/mcp-servers',
    { name: FIXTURE_NAME, transport: 'streamable-http', url: fixture.url },
    cookie,
  )
  // The user lets these tools run without asking (each tool's "Never ask"): the suite's client
  // cannot answer Switchboard's own approval question, which the endpoint tests cover.
  const tools = await call(
    `/api/user/mcp-servers/${server.body.id}/tools`,
    undefined,
    cookie,
    'GET',
  )
  for (const tool of tools.body.tools as { id: string }[]) {
    await call(
      `/api/user/mcp-servers/${server.body.id}/tools/${tool.id}`,
      { approvalPolicy: 'never' },
      cookie,
      'PATCH',
    )
  }
  const profile = await call(
    '/api/user/mcp-profiles',
    { name: PROFILE, serverIds: [server.body.id], toolNames: 'plain' },
    cookie,
  )
  const created = await call(
    '/api/user/tokens',
    { name: 'conformance suite', profileId: profile.body.id },
    cookie,
  )
  return created.body.secret as string
}

interface Forwarder {
  server: ReturnType<typeof createServer>
  origin: string
  target: { port: number; token: string } | null
}

/** Forwards every request to the app as it came, plus the token (see the module comment). */
async function startForwarder(): Promise<Forwarder> {
  const forwarder: Forwarder = {
    server: createServer((req, res) => forward(forwarder, req, res)),
    origin: '',
    target: null,
  }
  forwarder.server.listen(0, '127.0.0.1')
  await once(forwarder.server, 'listening')
  // `localhost`: the suite's dns-rebinding-protection scenario requires a localhost URL.
  forwarder.origin = `http://localhost:${(forwarder.server.address() as AddressInfo).port}`
  return forwarder
}

function forward(forwarder: Forwarder, req: IncomingMessage, res: ServerResponse): void {
  const { target } = forwarder
  if (!target) {
    res.writeHead(503).end()
    return
  }
  const upstream = request(
    {
      host: '127.0.0.1',
      port: target.port,
      method: req.method,
      path: req.url,
      headers: { ...req.headers, authorization: `Bearer ${target.token}` },
    },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(res)
    },
  )
  upstream.on('error', () => {
    if (!res.headersSent) res.writeHead(502)
    res.end()
  })
  res.on('close', () => upstream.destroy())
  req.pipe(upstream)
}
