import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Config } from '../../../src/server/config/config.ts'
import { startHealthChecks } from '../../../src/server/mcp/servers/health-checker.ts'
import { hugeResultServer } from '../../fixtures/mcp/huge-result-server.ts'
import { startLegacySseServer } from '../../fixtures/mcp/legacy-sse-server.ts'
import { startSdkHttpServer } from '../../fixtures/mcp/sdk-http-server.ts'
import { startWebSocketMcpServer } from '../../fixtures/mcp/websocket-server.ts'
import type { Running } from '../../helpers/mcp-servers.ts'
import { LOOPBACK_POLICY } from '../../helpers/mcp-servers.ts'
import { registerUser, startApp, type TestApp } from '../../helpers/start-app.ts'
import { testConfig } from '../../helpers/test-config.ts'

// Large results through the proxy: truncated above toolCalls.maxResultBytes as the README says,
// refused at once (and said so) above the message cap, which follows that setting.
const MB = 1024 * 1024
const TRANSPORTS = ['streamable-http', 'sse', 'websocket', 'stdio'] as const
type Transport = (typeof TRANSPORTS)[number]
const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
// A call that is not answered fails after this long: a refusal that does not reach the call
// shows as a failed "at once" check, not as a hanging test.
const TIMEOUT_MS = 20_000
const FAST_MS = 10_000
const TOO_LARGE =
  /^the result is too large: the server sent more than 10 MB in one message, the limit is 10 MB;/

interface Setup {
  t: TestApp
  cookie: string
  /** The `huge` tool's id on a server of each transport. */
  tools: Map<Transport, string>
  servers: Map<Transport, string>
  upstreams: Running[]
}

/**
 * An app with a user who added a `huge` server over each network transport, and the operator's
 * shared stdio one (from switchboard.yaml, as only the operator may run commands).
 */
async function setUp(toolCalls: Partial<Config['toolCalls']> = {}): Promise<Setup> {
  const file = join(mkdtempSync(join(tmpdir(), 'switchboard-huge-')), 'switchboard.yaml')
  writeFileSync(
    file,
    `mcpServers:
  huge-stdio:
    command: ${JSON.stringify(process.execPath)}
    args: [test/fixtures/mcp/huge-result-stdio.mjs]
    cwd: ${JSON.stringify(ROOT)}
`,
  )
  const defaults = testConfig().toolCalls
  const t = await startApp({
    env: { SWITCHBOARD_CONFIG: file },
    config: {
      ssrf: LOOPBACK_POLICY,
      toolCalls: { ...defaults, timeoutMs: TIMEOUT_MS, ...toolCalls },
    },
  })
  await startHealthChecks(t.deps, { intervalMs: 0 }).runOnce()
  const { cookie } = await registerUser(t)
  const upstreams: Running[] = await Promise.all([
    startSdkHttpServer(hugeResultServer),
    startLegacySseServer(hugeResultServer),
    startWebSocketMcpServer({ createServer: hugeResultServer }),
  ])
  const servers = new Map<Transport, string>()
  for (const [index, transport] of (['streamable-http', 'sse', 'websocket'] as const).entries()) {
    const res = await t.request('/api/user/mcp-servers', {
      method: 'POST',
      cookie,
      json: { name: `huge ${transport}`, transport, url: upstreams[index]?.url },
    })
    expect(res.status).toBe(201)
    servers.set(transport, ((await res.json()) as { id: string }).id)
  }
  const listed = await t.request('/api/user/mcp-servers', { cookie })
  const { servers: all } = (await listed.json()) as { servers: { id: string; name: string }[] }
  const shared = all.find((server) => server.name === 'huge-stdio')
  if (!shared) throw new Error('no shared stdio server')
  servers.set('stdio', shared.id)
  const tools = new Map<Transport, string>()
  for (const [transport, id] of servers) {
    const listed = await t.request(`/api/user/mcp-servers/${id}/tools`, { cookie })
    const { tools: found } = (await listed.json()) as { tools: { id: string; name: string }[] }
    const huge = found.find((tool) => tool.name === 'huge')
    if (!huge) throw new Error(`no huge tool on ${transport}`)
    tools.set(transport, huge.id)
  }
  return { t, cookie, tools, servers, upstreams }
}

async function tearDown(setup: Setup | undefined) {
  await Promise.all(setup?.upstreams.map((upstream) => upstream.close()) ?? [])
  await setup?.t.close()
}

async function callHuge(setup: Setup, transport: Transport, bytes: number) {
  const res = await setup.t.request('/api/chat/tool-call', {
    method: 'POST',
    cookie: setup.cookie,
    json: { toolId: setup.tools.get(transport), arguments: { bytes } },
  })
  expect(res.status).toBe(200)
  const { call } = (await res.json()) as { call: Record<string, unknown> }
  return call as {
    status: string
    errorCode: string | null
    error: string | null
    output: { content: { type: string; text: string }[]; truncated?: boolean } | null
  }
}

describe('at the default result cap (1 MB)', () => {
  let setup: Setup
  beforeAll(async () => {
    setup = await setUp()
  }, 60_000)
  afterAll(() => tearDown(setup))

  it('keeps a 3 MB result to the cap, truncated and marked so', async () => {
    const call = await callHuge(setup, 'streamable-http', 3 * MB)
    expect(call.status).toBe('succeeded')
    expect(call.output?.truncated).toBe(true)
    const text = call.output?.content[0]?.text ?? ''
    expect(text).toMatch(/^x+\n\[truncated: the result was \d+ bytes; the limit is 1000000\]$/)
    expect(text.length).toBeLessThan(1_000_000)
  })

  it.each(TRANSPORTS)(
    'fails a 12 MB result over %s at once, saying it is too large; the server stays online and callable',
    async (transport) => {
      // One more than the circuit breaker's threshold (3): none of them may trip it.
      for (let attempt = 1; attempt <= 4; attempt += 1) {
        const started = performance.now()
        const call = await callHuge(setup, transport, 12 * MB)
        expect(performance.now() - started).toBeLessThan(FAST_MS)
        expect(call).toMatchObject({ status: 'failed', errorCode: 'upstream_failed' })
        expect(call.error).toMatch(TOO_LARGE)
      }
      const small = await callHuge(setup, transport, 5)
      expect(small).toMatchObject({ status: 'succeeded' })
      expect(small.output?.content[0]?.text).toBe('xxxxx')
      const res = await setup.t.request(`/api/user/mcp-servers/${setup.servers.get(transport)}`, {
        cookie: setup.cookie,
      })
      expect(((await res.json()) as { status: string }).status).toBe('online')
    },
  )
})

describe('with toolCalls.maxResultBytes raised to 20 MB', () => {
  let setup: Setup
  beforeAll(async () => {
    setup = await setUp({ maxResultBytes: 20_000_000 })
  }, 60_000)
  afterAll(() => tearDown(setup))

  it.each(TRANSPORTS)('keeps a 12 MB result over %s whole', async (transport) => {
    const call = await callHuge(setup, transport, 12 * MB)
    expect(call.status).toBe('succeeded')
    expect(call.output?.truncated).toBeUndefined()
    expect(call.output?.content[0]?.text).toHaveLength(12 * MB)
  })
})
