import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client'
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import { echoServer, startSdkHttpServer } from '../../fixtures/mcp/sdk-http-server.ts'
import { type Listening, listen } from '../../helpers/listen.ts'
import { LOOPBACK_POLICY, type RunningHttp, startEverything } from '../../helpers/mcp-servers.ts'
import { registerUser, startApp, type TestApp } from '../../helpers/start-app.ts'

// Profiles of the personal MCP endpoint (issue 15): a named subset of the user's servers at
// `/mcp/p/<name>`, and tokens scoped to one profile that work there only.

let t: TestApp
let server: Listening
let everything: RunningHttp
let echo: RunningHttp
beforeAll(async () => {
  ;[t, everything, echo] = await Promise.all([
    startApp({ config: { ssrf: LOOPBACK_POLICY } }),
    startEverything('streamableHttp'),
    startSdkHttpServer(echoServer),
  ])
  server = await listen(t.app)
}, 60_000)
afterAll(async () => {
  await server?.close()
  await echo?.close()
  await everything?.close()
  await t?.close()
})

async function userWithTwoServers() {
  const user = await registerUser(t)
  const add = async (name: string, url: string) => {
    const res = await t.request('/api/user/mcp-servers', {
      method: 'POST',
      cookie: user.cookie,
      json: { name, transport: 'streamable-http', url },
    })
    expect(res.status).toBe(201)
    return ((await res.json()) as { id: string }).id
  }
  return {
    ...user,
    everythingId: await add('everything', everything.url),
    echoId: await add('plain', echo.url),
  }
}

async function token(cookie: string, json: Record<string, unknown>) {
  const res = await t.request('/api/user/tokens', { method: 'POST', cookie, json })
  return { status: res.status, body: (await res.json()) as { secret: string } }
}

