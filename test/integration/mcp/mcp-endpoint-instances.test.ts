import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client'
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import { createApp } from '../../../src/server/app.ts'
import { type BuiltDeps, buildDeps } from '../../../src/server/deps.ts'
import { MemoryOAuthProvider, signInClient } from '../../helpers/endpoint-oauth.ts'
import { type Listening, listen } from '../../helpers/listen.ts'
import {
  freePort,
  LOOPBACK_POLICY,
  type RunningHttp,
  startEverything,
} from '../../helpers/mcp-servers.ts'
import { registerUser, startApp, type TestApp } from '../../helpers/start-app.ts'
import { patchTool } from '../chat/chat-test-kit.ts'

// The personal MCP endpoint behind a load balancer with no sticky sessions (issue 15): two
// instances on one PostgreSQL and one Redis; a client's requests go to either.
const redisUrl = process.env.TEST_REDIS_URL
const postgres = Boolean(process.env.TEST_DATABASE_URL)

describe.skipIf(!redisUrl || !postgres)('/mcp on two instances (PostgreSQL + Redis)', () => {
  let a: TestApp
  let b: BuiltDeps
  let httpA: Listening
  let httpB: Listening
  let everything: RunningHttp
  let user: { cookie: string }
  let serverId: string
  let secret: string
  let tokenId: string

  beforeAll(async () => {
    const config = { ssrf: LOOPBACK_POLICY, redisUrl: redisUrl as string }
    // A's address is the public URL: the one OAuth clients are given tokens for.
    const portA = await freePort()
    ;[a, everything] = await Promise.all([
      startApp({ config, env: { SWITCHBOARD_PUBLIC_URL: `http://127.0.0.1:${portA}` } }),
      startEverything('streamableHttp'),
    ])
    b = await buildDeps({ ...a.deps.config }, { database: a.database })
    httpA = await listen(a.app, portA)
    httpB = await listen(createApp(b.deps))
    user = await registerUser(a)
    const created = await a.request('/api/user/mcp-servers', {
      method: 'POST',
      cookie: user.cookie,
      json: { name: 'everything', transport: 'streamable-http', url: everything.url },
    })
    serverId = (await created.json()).id
    const token = await a.request('/api/user/tokens', {
      method: 'POST',
      cookie: user.cookie,
      json: { name: 'cursor' },
    })
    const body = (await token.json()) as { secret: string; token: { id: string } }
    secret = body.secret
    tokenId = body.token.id
  }, 60_000)
  afterAll(async () => {
    await httpA?.close()
    await httpB?.close()
    await b?.close()
    await everything?.close()
    await a?.close()
  })

  /** A client whose requests alternate between A and B, as a round-robin balancer sends them. */
  async function balancedClient(options: ConstructorParameters<typeof Client>[1] = {}) {
    let turn = 0
    const client = new Client(
      { name: 'balanced', version: '1.0.0' },
      { versionNegotiation: { mode: 'auto' }, ...options },
    )
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${httpA.url}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${secret}` } },
        fetch: (url, init) => {
          turn += 1
          const base = turn % 2 === 0 ? httpB.url : httpA.url
          return fetch(String(url).replace(httpA.url, base), init)
        },
      }),
    )
    onTestFinished(() => client.close())
    return client
  }

  it('serves one client from both instances, lists and calls', async () => {
    const client = await balancedClient()
    for (let i = 0; i < 4; i += 1) {
      const { tools } = await client.listTools()
      expect(tools.map((tool) => tool.name)).toContain('everything__echo')
      const result = await client.callTool({
        name: 'everything__echo',
        arguments: { message: `round ${i}` },
      })
      expect(JSON.stringify(result.content)).toContain(`round ${i}`)
    }
  })

  it('tells a client listening on B when a change is made through A', async () => {
    let heard = 0
    const listener = new Client(
      { name: 'listener', version: '1.0.0' },
      {
        versionNegotiation: { mode: 'auto' },
        listChanged: {
          tools: {
            autoRefresh: false,
            debounceMs: 0,
            onChanged: () => {
              heard += 1
            },
          },
        },
      },
    )
    await listener.connect(
      new StreamableHTTPClientTransport(new URL(`${httpB.url}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${secret}` } },
      }),
    )
    onTestFinished(() => listener.close())
    await new Promise((resolve) => setTimeout(resolve, 500))
    await patchTool(a, user.cookie, serverId, 'get-sum', { enabled: false })
    await expect.poll(() => heard, { timeout: 10_000 }).toBeGreaterThan(0)
  })

  const list = (host: string, bearer = secret) =>
    fetch(`${host}/mcp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        authorization: `Bearer ${bearer}`,
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
    })

  it('refuses an OAuth client revoked through B at once on A, where its token was cached', async () => {
    const provider = new MemoryOAuthProvider('Two-instance client')
    await signInClient(a, provider, { serverUrl: `${httpA.url}/mcp`, cookie: user.cookie })
    const accessToken = provider.tokens()?.access_token as string
    expect((await list(httpA.url, accessToken)).status).toBe(200)
    expect((await list(httpB.url, accessToken)).status).toBe(200)
    const clientId = provider.clientInformation()?.client_id as string
    const revoked = await createApp(b.deps).request(
      `/api/user/mcp-clients?clientId=${encodeURIComponent(clientId)}`,
      { method: 'DELETE', headers: { cookie: user.cookie } },
    )
    expect(revoked.status).toBe(204)
    expect((await list(httpA.url, accessToken)).status).toBe(401)
    expect((await list(httpB.url, accessToken)).status).toBe(401)
  })

  it('refuses a token revoked through A at once on B', async () => {
    expect((await list(httpB.url)).status).toBe(200)
    const revoked = await a.request(`/api/user/tokens/${tokenId}`, {
      method: 'DELETE',
      cookie: user.cookie,
    })
    expect(revoked.status).toBe(204)
    expect((await list(httpB.url)).status).toBe(401)
  })
})
