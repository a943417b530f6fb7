import type { KyselyPlugin } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../../src/server/app.ts'
import { buildDeps } from '../../../src/server/deps.ts'
import { createToolCallRuntime, type RunningCall } from '../../../src/server/toolcalls/runtime.ts'
import type { ToolCallView } from '../../../src/shared/tool-calls.ts'
import { type CountingServer, startCountingServer } from '../../fixtures/mcp/counting-server.ts'
import { LOOPBACK_POLICY } from '../../helpers/mcp-servers.ts'
import { registerUser, startApp, type TestApp } from '../../helpers/start-app.ts'
import { testConfig } from '../../helpers/test-config.ts'

// The proxy against a server of ours that counts what reaches it.
let t: TestApp
let upstream: CountingServer
let alice: { cookie: string; userId: string; email: string }
let serverId: string
const toolIds = new Map<string, string>()

beforeAll(async () => {
  // Room for the burst test; the limit tests build apps of their own with small budgets.
  const defaults = testConfig().toolCalls
  const toolCalls = {
    ...defaults,
    rateLimit: { perUser: 100_000, perServer: 100_000, perSeconds: 60, maxInFlightPerUser: 2_000 },
    // Every call here is answered whole: on a loaded machine the burst's last calls (two
    // commits each) may take longer than the default 25 s before turning async.
    asyncAfterMs: 120_000,
  }
  ;[t, upstream] = await Promise.all([
    startApp({ config: { ssrf: LOOPBACK_POLICY, toolCalls } }),
    startCountingServer(),
  ])
  alice = await registerUser(t)
  serverId = await addServer(alice.cookie, 'counting')
  const tools = await (
    await t.request(`/api/user/mcp-servers/${serverId}/tools`, { cookie: alice.cookie })
  ).json()
  for (const tool of tools.tools) toolIds.set(tool.name, tool.id)
}, 60_000)
afterAll(async () => {
  await upstream?.close()
  await t?.close()
})

async function addServer(cookie: string, name: string): Promise<string> {
  const res = await t.request('/api/user/mcp-servers', {
    method: 'POST',
    cookie,
    json: { name, transport: 'streamable-http', url: upstream.url },
  })
  expect(res.status).toBe(201)
  return (await res.json()).id
}

function toolId(name: string): string {
  const id = toolIds.get(name)
  if (!id) throw new Error(`no tool ${name}`)
  return id
}

/** A call row as an instance that has since stopped left it: running, last touched then. */
async function insertRunningCall(updatedAt: Date): Promise<string> {
  const id = crypto.randomUUID()
  await t.deps.db
    .insertInto('mcp_tool_calls')
    .values({
      id,
      user_id: alice.userId,
      server_id: serverId,
      server_name: 'counting',
      tool_name: 'slow',
      source: 'api',
      mode: 'async',
      input: '{}',
      status: 'running',
      started_at: updatedAt,
      created_at: updatedAt,
      updated_at: updatedAt,
    })
    .execute()
  return id
}

async function statusOf(id: string) {
  const row = await t.deps.db
    .selectFrom('mcp_tool_calls')
    .select('status')
    .where('id', '=', id)
    .executeTakeFirst()
  return row?.status
}

async function call(body: Record<string, unknown>, cookie = alice.cookie) {
  const res = await t.request('/api/chat/tool-call', { method: 'POST', cookie, json: body })
  return { status: res.status, body: await res.json(), headers: res.headers }
}

