import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  registerUser,
  sessionCookie,
  startApp,
  TEST_PASSWORD,
  type TestApp,
  uniqueEmail,
} from '../../helpers/start-app.ts'
import { uniqueIp } from '../../helpers/unique-ip.ts'

let t: TestApp
beforeAll(async () => {
  // trustProxy: failed sign-ins come from addresses of their own (X-Forwarded-For), as with
  // TEST_REDIS_URL the per-address count is shared by every test file and run.
  t = await startApp({ config: { trustProxy: true } })
})
afterAll(() => t.close())

const fromOwnAddress = () => ({ 'x-forwarded-for': uniqueIp() })

describe('POST /api/auth/register', () => {
  it('makes the first account admin and later ones users', async () => {
    const first = await t.request('/api/auth/register', {
      method: 'POST',
      json: { email: uniqueEmail('first'), password: TEST_PASSWORD, name: 'First' },
    })
    expect(first.status).toBe(201)
    expect((await first.json()).user).toMatchObject({ role: 'admin', name: 'First' })
    const second = await t.request('/api/auth/register', {
      method: 'POST',
      json: { email: uniqueEmail('second'), password: TEST_PASSWORD },
    })
    expect((await second.json()).user.role).toBe('user')
  })

  it('sets an HttpOnly, SameSite=Lax session cookie', async () => {
    const res = await t.request('/api/auth/register', {
      method: 'POST',
      json: { email: uniqueEmail(), password: TEST_PASSWORD },
    })
    const cookie = res.headers.getSetCookie().join('\n')
    expect(cookie).toMatch(/switchboard\.session_token=/)
    expect(cookie).toMatch(/HttpOnly/)
    expect(cookie).toMatch(/SameSite=Lax/)
    expect(cookie).not.toMatch(/Secure/) // plain http publicUrl
  })

  it('answers 400 naming each bad field', async () => {
    const res = await t.request('/api/auth/register', {
      method: 'POST',
      json: { email: 'not-an-email', password: 'short', extra: 1 },
    })
    expect(res.status).toBe(400)
    const body = await res.json()
    expect(body.error.code).toBe('validation_failed')
    const fields = body.error.details.fields.map((f: { field: string }) => f.field)
    expect(fields).toEqual(expect.arrayContaining(['email', 'password']))
  })

  it('answers 409 email_taken for an existing email, in any case', async () => {
    const email = uniqueEmail('dup')
    await registerUser(t, email)
    const res = await t.request('/api/auth/register', {
      method: 'POST',
      json: { email: email.toUpperCase(), password: TEST_PASSWORD },
    })
    expect(res.status).toBe(409)
    expect((await res.json()).error.code).toBe('email_taken')
  })

  it('answers 400 for a body that is not JSON', async () => {
    const res = await t.app.request('/api/auth/register', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"email":',
    })
    expect(res.status).toBe(400)
    expect((await res.json()).error.code).toBe('bad_request')
  })
})

describe('POST /api/auth/login', () => {
  it('signs in with the right password and rejects a wrong one', async () => {
    const { email } = await registerUser(t)
    const ok = await t.request('/api/auth/login', {
      method: 'POST',
      json: { email, password: TEST_PASSWORD },
    })
    expect(ok.status).toBe(200)
    const me = await t.request('/api/auth/me', { cookie: sessionCookie(ok) })
    expect((await me.json()).user.email).toBe(email)

    const bad = await t.request('/api/auth/login', {
      method: 'POST',
      headers: fromOwnAddress(),
      json: { email, password: 'wrong password!' },
    })
    expect(bad.status).toBe(401)
    expect((await bad.json()).error.code).toBe('invalid_credentials')
  })

  it('gives the same answer for an unknown email as for a wrong password', async () => {
    const res = await t.request('/api/auth/login', {
      method: 'POST',
      headers: fromOwnAddress(),
      json: { email: uniqueEmail('nobody'), password: TEST_PASSWORD },
    })
    expect(res.status).toBe(401)
    expect((await res.json()).error.code).toBe('invalid_credentials')
  })

  it('answers 429 with Retry-After after repeated failures, even for the right password', async () => {
    const { email } = await registerUser(t)
    const attempts = t.deps.config.auth.loginAttempts.perAccount
    const headers = fromOwnAddress()
    for (let i = 0; i < attempts; i++) {
      const res = await t.request('/api/auth/login', {
        method: 'POST',
        headers,
        json: { email, password: `wrong password ${i}` },
      })
      expect(res.status).toBe(401)
    }
    const blocked = await t.request('/api/auth/login', {
      method: 'POST',
      headers,
      json: { email, password: TEST_PASSWORD },
    })
    expect(blocked.status).toBe(429)
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0)
    expect((await blocked.json()).error.code).toBe('rate_limited')
  })
})