async function connectTo(secret: string, path: string): Promise<Client> {
  const client = new Client(
    { name: 'profiles', version: '1' },
    { versionNegotiation: { mode: 'auto' } },
  )
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${server.url}${path}`), {
      requestInit: { headers: { authorization: `Bearer ${secret}` } },
    }),
  )
  onTestFinished(() => client.close())
  return client
}

async function toolNames(secret: string, path: string): Promise<string[]> {
  const client = await connectTo(secret, path)
  return (await client.listTools()).tools.map((tool) => tool.name)
}

const rawList = (secret: string, path: string) =>
  fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      authorization: `Bearer ${secret}`,
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
  })

describe('/api/user/mcp-profiles and /mcp/p/<name>', () => {
  it("offers only the profile's servers at its address, and everything at /mcp", async () => {
    const user = await userWithTwoServers()
    const created = await t.request('/api/user/mcp-profiles', {
      method: 'POST',
      cookie: user.cookie,
      json: { name: 'coding', serverIds: [user.everythingId] },
    })
    expect(created.status).toBe(201)
    const profile = (await created.json()) as { url: string; serverIds: string[] }
    expect(profile.url).toMatch(/\/mcp\/p\/coding$/)
    expect(profile).toMatchObject({ serverIds: [user.everythingId], toolIds: [], toolMode: 'all' })

    const { body } = await token(user.cookie, { name: 'everything token' })
    const inProfile = await toolNames(body.secret, '/mcp/p/coding')
    expect(inProfile).toContain('everything__echo')
    expect(inProfile.some((name) => name.startsWith('plain__'))).toBe(false)
    const all = await toolNames(body.secret, '/mcp')
    expect(all.some((name) => name.startsWith('plain__'))).toBe(true)
    expect((await rawList(body.secret, '/mcp/p/nope')).status).toBe(404)
  })

  it("names tools and prompts by the server's own names in a plain profile, prefixed where two share one", async () => {
    const user = await userWithTwoServers()
    const created = await t.request('/api/user/mcp-profiles', {
      method: 'POST',
      cookie: user.cookie,
      json: { name: 'own-names', serverIds: [user.everythingId, user.echoId], toolNames: 'plain' },
    })
    expect(created.status).toBe(201)
    const profile = (await created.json()) as { id: string; toolNames: string }
    expect(profile.toolNames).toBe('plain')
    const { body } = await token(user.cookie, { name: 'own names' })
    const client = await connectTo(body.secret, '/mcp/p/own-names')
    const names = (await client.listTools()).tools.map((tool) => tool.name)
    // Both servers have `echo`: prefixed, so each stays reachable; the rest by their own names.
    expect(names).toEqual(expect.arrayContaining(['everything__echo', 'plain__echo', 'get-sum']))
    expect(
      names.some((name) => name.startsWith('everything__') && name !== 'everything__echo'),
    ).toBe(false)
    const sum = await client.callTool({ name: 'get-sum', arguments: { a: 2, b: 3 } })
    expect(JSON.stringify(sum.content)).toContain('5')
    const prompts = (await client.listPrompts()).prompts.map((prompt) => prompt.name)
    expect(prompts).toContain('args-prompt')

    // Back to prefixed: the same tools under `server__tool`.
    const patched = await t.request(`/api/user/mcp-profiles/${profile.id}`, {
      method: 'PATCH',
      cookie: user.cookie,
      json: { toolNames: 'prefixed' },
    })
    expect(((await patched.json()) as { toolNames: string }).toolNames).toBe('prefixed')
    expect(await toolNames(body.secret, '/mcp/p/own-names')).toContain('everything__get-sum')
    const bad = await t.request(`/api/user/mcp-profiles/${profile.id}`, {
      method: 'PATCH',
      cookie: user.cookie,
      json: { toolNames: 'bare' },
    })
    expect(bad.status).toBe(400)
    expect(JSON.stringify((await bad.json()).error)).toContain('toolNames')
  })

  it('scopes a token to a profile: there only, never the API; deleting the profile ends it', async () => {
    const user = await userWithTwoServers()
    const created = await t.request('/api/user/mcp-profiles', {
      method: 'POST',
      cookie: user.cookie,
      json: { name: 'read-only', serverIds: [user.echoId] },
    })
    const profile = (await created.json()) as { id: string }
    const scoped = await token(user.cookie, { name: 'cursor', profileId: profile.id })
    expect(scoped.status).toBe(201)
    const secret = scoped.body.secret
    expect((await rawList(secret, '/mcp/p/read-only')).status).toBe(200)
    expect((await rawList(secret, '/mcp')).status).toBe(403)
    const api = await fetch(`${server.url}/api/user/mcp-servers`, {
      headers: { authorization: `Bearer ${secret}` },
    })
    expect(api.status).toBe(403)

    const deleted = await t.request(`/api/user/mcp-profiles/${profile.id}`, {
      method: 'DELETE',
      cookie: user.cookie,
    })
    expect(deleted.status).toBe(204)
    expect((await rawList(secret, '/mcp/p/read-only')).status).toBe(401)
  })

  it('checks names and servers (400, 409), and keeps profiles to their owner (404)', async () => {
    const user = await userWithTwoServers()
    const post = (json: unknown, cookie = user.cookie) =>
      t.request('/api/user/mcp-profiles', { method: 'POST', cookie, json })
    for (const [json, field] of [
      [{ name: 'Has Spaces', serverIds: [] }, 'name'],
      [{ name: 'x'.repeat(41), serverIds: [] }, 'name'],
      [{ name: 'ok', serverIds: ['not-a-uuid'] }, 'serverIds'],
      [{ name: 'ok', serverIds: [crypto.randomUUID()] }, 'serverIds'],
      [{ name: 'ok', serverIds: [], extra: 1 }, 'extra'],
    ] as const) {
      const res = await post(json)
      expect(res.status, JSON.stringify(json)).toBe(400)
      expect(JSON.stringify((await res.json()).error)).toContain(field)
    }
    expect((await post({ name: 'work', serverIds: [user.echoId] })).status).toBe(201)
    const twice = await post({ name: 'work', serverIds: [] })
    expect(twice.status).toBe(409)

    const other = await registerUser(t)
    // Someone else's server is no server of theirs.
    expect((await post({ name: 'mine', serverIds: [user.echoId] }, other.cookie)).status).toBe(400)
    const list = await t.request('/api/user/mcp-profiles', { cookie: user.cookie })
    const [profile] = ((await list.json()) as { profiles: { id: string }[] }).profiles
    const patch = await t.request(`/api/user/mcp-profiles/${profile?.id}`, {
      method: 'PATCH',
      cookie: other.cookie,
      json: { name: 'stolen' },
    })
    expect(patch.status).toBe(404)
    const scoped = await token(other.cookie, { name: 'x', profileId: profile?.id })
    expect(scoped.status).toBe(404)
  })

  it('checks single tools and the tool mode (400 naming the field, 404 for a tool not theirs)', async () => {
    const user = await userWithTwoServers()
    const other = await userWithTwoServers()
    const toolIdOf = async (who: typeof user, serverId: string) => {
      const res = await t.request(`/api/user/mcp-servers/${serverId}/tools`, { cookie: who.cookie })
      const { tools } = (await res.json()) as { tools: { id: string; name: string }[] }
      return tools[0]?.id as string
    }
    const mine = await toolIdOf(user, user.echoId)
    const theirs = await toolIdOf(other, other.echoId)
    const post = (json: unknown) =>
      t.request('/api/user/mcp-profiles', { method: 'POST', cookie: user.cookie, json })
    for (const [json, field] of [
      [{ name: 'a', serverIds: [], toolIds: ['not-a-uuid'] }, 'toolIds'],
      [{ name: 'a', serverIds: [], toolIds: 'x' }, 'toolIds'],
      [{ name: 'a', serverIds: [], toolMode: 'some' }, 'toolMode'],
      [{ name: 'a', serverIds: [], toolIds: Array(1001).fill(mine) }, 'toolIds'],
    ] as const) {
      const res = await post(json)
      expect(res.status, JSON.stringify(json).slice(0, 100)).toBe(400)
      expect(JSON.stringify((await res.json()).error)).toContain(field)
    }
    for (const toolIds of [[mine, crypto.randomUUID()], [theirs]]) {
      const res = await post({ name: 'a', serverIds: [], toolIds })
      expect(res.status, JSON.stringify(toolIds)).toBe(404)
      const { error } = (await res.json()) as { error: { code: string; details: unknown } }
      expect(error.code).toBe('not_found')
      expect(JSON.stringify(error.details)).toContain(`toolIds.${toolIds.length - 1}`)
    }
    const created = await post({
      name: 'a',
      serverIds: [],
      toolIds: [mine, mine],
      toolMode: 'search',
    })
    expect(created.status).toBe(201)
    const profile = (await created.json()) as { id: string }
    expect(profile).toMatchObject({ toolIds: [mine], toolMode: 'search' })

    const patch = (json: unknown) =>
      t.request(`/api/user/mcp-profiles/${profile.id}`, {
        method: 'PATCH',
        cookie: user.cookie,
        json,
      })
    expect((await patch({ toolIds: [theirs] })).status).toBe(404)
    expect((await patch({ toolMode: 'every' })).status).toBe(400)
    const changed = await patch({ toolIds: [], toolMode: 'all' })
    expect(changed.status).toBe(200)
    expect(await changed.json()).toMatchObject({ toolIds: [], toolMode: 'all' })
    const list = await t.request('/api/user/mcp-profiles', { cookie: user.cookie })
    expect(((await list.json()) as { profiles: unknown[] }).profiles).toMatchObject([
      { id: profile.id, toolIds: [], toolMode: 'all' },
    ])
  })
})