describe('what reaches the upstream', () => {
  it('refuses a disabled tool and invalid arguments before anything is sent', async () => {
    const before = upstream.totalCalls()
    await t.request(`/api/user/mcp-servers/${serverId}/tools/${toolId('slow')}`, {
      method: 'PATCH',
      cookie: alice.cookie,
      json: { enabled: false },
    })
    const disabled = await call({ toolId: toolId('slow'), arguments: { ms: 1 } })
    expect(disabled.status).toBe(409)
    expect(disabled.body.error.details).toEqual({ disabled: 'tool' })
    await t.request(`/api/user/mcp-servers/${serverId}/tools/${toolId('slow')}`, {
      method: 'PATCH',
      cookie: alice.cookie,
      json: { enabled: true },
    })
    const invalid = await call({ toolId: toolId('echo'), arguments: { text: 'x', extra: 1 } })
    expect(invalid.status).toBe(400)
    expect(invalid.body.error.details.fields).toContainEqual({
      field: 'arguments.extra',
      message: 'is not an allowed property: remove "extra"',
      reason: { key: 'validation.unknownProperty', params: { name: 'extra' } },
    })
    const missing = await call({ toolId: toolId('echo'), arguments: {} })
    expect(missing.status).toBe(400)
    expect(missing.body.error.message).toMatch(/text: is required/)
    expect(upstream.totalCalls()).toBe(before)
  })

  it('refuses a tool switched off right after a call (no stale authorization)', async () => {
    const patch = (enabled: boolean) =>
      t.request(`/api/user/mcp-servers/${serverId}/tools/${toolId('echo')}`, {
        method: 'PATCH',
        cookie: alice.cookie,
        json: { enabled },
      })
    expect((await call({ toolId: toolId('echo'), arguments: { text: 'a' } })).status).toBe(200)
    await patch(false)
    try {
      expect((await call({ toolId: toolId('echo'), arguments: { text: 'b' } })).status).toBe(409)
    } finally {
      await patch(true)
    }
    expect((await call({ toolId: toolId('echo'), arguments: { text: 'c' } })).status).toBe(200)
  })

  it('refuses every call while the server is switched off', async () => {
    const before = upstream.totalCalls()
    await t.request(`/api/user/mcp-servers/${serverId}`, {
      method: 'PATCH',
      cookie: alice.cookie,
      json: { enabled: false },
    })
    try {
      const res = await call({ toolId: toolId('echo'), arguments: { text: 'x' } })
      expect(res.status).toBe(409)
      expect(res.body.error).toMatchObject({ code: 'disabled', details: { disabled: 'server' } })
      expect(res.body.error.message).toMatch(/"counting" is switched off/)
    } finally {
      await t.request(`/api/user/mcp-servers/${serverId}`, {
        method: 'PATCH',
        cookie: alice.cookie,
        json: { enabled: true },
      })
    }
    expect(upstream.totalCalls()).toBe(before)
  })

  it('sends the real arguments but stores secret-looking ones masked', async () => {
    const args = { username: 'ada', password: 'hunter2-pw', apiKey: 'sk-live-9f8e7d' }
    const res = await call({ toolId: toolId('login'), arguments: args })
    expect(res.status).toBe(200)
    expect(res.body.call.input).toEqual({ username: 'ada', password: '••••••', apiKey: '••••••' })
    expect(upstream.received.at(-1)).toEqual({ tool: 'login', arguments: args })
    await t.deps.toolCalls.log.flush()
    const row = await t.deps.db
      .selectFrom('mcp_tool_calls')
      .selectAll()
      .where('id', '=', res.body.call.id)
      .executeTakeFirstOrThrow()
    expect(JSON.stringify(row)).not.toMatch(/hunter2-pw|sk-live-9f8e7d/)
  })

  it('stores a call whose arguments and result hold what jsonb cannot (a lone surrogate)', async () => {
    // Valid JSON, valid for the tool, but PostgreSQL refuses it in jsonb (the edge refuses NUL).
    const text = 'a\ud800b\udc00c'
    const res = await call({ toolId: toolId('echo'), arguments: { text } })
    expect(res.status).toBe(200)
    expect(res.body.call.input).toEqual({ text })
    const row = await t.deps.db
      .selectFrom('mcp_tool_calls')
      .select(['status', 'input', 'output'])
      .where('id', '=', res.body.call.id)
      .executeTakeFirst()
    expect(row).toMatchObject({
      status: 'succeeded',
      input: { text: 'a\ufffdb\ufffdc' },
      output: { content: [{ type: 'text', text: 'a\ufffdb\ufffdc' }] },
    })
  })

  it('records a tool error as a failed call with its message and output', async () => {
    const res = await call({ toolId: toolId('fail') })
    expect(res.status).toBe(200)
    expect(res.body.call).toMatchObject({
      status: 'failed',
      errorCode: 'tool_error',
      error: 'the disk is full',
      output: { isError: true },
    })
  })
})

