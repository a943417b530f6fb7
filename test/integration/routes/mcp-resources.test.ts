import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { echoServer, startSdkHttpServer } from '../../fixtures/mcp/sdk-http-server.ts'
import { LOOPBACK_POLICY, type RunningHttp, startEverything } from '../../helpers/mcp-servers.ts'
import { registerUser, startApp, type TestApp } from '../../helpers/start-app.ts'
import { testConfig } from '../../helpers/test-config.ts'

// Resources of a real @modelcontextprotocol/server-everything over streamable HTTP: listed with
// the tools when the server is added, kept in the database, read through the user's session.
let t: TestApp
let everything: RunningHttp
beforeAll(async () => {
  ;[t, everything] = await Promise.all([
    startApp({ config: { ssrf: LOOPBACK_POLICY } }),
    startEverything('streamableHttp'),
  ])
}, 60_000)
afterAll(async () => {
  await everything?.close()
  await t?.close()
})

let counter = 0
async function addEverything(cookie: string): Promise<string> {
  counter += 1
  const res = await t.request('/api/user/mcp-servers', {
    method: 'POST',
    cookie,
    json: { name: `everything ${counter}`, transport: 'streamable-http', url: everything.url },
  })
  expect(res.status).toBe(201)
  return ((await res.json()) as { id: string }).id
}

interface Listed {
  resources: { id: string; kind: string; uri: string; name: string; mimeType: string | null }[]
  templates: { uri: string; name: string; kind: string }[]
  skipped: unknown[]
  truncated: boolean
  error: string | null
}

describe('GET /api/user/mcp-servers/:id/resources', () => {
  it('lists what the server offers, resources and templates, as discovered when it was added', async () => {
    const { cookie } = await registerUser(t)
    const id = await addEverything(cookie)
    const res = await t.request(`/api/user/mcp-servers/${id}/resources`, { cookie })
    expect(res.status).toBe(200)
    const listed = (await res.json()) as Listed
    expect(listed.error).toBeNull()
    expect(listed.truncated).toBe(false)
    expect(listed.resources.length).toBeGreaterThan(0)
    for (const resource of listed.resources) {
      expect(resource.kind).toBe('resource')
      expect(resource.uri).toMatch(/^[a-z]+:/)
      expect(resource.name).toBeTruthy()
    }
    expect(listed.templates.map((template) => template.uri)).toEqual(
      expect.arrayContaining([
        'demo://resource/dynamic/text/{resourceId}',
        'demo://resource/dynamic/blob/{resourceId}',
      ]),
    )
    expect(listed.templates.every((template) => template.kind === 'template')).toBe(true)
  })

  it('keeps the stored rows when a sync lists the same resources again', async () => {
    const { cookie } = await registerUser(t)
    const id = await addEverything(cookie)
    const before = (await (
      await t.request(`/api/user/mcp-servers/${id}/resources`, { cookie })
    ).json()) as Listed
    const synced = await t.request(`/api/user/mcp-servers/${id}/sync`, {
      method: 'POST',
      cookie,
    })
    expect(synced.status).toBe(200)
    const after = (await (
      await t.request(`/api/user/mcp-servers/${id}/resources`, { cookie })
    ).json()) as Listed
    // Same ids: an unchanged listing (same hash) rewrote nothing.
    expect(after.resources.map((r) => r.id)).toEqual(before.resources.map((r) => r.id))
  })

  it("answers 404 for someone else's server, and for one that does not exist", async () => {
    const owner = await registerUser(t)
    const other = await registerUser(t)
    const id = await addEverything(owner.cookie)
    const foreign = await t.request(`/api/user/mcp-servers/${id}/resources`, {
      cookie: other.cookie,
    })
    expect(foreign.status).toBe(404)
    const read = await t.request(
      `/api/user/mcp-servers/${id}/resources/read?uri=${encodeURIComponent('demo://resource/dynamic/text/1')}`,
      { cookie: other.cookie },
    )
    expect(read.status).toBe(404)
    const missing = await t.request(
      '/api/user/mcp-servers/00000000-0000-4000-8000-000000000000/resources',
      { cookie: owner.cookie },
    )
    expect(missing.status).toBe(404)
  })

  it('lists nothing for a server without resources', async () => {
    const echo = await startSdkHttpServer(echoServer)
    try {
      const { cookie } = await registerUser(t)
      const res = await t.request('/api/user/mcp-servers', {
        method: 'POST',
        cookie,
        json: { name: 'echo only', transport: 'streamable-http', url: echo.url },
      })
      expect(res.status).toBe(201)
      const { id } = (await res.json()) as { id: string }
      const listed = (await (
        await t.request(`/api/user/mcp-servers/${id}/resources`, { cookie })
      ).json()) as Listed
      expect(listed).toMatchObject({ resources: [], templates: [], error: null })
    } finally {
      await echo.close()
    }
  })
})

