import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../../src/server/app.ts'
import { readSharedServers } from '../../../src/server/config/shared-servers.ts'
import { type BuiltDeps, buildDeps } from '../../../src/server/deps.ts'
import {
  type HealthChecker,
  startHealthChecks,
} from '../../../src/server/mcp/servers/health-checker.ts'
import type { ElicitationView } from '../../../src/shared/elicitations.ts'
import type { ToolCallView } from '../../../src/shared/tool-calls.ts'
import {
  CONNECT_MESSAGE,
  linkAskingServer,
  modernLinkAskingServer,
} from '../../fixtures/mcp/link-server.ts'
import { type ModernServer, startModernServer } from '../../fixtures/mcp/modern-server.ts'
import { type SdkHttpServer, startSdkHttpServer } from '../../fixtures/mcp/sdk-http-server.ts'
import { type Listening, listen } from '../../helpers/listen.ts'
import { LOOPBACK_POLICY } from '../../helpers/mcp-servers.ts'
import { readSse } from '../../helpers/sse.ts'
import { registerUser, startApp, type TestApp } from '../../helpers/start-app.ts'

// Servers asking the user to open a link (URL-mode elicitation), from the v2 server SDK: a
// 2025-era one asks with `elicitation/create` on its session, a 2026-07-28 one answers
// `input_required` and reads the user's action from the client's retry. Both offer `connect`,
// which asks to open the `url` it is given and answers `link: <action>`.

const LINK = 'https://accounts.example.test/connect?state=b7c1'
const SHARED = 'ops links'

let t: TestApp
let http: Listening
let legacy: SdkHttpServer
let modern: ModernServer
let checks: HealthChecker
let alice: { cookie: string; userId: string; email: string }
let bob: { cookie: string; userId: string; email: string }

beforeAll(async () => {
  ;[legacy, modern] = await Promise.all([
    startSdkHttpServer(linkAskingServer),
    startModernServer({ createServer: modernLinkAskingServer }),
  ])
  const shared = readSharedServers({ [SHARED]: { url: legacy.url } }, {})
  t = await startApp({ config: { ssrf: LOOPBACK_POLICY, mcpServers: shared } })
  // As `serve` starts them: the operator's server is checked (its tools listed) at once.
  checks = startHealthChecks(t.deps, { intervalMs: 3_600_000, checkSharedAtStart: true })
  http = await listen(t.app)
  alice = await registerUser(t)
  bob = await registerUser(t)
}, 60_000)
afterAll(async () => {
  await checks?.stop()
  await http?.close()
  await t?.close()
  await Promise.all([legacy?.close(), modern?.close()])
})

interface ToolRef {
  serverId: string
  toolId: string
}

/** A server of alice's at `url`; its `connect` tool. */
async function connectTool(url: string): Promise<ToolRef & { era: unknown }> {
  const created = await t.request('/api/user/mcp-servers', {
    method: 'POST',
    cookie: alice.cookie,
    json: {
      name: `calendar ${crypto.randomUUID().slice(0, 8)}`,
      transport: 'streamable-http',
      url,
    },
  })
  expect(created.status).toBe(201)
  const server = await created.json()
  return { ...(await toolOf(server.id)), era: server.serverInfo?.era }
}

async function toolOf(serverId: string): Promise<ToolRef> {
  const listed = await t.request(`/api/user/mcp-servers/${serverId}/tools`, {
    cookie: alice.cookie,
  })
  const { tools } = (await listed.json()) as { tools: { id: string; name: string }[] }
  const tool = tools.find((candidate) => candidate.name === 'connect')
  if (!tool) throw new Error('connect is not offered')
  return { serverId, toolId: tool.id }
}

/** Starts `connect` (async) with `args` and waits for its question to reach alice's events. */
async function ask(tool: ToolRef, args: Record<string, unknown>) {
  const res = await fetch(`${http.url}/api/events`, { headers: { cookie: alice.cookie } })
  const events = readSse(res)
  await events.next('ready')
  const started = await t.request('/api/chat/tool-call', {
    method: 'POST',
    cookie: alice.cookie,
    json: { toolId: tool.toolId, arguments: args, mode: 'async' },
  })
  expect(started.status).toBe(202)
  const callId = (await started.json()).call.id as string
  const { elicitation } = (await events.next('elicitation.requested')) as {
    elicitation: ElicitationView
  }
  return { callId, elicitation, events }
}

/** Runs `connect` to its end (no one answering) and returns what the tool said. */
async function runToEnd(tool: ToolRef, url: string): Promise<string> {
  const res = await t.request('/api/chat/tool-call', {
    method: 'POST',
    cookie: alice.cookie,
    json: { toolId: tool.toolId, arguments: { url } },
  })
  expect(res.status).toBe(200)
  return textOf((await res.json()).call)
}

