import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startHealthChecks } from '../../../src/server/mcp/servers/health-checker.ts'
import {
  type FakeOpenRouter,
  httpError,
  startFakeOpenRouter,
  text,
} from '../../fixtures/llm/fake-openrouter.ts'
import { type Listening, listen } from '../../helpers/listen.ts'
import { type RunningHttp, startEverything } from '../../helpers/mcp-servers.ts'
import { readSse } from '../../helpers/sse.ts'
import { registerUser, startApp, type TestApp, uniqueEmail } from '../../helpers/start-app.ts'
import { TEST_DB_KIND } from '../../helpers/test-db.ts'
import {
  addServer,
  createConversation,
  postStream,
  startChatApp,
  userMessage,
  waitForAnswer,
} from '../chat/chat-test-kit.ts'

// GET /metrics of the real app, scraped after real work: tool calls against
// @modelcontextprotocol/server-everything, chat turns against the fake model provider.
const TOKEN = 'metrics-token-for-tests'
let t: TestApp
let http: Listening
let fake: FakeOpenRouter
let everything: RunningHttp
let alice: { cookie: string; userId: string }
let serverId: string

beforeAll(async () => {
  ;[fake, everything] = await Promise.all([
    startFakeOpenRouter(),
    startEverything('streamableHttp'),
  ])
  t = await startChatApp(fake, { METRICS_ENABLED: 'true', METRICS_TOKEN: TOKEN })
  http = await listen(t.app)
  alice = await registerUser(t)
  serverId = (await addServer(t, alice.cookie, { name: 'everything', url: everything.url })).id
}, 60_000)
afterAll(async () => {
  await http?.close()
  await t?.close()
  await Promise.all([everything?.close(), fake?.close()])
})

async function scrape(): Promise<string> {
  const res = await t.request('/metrics', { token: TOKEN })
  expect(res.status).toBe(200)
  return res.text()
}

/** The value of the first series of `name` whose labels include `labels`; undefined: none. */
function sample(
  exposition: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  for (const line of exposition.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line)
    if (match?.[1] !== name) continue
    const found = Object.fromEntries(
      [...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]),
    )
    if (Object.entries(labels).every(([key, value]) => found[key] === value)) {
      return Number(match[3])
    }
  }
  return undefined
}

describe('GET /metrics', () => {
  it('is off by default: 404', async () => {
    const plain = await startApp()
    try {
      const res = await plain.request('/metrics')
      expect(res.status).toBe(404)
      expect((await res.json()).error.code).toBe('not_found')
    } finally {
      await plain.close()
    }
  })

  it('answers 401 without the token, or with another one', async () => {
    expect((await t.request('/metrics')).status).toBe(401)
    expect((await t.request('/metrics', { token: `${TOKEN}x` })).status).toBe(401)
    const basic = await t.request('/metrics', { headers: { authorization: `Basic ${TOKEN}` } })
    expect(basic.status).toBe(401)
  })

  it("serves Prometheus's text format, Node's process metrics included, to the bearer", async () => {
    const res = await t.request('/metrics', { token: TOKEN })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/)
    const exposition = await res.text()
    expect(exposition).toContain('# TYPE switchboard_http_requests_total counter')
    expect(sample(exposition, 'process_cpu_user_seconds_total')).toBeGreaterThan(0)
    expect(sample(exposition, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0)
  })
})

