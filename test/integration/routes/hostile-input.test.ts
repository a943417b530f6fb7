import { McpServer } from '@modelcontextprotocol/server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { type SdkHttpServer, startSdkHttpServer } from '../../fixtures/mcp/sdk-http-server.ts'
import { type Listening, listen } from '../../helpers/listen.ts'
import { LOOPBACK_POLICY } from '../../helpers/mcp-servers.ts'
import { registerUser, startApp, type TestApp } from '../../helpers/start-app.ts'
import { testConfig } from '../../helpers/test-config.ts'

// What an attacker with an account (or none) can send: nothing may reach a 500, crash the
// process, leak a call slot or hold up anyone else.
let t: TestApp
let http: Listening
let upstream: SdkHttpServer
let alice: { cookie: string; userId: string; email: string }
let bob: { cookie: string; userId: string; email: string }
let serverId: string
let anythingId: string

/** A tool that takes any arguments at all, so only our own limits stand in the way. */
function openServer() {
  const server = new McpServer({ name: 'open', version: '1.0.0' })
  server.registerTool(
    'anything',
    { description: 'Takes anything', inputSchema: z.looseObject({}) },
    async (args) => ({ content: [{ type: 'text', text: `got ${Object.keys(args).length} keys` }] }),
  )
  return server
}

beforeAll(async () => {
  const toolCalls = {
    ...testConfig().toolCalls,
    // One call at a time: a leaked slot shows as a 429 on the next call.
    rateLimit: { perUser: 10_000, perServer: 10_000, perSeconds: 60, maxInFlightPerUser: 1 },
  }
  ;[t, upstream] = await Promise.all([
    startApp({ config: { ssrf: LOOPBACK_POLICY, toolCalls } }),
    startSdkHttpServer(openServer),
  ])
  http = await listen(t.app)
  alice = await registerUser(t)
  bob = await registerUser(t)
  const created = await t.request('/api/user/mcp-servers', {
    method: 'POST',
    cookie: alice.cookie,
    json: { name: 'open', transport: 'streamable-http', url: upstream.url },
  })
  expect(created.status).toBe(201)
  serverId = (await created.json()).id
  const tools = await (
    await t.request(`/api/user/mcp-servers/${serverId}/tools`, { cookie: alice.cookie })
  ).json()
  anythingId = tools.tools[0].id
}, 60_000)
afterAll(async () => {
  await http?.close()
  await upstream?.close()
  await t?.close()
})

/** `depth` arrays around a string, as JSON text (JSON.stringify itself would run out of stack). */
function nested(depth: number): string {
  return `${'['.repeat(depth)}"bottom"${']'.repeat(depth)}`
}

async function call(body: unknown, cookie = alice.cookie) {
  const res = await t.request('/api/chat/tool-call', { method: 'POST', cookie, json: body })
  return { status: res.status, body: await res.json() }
}

async function post(path: string, text: string, cookie = alice.cookie) {
  const res = await t.request(path, {
    method: 'POST',
    cookie,
    headers: { 'content-type': 'application/json' },
    body: text,
  })
  return { status: res.status, body: await res.json() }
}

describe('deeply nested JSON', () => {
  it('refuses 5,000 levels of nested arguments with 400 naming the field, and leaks no slot', async () => {
    const deep = await post(
      '/api/chat/tool-call',
      `{"toolId":"${anythingId}","arguments":{"list":${nested(5_000)}}}`,
    )
    expect(deep.status).toBe(400)
    expect(deep.body.error.code).toBe('validation_failed')
    expect(deep.body.error.details.fields[0].field).toMatch(/^arguments\.list/)
    // The one in-flight slot is free: the next call runs.
    const next = await call({ toolId: anythingId, arguments: { fine: [[1]] } })
    expect(next.status).toBe(200)
    expect(next.body.call.status).toBe('succeeded')
  })

  it('refuses nesting deeper than the limit on any route, before any handler', async () => {
    const res = await post('/api/auth/login', `{"email":${nested(100)},"password":"x"}`, '')
    expect(res.status).toBe(400)
    expect(res.body.error.details.fields[0]).toEqual({
      field: 'email.0.0.0…',
      message: 'nested deeper than 64 levels',
      reason: { key: 'request.tooDeep', params: { depth: 64 } },
    })
  })

  it('survives a nesting deep enough to overflow a recursive parser', async () => {
    const body = `{"arguments":${'['.repeat(200_000)}${']'.repeat(200_000)},"toolId":"${anythingId}"}`
    const res = await fetch(`${http.url}/api/chat/tool-call`, {
      method: 'POST',
      headers: { cookie: alice.cookie, 'content-type': 'application/json', origin: http.url },
      body,
    })
    expect(res.status).toBe(400)
    const health = await fetch(`${http.url}/api/health`)
    expect(health.status).toBe(200)
  })
})