function answer(cookie: string, id: string, body: Record<string, unknown>) {
  return t.request(`/api/user/elicitations/${id}`, { method: 'POST', cookie, json: body })
}

async function finished(id: string): Promise<ToolCallView> {
  const deadline = Date.now() + 15_000
  for (;;) {
    const res = await t.request(`/api/user/mcp-tool-calls/${id}`, { cookie: alice.cookie })
    const view = (await res.json()).call as ToolCallView
    if (view.status !== 'running' || Date.now() > deadline) return view
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

function textOf(call: ToolCallView): string {
  return (call.output?.content ?? []).map((block) => String(block.text ?? '')).join('\n')
}

async function pendingOf(cookie: string): Promise<ElicitationView[]> {
  return (await (await t.request('/api/user/elicitations', { cookie })).json()).elicitations
}

describe('a 2025 server asking the user to open a link', () => {
  it('shows the link with its server and host, takes no content, and passes the accept on', async () => {
    const tool = await connectTool(legacy.url)
    const { callId, elicitation, events } = await ask(tool, { url: LINK })
    try {
      expect(elicitation).toMatchObject({
        mode: 'url',
        serverId: tool.serverId,
        message: CONNECT_MESSAGE,
        url: LINK,
        host: 'accounts.example.test',
        calls: [{ id: callId, toolName: 'connect' }],
      })
      expect(elicitation.serverName).toMatch(/^calendar /)
      expect(elicitation).not.toHaveProperty('requestedSchema')
      expect((await pendingOf(alice.cookie)).map((e) => e.id)).toEqual([elicitation.id])

      // Someone else's question is not found, for answering or listing.
      expect((await answer(bob.cookie, elicitation.id, { action: 'accept' })).status).toBe(404)
      expect(await pendingOf(bob.cookie)).toEqual([])

      const withContent = await answer(alice.cookie, elicitation.id, {
        action: 'accept',
        content: { token: 'x' },
      })
      expect(withContent.status).toBe(400)
      expect((await withContent.json()).error.details.fields[0].field).toBe('content')

      const accepted = await answer(alice.cookie, elicitation.id, { action: 'accept' })
      expect(accepted.status).toBe(200)
      expect(await accepted.json()).toEqual({ status: 'delivered' })
      expect(await events.next('elicitation.ended')).toMatchObject({
        id: elicitation.id,
        outcome: 'accept',
      })
      const call = await finished(callId)
      expect(call.status).toBe('succeeded')
      expect(textOf(call)).toBe('link: accept')
      expect((await answer(alice.cookie, elicitation.id, { action: 'accept' })).status).toBe(404)
    } finally {
      await events.close()
    }
  })

  it('passes a decline on, and shows the message cleaned of hidden characters', async () => {
    const tool = await connectTool(legacy.url)
    const { callId, elicitation, events } = await ask(tool, {
      url: LINK,
      message: 'Open\u202e this\u200b link\u0007',
    })
    try {
      expect(elicitation.message).toBe('Open this link')
      expect((await answer(alice.cookie, elicitation.id, { action: 'decline' })).status).toBe(200)
      expect(textOf(await finished(callId))).toBe('link: decline')
    } finally {
      await events.close()
    }
  })
})

describe('a 2026-07-28 server asking the user to open a link (input_required)', () => {
  it('asks through the same question, and its retry carries the accept or the decline', async () => {
    const tool = await connectTool(modern.url)
    expect(tool.era).toBe('modern')

    const first = await ask(tool, { url: LINK })
    try {
      expect(first.elicitation).toMatchObject({
        mode: 'url',
        message: CONNECT_MESSAGE,
        url: LINK,
        host: 'accounts.example.test',
      })
      expect((await answer(alice.cookie, first.elicitation.id, { action: 'accept' })).status).toBe(
        200,
      )
      expect(textOf(await finished(first.callId))).toBe('link: accept')
    } finally {
      await first.events.close()
    }

    const second = await ask(tool, { url: LINK })
    try {
      const declined = await answer(alice.cookie, second.elicitation.id, { action: 'decline' })
      expect(declined.status).toBe(200)
      expect(textOf(await finished(second.callId))).toBe('link: decline')
    } finally {
      await second.events.close()
    }
  })
})

describe('links that are not shown', () => {
  it('declines at once what is not https, carries a user name, or is too long, in both eras', async () => {
    const [legacyTool, modernTool] = await Promise.all([
      connectTool(legacy.url),
      connectTool(modern.url),
    ])
    const refused = [
      'javascript:alert(document.cookie)',
      'data:text/html,<script>alert(1)</script>',
      'file:///etc/passwd',
      // Plain http only from the operator's own servers (see below).
      'http://accounts.example.test/connect',
      // Reads as the bank, goes to evil.example.
      'https://bank.example@evil.example/login',
      `https://accounts.example.test/${'a'.repeat(2_000)}`,
    ]
    for (const url of refused) {
      expect(await runToEnd(legacyTool, url), url).toBe('link: decline')
    }
    expect(await runToEnd(modernTool, 'javascript:alert(document.cookie)')).toBe('link: decline')
    expect(await pendingOf(alice.cookie)).toEqual([])
  })

  it("shows plain http links from the operator's own servers", async () => {
    await expect
      .poll(
        async () => {
          const { servers } = await (
            await t.request('/api/user/mcp-servers', { cookie: alice.cookie })
          ).json()
          return servers.find((s: { name: string }) => s.name === SHARED)
        },
        { timeout: 20_000 },
      )
      .toMatchObject({ source: 'config', status: 'online' })
    const { servers } = await (
      await t.request('/api/user/mcp-servers', { cookie: alice.cookie })
    ).json()
    const tool = await toolOf(servers.find((s: { name: string }) => s.name === SHARED).id)

    const { callId, elicitation, events } = await ask(tool, {
      url: 'http://intranet.example.test:8080/connect',
    })
    try {
      expect(elicitation).toMatchObject({
        mode: 'url',
        serverName: SHARED,
        url: 'http://intranet.example.test:8080/connect',
        host: 'intranet.example.test:8080',
      })
      expect((await answer(alice.cookie, elicitation.id, { action: 'cancel' })).status).toBe(200)
      expect(textOf(await finished(callId))).toBe('link: cancel')
    } finally {
      await events.close()
    }
  })
})

const redisUrl = process.env.TEST_REDIS_URL
const postgres = Boolean(process.env.TEST_DATABASE_URL)

describe.skipIf(!redisUrl || !postgres)('a link question held by another instance', () => {
  let a: TestApp
  let b: BuiltDeps
  let httpB: Listening
  let user: { cookie: string; userId: string; email: string }

  beforeAll(async () => {
    a = await startApp({ config: { ssrf: LOOPBACK_POLICY, redisUrl: redisUrl as string } })
    b = await buildDeps({ ...a.deps.config }, { database: a.database })
    httpB = await listen(createApp(b.deps))
    user = await registerUser(a)
  }, 60_000)
  afterAll(async () => {
    await httpB?.close()
    await b?.close()
    await a?.close()
  })

  const onB = (path: string, body?: unknown) =>
    fetch(`${httpB.url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { cookie: user.cookie, 'content-type': 'application/json', origin: httpB.url },
      body: body === undefined ? undefined : JSON.stringify(body),
    })

  it('refuses content on B too, and forwards the accept to A', async () => {
    const created = await a.request('/api/user/mcp-servers', {
      method: 'POST',
      cookie: user.cookie,
      json: { name: 'calendar', transport: 'streamable-http', url: legacy.url },
    })
    const serverId = (await created.json()).id as string
    const { tools } = await (
      await a.request(`/api/user/mcp-servers/${serverId}/tools`, { cookie: user.cookie })
    ).json()
    const toolId = tools.find((tool: { name: string }) => tool.name === 'connect').id
    const eventsOnB = readSse(await onB('/api/events'))
    await eventsOnB.next('ready')
    try {
      const started = await a.request('/api/chat/tool-call', {
        method: 'POST',
        cookie: user.cookie,
        json: { toolId, arguments: { url: LINK }, mode: 'async' },
      })
      const callId = (await started.json()).call.id as string
      const { elicitation } = (await eventsOnB.next('elicitation.requested')) as {
        elicitation: ElicitationView
      }
      expect(elicitation).toMatchObject({ mode: 'url', host: 'accounts.example.test' })

      const withContent = await onB(`/api/user/elicitations/${elicitation.id}`, {
        action: 'accept',
        content: {},
      })
      expect(withContent.status).toBe(400)
      const forwarded = await onB(`/api/user/elicitations/${elicitation.id}`, { action: 'accept' })
      expect(forwarded.status).toBe(202)
      await expect
        .poll(
          async () => {
            const res = await a.request(`/api/user/mcp-tool-calls/${callId}`, {
              cookie: user.cookie,
            })
            return textOf((await res.json()).call)
          },
          { timeout: 15_000, interval: 100 },
        )
        .toBe('link: accept')
    } finally {
      await eventsOnB.close()
    }
  })
})
