import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { registerUser, startApp, type TestApp } from '../../helpers/start-app.ts'

let t: TestApp
beforeAll(async () => {
  t = await startApp()
})
afterAll(() => t.close())

async function createToken(cookie: string, name = 'laptop') {
  const res = await t.request('/api/user/tokens', { method: 'POST', cookie, json: { name } })
  expect(res.status).toBe(201)
  return (await res.json()) as { token: { id: string; prefix: string }; secret: string }
}

describe('/api/user/tokens', () => {
  it('creates a token that works as Bearer on /api/auth/me, shown once', async () => {
    const { cookie, email } = await registerUser(t)
    const created = await createToken(cookie)
    expect(created.secret).toMatch(/^sb_/)
    expect(created.secret.startsWith(created.token.prefix)).toBe(true)

    const me = await t.request('/api/auth/me', { token: created.secret })
    expect(me.status).toBe(200)
    expect(await me.json()).toMatchObject({ user: { email }, via: 'token' })

    const list = await (await t.request('/api/user/tokens', { cookie })).json()
    expect(list.tokens).toHaveLength(1)
    expect(JSON.stringify(list)).not.toContain(created.secret)
    expect(list.tokens[0].lastUsedAt).not.toBeNull()
  })

  it('stores only a hash of the token', async () => {
    const { cookie } = await registerUser(t)
    const { secret } = await createToken(cookie)
    const rows = await t.deps.db.selectFrom('api_tokens').selectAll().execute()
    expect(JSON.stringify(rows)).not.toContain(secret)
  })

  it('revokes a token so it stops working', async () => {
    const { cookie } = await registerUser(t)
    const { token, secret } = await createToken(cookie)
    // used first, so it is in the token cache: revoking must still end it at once
    expect((await t.request('/api/auth/me', { token: secret })).status).toBe(200)
    const del = await t.request(`/api/user/tokens/${token.id}`, { method: 'DELETE', cookie })
    expect(del.status).toBe(204)
    const me = await t.request('/api/auth/me', { token: secret })
    expect(me.status).toBe(401)
  })

  it("answers 404 when revoking another user's token, and the token keeps working", async () => {
    const alice = await registerUser(t)
    const bob = await registerUser(t)
    const { token, secret } = await createToken(alice.cookie)
    const del = await t.request(`/api/user/tokens/${token.id}`, {
      method: 'DELETE',
      cookie: bob.cookie,
    })
    expect(del.status).toBe(404)
    expect((await t.request('/api/auth/me', { token: secret })).status).toBe(200)
  })

  it('answers 400 for an id that is not a uuid and for an empty name', async () => {
    const { cookie } = await registerUser(t)
    const del = await t.request('/api/user/tokens/not-a-uuid', { method: 'DELETE', cookie })
    expect(del.status).toBe(400)
    expect((await del.json()).error.details.fields[0].field).toBe('id')
    const create = await t.request('/api/user/tokens', {
      method: 'POST',
      cookie,
      json: { name: ' ' },
    })
    expect(create.status).toBe(400)
  })

  it('refuses a bad Bearer token instead of falling back to the cookie', async () => {
    const { cookie } = await registerUser(t)
    const res = await t.request('/api/auth/me', { cookie, token: 'sb_not-a-real-token' })
    expect(res.status).toBe(401)
  })

  it('lets a program use the token for writes without Origin headers', async () => {
    const { cookie } = await registerUser(t)
    const { secret } = await createToken(cookie)
    const res = await t.request('/api/user/tokens', {
      method: 'POST',
      token: secret,
      json: { name: 'from-ci' },
      headers: { origin: 'https://elsewhere.example', 'sec-fetch-site': 'cross-site' },
    })
    expect(res.status).toBe(201)
  })
})