describe('body size', () => {
  it('answers 413 to a 20 MB sign-in body without reading it', async () => {
    const body = JSON.stringify({ email: 'a@example.test', password: 'x'.repeat(20 * 1024 ** 2) })
    const res = await fetch(`${http.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: http.url },
      body,
    })
    expect(res.status).toBe(413)
    const reply = await res.json()
    expect(reply.error.code).toBe('payload_too_large')
    expect(reply.error.details.maxBytes).toBeGreaterThan(0)
  })

  it('counts a body sent without a length (chunked) and stops at the limit', async () => {
    const chunk = new TextEncoder().encode(`"${'x'.repeat(64 * 1024)}",`)
    let sent = 0
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent === 0) controller.enqueue(new TextEncoder().encode('{"email":['))
        if (sent > 40 * 1024 ** 2) {
          controller.enqueue(new TextEncoder().encode('"x"]}'))
          controller.close()
          return
        }
        sent += chunk.length
        controller.enqueue(chunk)
      },
    })
    const res = await fetch(`${http.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: http.url },
      body: stream,
      duplex: 'half',
    } as RequestInit)
    expect(res.status).toBe(413)
    expect(sent).toBeLessThan(40 * 1024 ** 2)
  })

  it('caps a tool call’s arguments on their own (413 naming arguments)', async () => {
    const big = 'x'.repeat(t.deps.config.toolCalls.maxArgumentBytes + 10)
    const res = await call({ toolId: anythingId, arguments: { big } })
    expect(res.status).toBe(413)
    expect(res.body.error.code).toBe('payload_too_large')
    expect(res.body.error.details.fields[0].field).toBe('arguments')
  })

  it('refuses a body that is not JSON with 400, not 500', async () => {
    const res = await t.request('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"email": ',
    })
    expect(res.status).toBe(400)
    expect((await res.json()).error.code).toBe('bad_request')
  })
})

describe('conversation ids on a tool call', () => {
  it('answers 404 for a conversation of someone else, and writes nothing', async () => {
    const created = await t.request('/api/conversations', {
      method: 'POST',
      cookie: bob.cookie,
      json: {},
    })
    expect(created.status).toBe(201)
    const bobsConversation = (await created.json()).id
    const res = await call({
      toolId: anythingId,
      arguments: {},
      conversationId: bobsConversation,
    })
    expect(res.status).toBe(404)
    const calls = await t.deps.db
      .selectFrom('mcp_tool_calls')
      .select('id')
      .where('conversation_id', '=', bobsConversation)
      .execute()
    expect(calls).toHaveLength(0)
  })

  it('answers 404 for a conversation that does not exist, and the log keeps flowing', async () => {
    const missing = await call({
      toolId: anythingId,
      arguments: {},
      conversationId: crypto.randomUUID(),
    })
    expect(missing.status).toBe(404)
    const async = await call({ toolId: anythingId, arguments: { n: 1 }, mode: 'async' })
    expect(async.status).toBe(202)
  })
})

describe('text fields that reach the database', () => {
  it('refuses a NUL byte in a description, a conversation title and a token name (400 with the field)', async () => {
    const description = await t.request(`/api/user/mcp-servers/${serverId}`, {
      method: 'PATCH',
      cookie: alice.cookie,
      json: { description: 'a\u0000b' },
    })
    expect(description.status).toBe(400)
    expect((await description.json()).error.details.fields[0].field).toBe('description')

    const title = await t.request('/api/conversations', {
      method: 'POST',
      cookie: alice.cookie,
      json: { title: 'x\u0000y' },
    })
    expect(title.status).toBe(400)
    expect((await title.json()).error.details.fields[0].field).toBe('title')

    const token = await t.request('/api/user/tokens', {
      method: 'POST',
      cookie: alice.cookie,
      json: { name: 'ci\u0000' },
    })
    expect(token.status).toBe(400)
    expect((await token.json()).error.details.fields[0].field).toBe('name')
  })

  it('refuses a NUL byte in a path parameter (a prompt name, an endpoint profile): 400, not 500', async () => {
    const prompt = await t.request(`/api/user/mcp-servers/${serverId}/prompts/a%00b/get`, {
      method: 'POST',
      cookie: alice.cookie,
      json: { arguments: {} },
    })
    expect(prompt.status).toBe(400)
    expect((await prompt.json()).error.details.fields[0].field).toBe('path')
    const profile = await t.request('/mcp/p/a%00b', { method: 'POST', json: {} })
    expect(profile.status).toBe(400)
  })
})