describe('what /metrics counts', () => {
  it('a tool call by status and server kind, with its upstream and total latency', async () => {
    const before = await scrape()
    const labels = { server_kind: 'user', transport: 'streamable-http' }
    const counted = (exposition: string) =>
      sample(exposition, 'switchboard_tool_calls_total', { ...labels, status: 'succeeded' }) ?? 0
    const res = await t.request('/api/chat/tool-call', {
      method: 'POST',
      cookie: alice.cookie,
      json: { serverId, toolName: 'echo', arguments: { message: 'counted' } },
    })
    expect(res.status).toBe(200)
    expect((await res.json()).call.status).toBe('succeeded')

    const after = await scrape()
    expect(counted(after)).toBe(counted(before) + 1)
    const histogram = (name: string) => sample(after, `${name}_count`, labels)
    expect(histogram('switchboard_tool_call_upstream_duration_seconds')).toBe(counted(after))
    expect(histogram('switchboard_tool_call_duration_seconds')).toBe(counted(after))
    const total = sample(after, 'switchboard_tool_call_duration_seconds_sum', labels) ?? 0
    const upstream = sample(after, 'switchboard_tool_call_upstream_duration_seconds_sum', labels)
    expect(upstream).toBeGreaterThan(0)
    expect(total).toBeGreaterThanOrEqual(upstream ?? Infinity)
  })

  it('HTTP requests by route pattern and status, never by raw path', async () => {
    const res = await t.request(`/api/user/mcp-servers/${serverId}`, { cookie: alice.cookie })
    expect(res.status).toBe(200)
    const missing = await t.request(`/api/user/mcp-servers/${crypto.randomUUID()}`, {
      cookie: alice.cookie,
    })
    expect(missing.status).toBe(404)
    const exposition = await scrape()
    const route = '/api/user/mcp-servers/:id'
    expect(
      sample(exposition, 'switchboard_http_requests_total', {
        method: 'GET',
        route,
        status: '200',
      }),
    ).toBeGreaterThanOrEqual(1)
    expect(
      sample(exposition, 'switchboard_http_requests_total', {
        method: 'GET',
        route,
        status: '404',
      }),
    ).toBeGreaterThanOrEqual(1)
    expect(
      sample(exposition, 'switchboard_http_request_duration_seconds_count', {
        method: 'GET',
        route,
      }),
    ).toBeGreaterThanOrEqual(2)
    expect(exposition).not.toContain(serverId)
  })

  it('open upstream sessions, event-bus subscribers and database pool clients', async () => {
    // The tool call above left its session open in the pool.
    const before = await scrape()
    expect(sample(before, 'switchboard_upstream_sessions')).toBeGreaterThanOrEqual(1)
    expect(sample(before, 'switchboard_upstream_sessions')).toBe(t.deps.pool.size())

    const subscribers = sample(before, 'switchboard_event_bus_subscribers') ?? Infinity
    const res = await fetch(`${http.url}/api/events`, { headers: { cookie: alice.cookie } })
    const events = readSse(res)
    try {
      await events.next('ready')
      const during = await scrape()
      expect(sample(during, 'switchboard_event_bus_subscribers')).toBe(subscribers + 1)
    } finally {
      await events.close()
    }

    const clients = sample(before, 'switchboard_db_pool_clients', { state: 'total' })
    if (TEST_DB_KIND === 'postgres') expect(clients).toBeGreaterThanOrEqual(1)
    // The embedded database has no pool to report.
    else expect(clients).toBeUndefined()
  })

  it('health checks by the status found, how late they started, and how many run', async () => {
    let clock = Date.now()
    const deps = { ...t.deps, now: () => new Date(clock) }
    const checks = startHealthChecks(deps, { intervalMs: 60_000, timer: false })
    await checks.tick() // places every server within the interval
    clock += 60_000
    await checks.tick()
    const exposition = await scrape()
    expect(
      sample(exposition, 'switchboard_health_checks_total', { status: 'online' }),
    ).toBeGreaterThanOrEqual(1)
    expect(sample(exposition, 'switchboard_health_check_lag_seconds_count')).toBeGreaterThanOrEqual(
      1,
    )
    expect(sample(exposition, 'switchboard_health_checks_in_flight')).toBe(0)
  })

  it('sign-ins refused by the rate limit', async () => {
    const email = uniqueEmail('guess')
    const attempts = t.deps.config.auth.loginAttempts.perAccount + 1
    const statuses: number[] = []
    for (let attempt = 0; attempt < attempts; attempt += 1) {
      const res = await t.request('/api/auth/login', {
        method: 'POST',
        json: { email, password: 'not the password' },
      })
      statuses.push(res.status)
    }
    expect(statuses.at(-1)).toBe(429)
    const exposition = await scrape()
    expect(
      sample(exposition, 'switchboard_rate_limit_refusals_total', { limit: 'login' }),
    ).toBeGreaterThanOrEqual(1)
  })

  it('chat turns by status, model tokens, and model provider errors', async () => {
    const model = t.deps.config.chat.defaultModel
    const conversationId = await createConversation(t, alice.cookie)
    fake.enqueue(text('Hello there'))
    await postStream(t, alice.cookie, { conversationId, message: userMessage('hi') })
    await waitForAnswer(t, alice.cookie, conversationId, 2)
    fake.enqueue(httpError(401))
    await postStream(t, alice.cookie, { conversationId, message: userMessage('again') })
    await waitForAnswer(t, alice.cookie, conversationId, 4)

    const exposition = await scrape()
    expect(sample(exposition, 'switchboard_chat_turns_total', { status: 'complete' })).toBe(1)
    expect(sample(exposition, 'switchboard_chat_turns_total', { status: 'error' })).toBe(1)
    expect(
      sample(exposition, 'switchboard_model_provider_errors_total', { reason: 'credentials' }),
    ).toBe(1)
    // The fake provider reports 12 prompt and 7 completion tokens for an answer.
    expect(sample(exposition, 'switchboard_model_tokens_total', { model, kind: 'input' })).toBe(12)
    expect(sample(exposition, 'switchboard_model_tokens_total', { model, kind: 'output' })).toBe(7)
  })
})