describe('limits', () => {
  it('answers 429 with Retry-After past the per-user budget, and audits it', async () => {
    const { rateLimit } = t.deps.config.toolCalls
    const bob = await registerUser(t)
    const bobServer = await addServer(bob.cookie, 'bobs counting')
    const echo = await (
      await t.request(`/api/user/mcp-servers/${bobServer}/tools`, { cookie: bob.cookie })
    ).json()
    const echoId = echo.tools.find((tool: { name: string }) => tool.name === 'echo').id
    // Limiters are built at start-up: a fresh app with small budgets.
    const saved = { ...rateLimit }
    Object.assign(rateLimit, { perUser: 3, perSeconds: 60 })
    const built = await buildDeps(t.deps.config, { database: t.database })
    try {
      const { createApp } = await import('../../../src/server/app.ts')
      const app = createApp(built.deps)
      const send = () =>
        app.request('/api/chat/tool-call', {
          method: 'POST',
          headers: { cookie: bob.cookie, 'content-type': 'application/json' },
          body: JSON.stringify({ toolId: echoId, arguments: { text: 'hi' } }),
        })
      for (let i = 0; i < 3; i += 1) expect((await send()).status).toBe(200)
      const limited = await send()
      expect(limited.status).toBe(429)
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0)
      expect((await limited.json()).error.message).toMatch(/more than 3 tool calls in 60 s/)
      const audit = await t.deps.db
        .selectFrom('audit_log')
        .selectAll()
        .where('user_id', '=', bob.userId)
        .where('action', '=', 'tool_call.rate_limited')
        .execute()
      expect(audit).toHaveLength(1)
    } finally {
      Object.assign(rateLimit, saved)
      await built.close()
    }
  })

  it('limits the calls one user has in flight at once', async () => {
    const { rateLimit } = t.deps.config.toolCalls
    const saved = { ...rateLimit }
    Object.assign(rateLimit, { maxInFlightPerUser: 2 })
    const built = await buildDeps(t.deps.config, { database: t.database })
    try {
      const { createApp } = await import('../../../src/server/app.ts')
      const app = createApp(built.deps)
      const send = (ms: number) =>
        app.request('/api/chat/tool-call', {
          method: 'POST',
          headers: { cookie: alice.cookie, 'content-type': 'application/json' },
          body: JSON.stringify({ toolId: toolId('slow'), arguments: { ms }, mode: 'async' }),
        })
      expect((await send(500)).status).toBe(202)
      expect((await send(500)).status).toBe(202)
      const third = await send(1)
      expect(third.status).toBe(429)
      expect((await third.json()).error.message).toMatch(/already have 2 tool calls running/)
      await Promise.all([...built.deps.toolCalls.running.values()].map((c) => c.done))
      expect((await send(1)).status).toBe(202)
    } finally {
      Object.assign(rateLimit, saved)
      await built.close()
    }
  })
})