describe('GET /api/user/mcp-servers/:id/resources/read', () => {
  const read = (cookie: string, id: string, uri: string) =>
    t.request(`/api/user/mcp-servers/${id}/resources/read?uri=${encodeURIComponent(uri)}`, {
      cookie,
    })

  it('reads a listed resource, and text and bytes made from templates', async () => {
    const { cookie } = await registerUser(t)
    const id = await addEverything(cookie)
    const listed = (await (
      await t.request(`/api/user/mcp-servers/${id}/resources`, { cookie })
    ).json()) as Listed
    const first = listed.resources[0]
    if (!first) throw new Error('no resource listed')
    const res = await read(cookie, id, first.uri)
    expect(res.status).toBe(200)
    const { contents } = (await res.json()) as {
      contents: { uri: string; text?: string; blob?: string; mimeType: string | null }[]
    }
    expect(contents.length).toBeGreaterThan(0)
    expect(contents[0]?.uri).toBe(first.uri)

    const text = await (await read(cookie, id, 'demo://resource/dynamic/text/7')).json()
    expect(text.contents[0]).toMatchObject({
      uri: 'demo://resource/dynamic/text/7',
      mimeType: 'text/plain',
    })
    expect(text.contents[0].text).toMatch(/Resource 7/)

    const blob = await (await read(cookie, id, 'demo://resource/dynamic/blob/3')).json()
    expect(typeof blob.contents[0].blob).toBe('string')
    expect(Buffer.from(blob.contents[0].blob, 'base64').length).toBeGreaterThan(0)
    expect(blob.contents[0].text).toBeUndefined()
  })

  it('names the field of a missing or malformed URI (400)', async () => {
    const { cookie } = await registerUser(t)
    const id = await addEverything(cookie)
    for (const query of ['', '?uri=', '?uri=no-scheme', `?uri=x:${'a'.repeat(3000)}`]) {
      const res = await t.request(`/api/user/mcp-servers/${id}/resources/read${query}`, {
        cookie,
      })
      expect(res.status).toBe(400)
      const body = await res.json()
      expect(JSON.stringify(body.error)).toContain('uri')
    }
  })

  it('says what the server answered for a URI it does not know, and stays online', async () => {
    const { cookie } = await registerUser(t)
    const id = await addEverything(cookie)
    const res = await read(cookie, id, 'demo://no/such/resource')
    expect(res.status).toBeGreaterThanOrEqual(400)
    expect(res.status).toBeLessThan(600)
    expect(res.status).not.toBe(500)
    const body = await res.json()
    expect(body.error.message).toBeTruthy()
    const server = await (await t.request(`/api/user/mcp-servers/${id}`, { cookie })).json()
    expect(server.status).toBe('online')
  })

  it('counts reads against the rate limits of calls (429 past them)', async () => {
    const toolCalls = testConfig().toolCalls
    const limited = await startApp({
      config: {
        ssrf: LOOPBACK_POLICY,
        toolCalls: {
          ...toolCalls,
          rateLimit: { perUser: 1000, perServer: 2, perSeconds: 60, maxInFlightPerUser: 10 },
        },
      },
    })
    try {
      const { cookie } = await registerUser(limited)
      const created = await limited.request('/api/user/mcp-servers', {
        method: 'POST',
        cookie,
        json: { name: 'limited', transport: 'streamable-http', url: everything.url },
      })
      const { id } = (await created.json()) as { id: string }
      const path = `/api/user/mcp-servers/${id}/resources/read?uri=${encodeURIComponent('demo://resource/dynamic/text/1')}`
      expect((await limited.request(path, { cookie })).status).toBe(200)
      expect((await limited.request(path, { cookie })).status).toBe(200)
      const refused = await limited.request(path, { cookie })
      expect(refused.status).toBe(429)
      expect(refused.headers.get('retry-after')).toBeTruthy()
    } finally {
      await limited.close()
    }
  })

  it('refuses to read from a server that is switched off (409)', async () => {
    const { cookie } = await registerUser(t)
    const id = await addEverything(cookie)
    const off = await t.request(`/api/user/mcp-servers/${id}`, {
      method: 'PATCH',
      cookie,
      json: { enabled: false },
    })
    expect(off.status).toBe(200)
    const res = await read(cookie, id, 'demo://resource/dynamic/text/1')
    expect(res.status).toBe(409)
    expect((await res.json()).error.reason).toMatchObject({ key: 'resource.serverDisabled' })
  })
})
