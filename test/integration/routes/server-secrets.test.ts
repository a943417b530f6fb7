import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readSharedServers } from '../../../src/server/config/shared-servers.ts'
import { type SdkHttpServer, startSdkHttpServer } from '../../fixtures/mcp/sdk-http-server.ts'
import { LOOPBACK_POLICY } from '../../helpers/mcp-servers.ts'
import { registerUser, startApp, type TestApp } from '../../helpers/start-app.ts'

// A server's stored credentials belong to the address they were entered for: moving the server
// elsewhere must not carry them along, and nothing a user types may turn into a broken header.
let t: TestApp
let home: SdkHttpServer
let elsewhere: SdkHttpServer
let user: { cookie: string; userId: string; email: string }

beforeAll(async () => {
  ;[home, elsewhere] = await Promise.all([startSdkHttpServer(), startSdkHttpServer()])
  const shared = readSharedServers(
    { keyed: { url: `${home.url.replace('://', '://ops:op-password@')}?key=\${SHARED_KEY}` } },
    { SHARED_KEY: 'shared-key-value-42' },
  )
  t = await startApp({ config: { ssrf: LOOPBACK_POLICY, mcpServers: shared } })
  user = await registerUser(t)
}, 60_000)
afterAll(async () => {
  await Promise.all([home?.close(), elsewhere?.close()])
  await t?.close()
})

let counter = 0
async function addServer(body: Record<string, unknown>) {
  counter += 1
  const res = await t.request('/api/user/mcp-servers', {
    method: 'POST',
    cookie: user.cookie,
    json: { name: `server ${counter}`, transport: 'streamable-http', url: home.url, ...body },
  })
  return { status: res.status, body: await res.json() }
}

async function patch(id: string, body: Record<string, unknown>) {
  const res = await t.request(`/api/user/mcp-servers/${id}`, {
    method: 'PATCH',
    cookie: user.cookie,
    json: body,
  })
  return { status: res.status, body: await res.json() }
}

/** Every value of `header` that reached the server since `from`. */
function seen(server: SdkHttpServer, header: string, from = 0): string[] {
  return server.requests
    .slice(from)
    .map((request) => request.headers.get(header))
    .filter((value): value is string => value !== null)
}

describe('moving a server to another URL', () => {
  it('does not send the stored bearer token to the new URL', async () => {
    const added = await addServer({ auth: { type: 'bearer', token: 'home-token-123' } })
    expect(added.status).toBe(201)
    expect(seen(home, 'authorization')).toContain('Bearer home-token-123')

    const before = elsewhere.requests.length
    const moved = await patch(added.body.id, { url: elsewhere.url })
    expect(moved.status).toBe(200)
    expect(seen(elsewhere, 'authorization', before)).toEqual([])
    expect(moved.body.auth).toEqual({ type: 'bearer', secretSet: false })

    const audit = await t.deps.db
      .selectFrom('audit_log')
      .select('details')
      .where('target_id', '=', added.body.id)
      .where('action', '=', 'server.secret_changed')
      .execute()
    expect(audit.map((row) => row.details)).toContainEqual(
      expect.objectContaining({ dropped: ['auth.token'] }),
    )
  })

  it('does not send stored custom header values to the new URL', async () => {
    const added = await addServer({
      auth: { type: 'headers', headers: [{ name: 'X-Api-Key', value: 'home-key-456' }] },
    })
    expect(added.status).toBe(201)
    const before = elsewhere.requests.length
    const moved = await patch(added.body.id, { url: `${elsewhere.url}?v=2` })
    expect(moved.status).toBe(200)
    expect(seen(elsewhere, 'x-api-key', before)).toEqual([])
    expect(moved.body.auth).toMatchObject({ type: 'headers', secretSet: false })
  })

  it('sends a token given again with the move, and keeps the token when the URL stays', async () => {
    const added = await addServer({ auth: { type: 'bearer', token: 'home-token-789' } })
    const kept = await patch(added.body.id, { url: home.url, description: 'same place' })
    expect(kept.body.auth).toEqual({ type: 'bearer', secretSet: true })

    const before = elsewhere.requests.length
    const moved = await patch(added.body.id, {
      url: elsewhere.url,
      auth: { type: 'bearer', token: 'elsewhere-token' },
    })
    expect(moved.status).toBe(200)
    expect(seen(elsewhere, 'authorization', before)).toContain('Bearer elsewhere-token')
    expect(moved.body.auth).toEqual({ type: 'bearer', secretSet: true })
  })

  it('asks for the token again when a move keeps the bearer type without one', async () => {
    const added = await addServer({ auth: { type: 'bearer', token: 'home-token-000' } })
    const moved = await patch(added.body.id, { url: elsewhere.url, auth: { type: 'bearer' } })
    expect(moved.status).toBe(400)
    expect(moved.body.error.details.fields[0].field).toBe('auth.token')
  })
})

describe('credentials that cannot travel in a header', () => {
  it('refuses a bearer token with a line break, and does not echo it', async () => {
    const res = await addServer({
      auth: { type: 'bearer', token: 'abc\r\nX-Evil: secret-tail-999' },
      validate: false,
    })
    expect(res.status).toBe(400)
    expect(res.body.error.details.fields[0].field).toBe('auth.token')
    expect(JSON.stringify(res.body)).not.toContain('secret-tail-999')
  })

  it('refuses a header value outside Latin-1 with 400 naming it', async () => {
    const res = await addServer({
      auth: { type: 'headers', headers: [{ name: 'X-Key', value: 'price in €' }] },
      validate: false,
    })
    expect(res.status).toBe(400)
    expect(res.body.error.details.fields[0].field).toBe('auth.headers.0.value')
  })

  it('refuses a user name and password in the URL, even unvalidated', async () => {
    const url = home.url.replace('http://', 'http://someone:hunter2@')
    const res = await addServer({ url, validate: false })
    expect(res.status).toBe(400)
    expect(res.body.error.details.fields[0].field).toBe('url')
    expect(JSON.stringify(res.body)).not.toContain('hunter2')
    const listed = await (await t.request('/api/user/mcp-servers', { cookie: user.cookie })).text()
    expect(listed).not.toContain('hunter2')
  })
})

describe('a shared server with a key in its URL', () => {
  it('shows users the URL as written, without the key or the password', async () => {
    const list = await (await t.request('/api/user/mcp-servers', { cookie: user.cookie })).json()
    const keyed = list.servers.find((server: { name: string }) => server.name === 'keyed')
    expect(keyed.url).toBe(`${home.url}?key=\${SHARED_KEY}`)
    expect(JSON.stringify(list)).not.toContain('shared-key-value-42')
    expect(JSON.stringify(list)).not.toContain('op-password')
  })
})