describe('POST /api/auth/logout', () => {
  it('ends the session so the cookie no longer works', async () => {
    const { cookie } = await registerUser(t)
    expect((await t.request('/api/auth/me', { cookie })).status).toBe(200)
    const out = await t.request('/api/auth/logout', { method: 'POST', cookie })
    expect(out.status).toBe(204)
    const me = await t.request('/api/auth/me', { cookie })
    expect(me.status).toBe(401)
    expect((await me.json()).error.code).toBe('unauthenticated')
  })
})

describe('CSRF protection', () => {
  it('refuses a cross-site write carrying the session cookie', async () => {
    const { cookie } = await registerUser(t)
    const res = await t.request('/api/user/tokens', {
      method: 'POST',
      cookie,
      json: { name: 'evil' },
      headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
    })
    expect(res.status).toBe(403)
    expect((await res.json()).error.code).toBe('csrf_rejected')
  })

  it('refuses a foreign Origin when the browser sends no Sec-Fetch-Site', async () => {
    const { cookie } = await registerUser(t)
    const res = await t.request('/api/user/tokens', {
      method: 'POST',
      cookie,
      json: { name: 'evil' },
      headers: { origin: 'https://evil.example' },
    })
    expect(res.status).toBe(403)
  })

  it('accepts a same-origin write', async () => {
    const { cookie } = await registerUser(t)
    const res = await t.request('/api/user/tokens', {
      method: 'POST',
      cookie,
      json: { name: 'mine' },
      headers: { origin: 'http://localhost', 'sec-fetch-site': 'same-origin' },
    })
    expect(res.status).toBe(201)
  })
})

describe('registration: false', () => {
  it('still lets the first account in, then answers 403 registration_closed', async () => {
    const closed = await startApp({ env: { SWITCHBOARD_REGISTRATION: 'false' } })
    try {
      const options = await (await closed.request('/api/auth/options')).json()
      expect(options).toEqual({
        registration: true,
        hasUsers: false,
        domains: [],
        passwordLogin: true,
        sso: null,
      })
      await registerUser(closed)
      const res = await closed.request('/api/auth/register', {
        method: 'POST',
        json: { email: uniqueEmail(), password: TEST_PASSWORD },
      })
      expect(res.status).toBe(403)
      expect((await res.json()).error.code).toBe('registration_closed')
      expect(await (await closed.request('/api/auth/options')).json()).toEqual({
        registration: false,
        hasUsers: true,
        domains: [],
        passwordLogin: true,
        sso: null,
      })
    } finally {
      await closed.close()
    }
  })
})

describe('errors', () => {
  it('answers unknown API routes with a JSON 404', async () => {
    const res = await t.request('/api/nope')
    expect(res.status).toBe(404)
    expect((await res.json()).error.code).toBe('not_found')
  })

  it('answers 401 to /api/auth/me without credentials', async () => {
    const res = await t.request('/api/auth/me')
    expect(res.status).toBe(401)
  })

  it('stores passwords as argon2id hashes', async () => {
    const { userId } = await registerUser(t)
    const account = await t.deps.db
      .selectFrom('accounts')
      .select('password')
      .where('user_id', '=', userId)
      .executeTakeFirstOrThrow()
    expect(account.password).toMatch(/^\$argon2id\$/)
    expect(account.password).not.toContain(TEST_PASSWORD)
  })
})