describe('a call the log cannot record', () => {
  /** The database refuses every call row, as it would a row it can never take. */
  const refusingCallRows: KyselyPlugin = {
    transformQuery(args) {
      const node = args.node as { kind: string; into?: { table: { identifier: { name: string } } } }
      if (
        node.kind === 'InsertQueryNode' &&
        node.into?.table.identifier.name === 'mcp_tool_calls'
      ) {
        throw Object.assign(new Error('new row violates check constraint'), { code: '23514' })
      }
      return args.node
    },
    transformResult: async (args) => args.result,
  }

  it('is refused with a clear error before the upstream sees it, and gives its slot back', async () => {
    const { rateLimit } = t.deps.config.toolCalls
    const saved = { ...rateLimit }
    Object.assign(rateLimit, { maxInFlightPerUser: 1 })
    const built = await buildDeps(t.deps.config, {
      database: { ...t.database, db: t.database.db.withPlugin(refusingCallRows) },
    })
    try {
      const app = createApp(built.deps)
      const before = upstream.totalCalls()
      // One slot: had the first call kept it, the second would be refused with 429.
      for (const text of ['first', 'second']) {
        const res = await app.request('/api/chat/tool-call', {
          method: 'POST',
          headers: { cookie: alice.cookie, 'content-type': 'application/json' },
          body: JSON.stringify({ toolId: toolId('echo'), arguments: { text } }),
        })
        expect(res.status).toBe(500)
        const { error } = await res.json()
        expect(error.code).toBe('internal')
        expect(error.message).toMatch(/could not record the call to "echo".*so it was not made/)
      }
      expect(upstream.totalCalls()).toBe(before)
    } finally {
      Object.assign(rateLimit, saved)
      await built.close()
    }
  })
})

describe('timeouts', () => {
  /** The counting server again, with a 1 s timeout per call. */
  async function impatientServer(): Promise<Map<string, string>> {
    const res = await t.request('/api/user/mcp-servers', {
      method: 'POST',
      cookie: alice.cookie,
      json: {
        name: `impatient ${crypto.randomUUID().slice(0, 8)}`,
        transport: 'streamable-http',
        url: upstream.url,
        timeouts: { requestMs: 1_000 },
      },
    })
    expect(res.status).toBe(201)
    const id = (await res.json()).id
    const listed = await t.request(`/api/user/mcp-servers/${id}/tools`, { cookie: alice.cookie })
    const { tools } = (await listed.json()) as { tools: { id: string; name: string }[] }
    return new Map(tools.map((tool) => [tool.name, tool.id]))
  }

  it('times a call out after the server timeout without progress, and says so', async () => {
    const tools = await impatientServer()
    const result = await call({ toolId: tools.get('slow'), arguments: { ms: 3_000 } })
    expect(result.status).toBe(200)
    expect(result.body.call).toMatchObject({
      status: 'timeout',
      errorCode: 'upstream_timeout',
      error: 'timed out after 1 s',
    })
  })

  it('lets a call that reports progress run past the timeout', async () => {
    const tools = await impatientServer()
    const result = await call({
      toolId: tools.get('ticking'),
      arguments: { ms: 2_500, every: 250 },
    })
    expect(result.status).toBe(200)
    expect(result.body.call).toMatchObject({ status: 'succeeded', progress: { total: 2_500 } })
  })
})

describe('resilience', () => {
  it('fails a call whose server dies mid-call, with a clear error, and marks it offline', async () => {
    const own = await startCountingServer()
    try {
      const res = await t.request('/api/user/mcp-servers', {
        method: 'POST',
        cookie: alice.cookie,
        json: { name: 'doomed', transport: 'streamable-http', url: own.url },
      })
      const doomed = (await res.json()).id
      const tools = await (
        await t.request(`/api/user/mcp-servers/${doomed}/tools`, { cookie: alice.cookie })
      ).json()
      const die = tools.tools.find((tool: { name: string }) => tool.name === 'die').id
      const started = Date.now()
      const result = await call({ toolId: die })
      expect(Date.now() - started).toBeLessThan(15_000)
      expect(result.status).toBe(200)
      expect(result.body.call.status).toBe('failed')
      expect(result.body.call.error).toMatch(/\S/)
      expect(result.body.call.errorCode).toMatch(/^upstream_/)
    } finally {
      await own.close()
    }
  })

  it('keeps every row of 1,000 concurrent calls, each with its status', async () => {
    const answers = await Promise.all(
      Array.from({ length: 1000 }, async (_, i) => {
        const tool = i % 10 === 0 ? 'fail' : 'echo'
        const args = tool === 'echo' ? { text: `burst ${i}` } : {}
        const res = await call({ toolId: toolId(tool), arguments: args })
        expect(res.status).toBe(200)
        return { tool, call: res.body.call as ToolCallView }
      }),
    )
    // Every call ended as the tool said: echo succeeded, `fail` failed with its own error.
    for (const { tool, call: view } of answers) {
      if (tool === 'fail') expect([view.status, view.errorCode]).toEqual(['failed', 'tool_error'])
      else expect([view.status, view.error]).toEqual(['succeeded', null])
    }
    await t.deps.toolCalls.log.flush()
    const rows = await t.deps.db
      .selectFrom('mcp_tool_calls')
      .select(['id', 'status', 'error_code'])
      .where(
        'id',
        'in',
        answers.map((answer) => answer.call.id),
      )
      .execute()
    expect(rows).toHaveLength(1000)
    // The log says exactly what each caller was told.
    const stored = new Map(rows.map((row) => [row.id, row]))
    for (const { call: view } of answers) {
      expect(stored.get(view.id)).toMatchObject({ status: view.status, error_code: view.errorCode })
    }
  }, 120_000)

  it('marks calls a crash left running as interrupted on start-up', async () => {
    const id = await insertRunningCall(new Date(Date.now() - 600_000))
    const built = await buildDeps(t.deps.config, { database: t.database, migrate: true })
    await built.close()
    const res = await t.request(`/api/user/mcp-tool-calls/${id}`, { cookie: alice.cookie })
    const view = (await res.json()).call as ToolCallView
    expect(view).toMatchObject({ status: 'interrupted', errorCode: 'interrupted' })
    expect(view.error).toMatch(/restarted/)
  })

  it('marks calls of an instance that stopped as interrupted on a live one, without a restart', async () => {
    const id = await insertRunningCall(new Date(Date.now() - 600_000))
    // A live instance with a short heartbeat: it sweeps every heartbeat, by itself.
    const runtime = createToolCallRuntime({
      config: { toolCalls: { ...t.deps.config.toolCalls, heartbeatMs: 100 } },
      db: t.deps.db,
      log: t.deps.log,
      redis: null,
      events: t.deps.events,
      now: () => new Date(),
    })
    const heard: string[] = []
    const unsubscribe = t.deps.events.subscribe(alice.userId, (event) => {
      if (event.type === 'tool-call.updated' && event.call.id === id) heard.push(event.call.status)
    })
    try {
      await expect.poll(() => statusOf(id), { timeout: 15_000, interval: 100 }).toBe('interrupted')
      // The owner's open pages hear it too, not only a reload.
      await expect.poll(() => heard).toContain('interrupted')
    } finally {
      unsubscribe()
      await runtime.close()
    }
  })

  it('sweeps only calls silent for three heartbeats, and never the calls it runs', async () => {
    // A clock a day ahead: these rows are fresh to every other instance in this file.
    const now = new Date(Date.now() + 86_400_000)
    const ago = (ms: number) => new Date(now.getTime() - ms)
    const runtime = createToolCallRuntime({
      config: { toolCalls: { ...t.deps.config.toolCalls, heartbeatMs: 15_000 } },
      db: t.deps.db,
      log: t.deps.log,
      redis: null,
      events: t.deps.events,
      now: () => now,
    })
    try {
      const silent = await insertRunningCall(ago(46_000))
      const recent = await insertRunningCall(ago(44_000))
      const mine = await insertRunningCall(ago(600_000))
      runtime.running.set(mine, { state: { id: mine } } as RunningCall)
      await runtime.sweep()
      expect([await statusOf(silent), await statusOf(recent), await statusOf(mine)]).toEqual([
        'interrupted',
        'running',
        'running',
      ])
      // At the start of the only process (PGlite) every unfinished call is a crash's.
      runtime.running.delete(mine)
      await runtime.sweep({ all: true })
      expect([await statusOf(recent), await statusOf(mine)]).toEqual(['interrupted', 'interrupted'])
    } finally {
      runtime.running.clear()
      await runtime.close()
    }
  })
})
