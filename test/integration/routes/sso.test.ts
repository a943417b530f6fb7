import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ssoRedirectUri } from '../../../src/server/auth/sso.ts'
import { SSO_CALLBACK_PATH } from '../../../src/server/auth/sso-plugins.ts'
import {
  passProviderPages,
  startIdentityProvider,
  type TestIdentityProvider,
  type TestPerson,
} from '../../fixtures/oidc/identity-provider.ts'
import { oidcEnv } from '../../helpers/oidc-config.ts'
import {
  registerUser,
  sessionCookie,
  startApp,
  TEST_PASSWORD,
  type TestApp,
  uniqueEmail,
} from '../../helpers/start-app.ts'

// Single sign-on against a real OpenID Connect provider (oidc-provider), driven through its pages
// with fetch: Switchboard's start, the provider's sign-in and consent, Switchboard's callback.

/** The test config's public URL (no PORT given): where the provider sends people back. */
const PUBLIC_URL = 'http://localhost:3000'
const ADMINS = 'switchboard-admins'

const people: Record<string, TestPerson> = {}
let count = 0
/** A new person at the provider, for one test. */
function newPerson(claims: TestPerson = {}): { login: string; email: string } {
  count += 1
  const login = `person${count}`
  const email = claims.email ?? uniqueEmail(login)
  people[login] = { email, email_verified: true, name: `Person ${count}`, ...claims }
  return { login, email }
}

let idp: TestIdentityProvider
let t: TestApp
beforeAll(async () => {
  idp = await startIdentityProvider({ redirectUris: [`${PUBLIC_URL}${SSO_CALLBACK_PATH}`], people })
  t = await startApp({ env: oidcEnv(idp, { adminGroups: [ADMINS] }) })
  expect(ssoRedirectUri(t.deps.config)).toBe(`${PUBLIC_URL}${SSO_CALLBACK_PATH}`)
}, 60_000)
afterAll(async () => {
  await t?.close()
  await idp?.close()
})

interface SsoResult {
  status: number
  /** Where Switchboard sent the browser, as a path with its query. */
  location: string
  cookie: string
}

/** One sign-in through the provider, as a browser would do it. */
async function ssoSignIn(
  app: TestApp,
  login: string,
  options: { consent?: 'approve' | 'deny'; returnTo?: string } = {},
): Promise<SsoResult> {
  const start = await app.request('/api/auth/sso/start', {
    method: 'POST',
    json: options.returnTo ? { returnTo: options.returnTo } : {},
  })
  expect(start.status, await start.clone().text()).toBe(200)
  const { url } = (await start.json()) as { url: string }
  const callback = new URL(
    await passProviderPages(url, { login, consent: options.consent ?? 'approve' }),
  )
  expect(callback.origin + callback.pathname).toBe(`${PUBLIC_URL}${SSO_CALLBACK_PATH}`)
  const res = await app.request(callback.pathname + callback.search, {
    cookie: sessionCookie(start),
  })
  const location = new URL(res.headers.get('location') ?? '', PUBLIC_URL)
  expect(location.origin).toBe(PUBLIC_URL)
  return {
    status: res.status,
    location: location.pathname + location.search,
    cookie: sessionCookie(res),
  }
}

async function me(app: TestApp, cookie: string) {
  const res = await app.request('/api/auth/me', { cookie })
  if (res.status !== 200) return null
  return ((await res.json()) as { user: { id: string; email: string; name: string; role: string } })
    .user
}

async function usersWithEmail(app: TestApp, email: string) {
  return app.deps.db.selectFrom('users').selectAll().where('email', '=', email).execute()
}

describe('single sign-on: discovery and start', () => {
  it('offers the provider on the sign-in page, by its display name', async () => {
    const res = await t.request('/api/auth/options')
    expect(await res.json()).toMatchObject({ passwordLogin: true, sso: { name: 'Test IdP' } })
  })

  it('sends the browser to the provider found by discovery, with PKCE, state and nonce', async () => {
    const res = await t.request('/api/auth/sso/start', { method: 'POST', json: {} })
    expect(res.status).toBe(200)
    const url = new URL(((await res.json()) as { url: string }).url)
    expect(url.origin).toBe(idp.url)
    const query = url.searchParams
    expect(query.get('client_id')).toBe(idp.clientId)
    expect(query.get('redirect_uri')).toBe(`${PUBLIC_URL}${SSO_CALLBACK_PATH}`)
    expect(query.get('code_challenge_method')).toBe('S256')
    expect(query.get('state')).toBeTruthy()
    expect(query.get('nonce')).toBeTruthy()
    expect(query.get('scope')?.split(' ')).toEqual(
      expect.arrayContaining(['openid', 'email', 'groups']),
    )
    // The secret is for the token request only, server to server.
    expect(url.href).not.toContain(idp.clientSecret)
    expect(res.headers.get('set-cookie')).toMatch(/switchboard\.state=/)
  })

  it('refuses to send people back anywhere but this site', async () => {
    for (const returnTo of ['//evil.example/x', 'https://evil.example', '/\\evil.example']) {
      const res = await t.request('/api/auth/sso/start', { method: 'POST', json: { returnTo } })
      expect(res.status, returnTo).toBe(400)
    }
  })
})

describe('single sign-on: accounts', () => {
  it('creates an account at the first sign-in and returns to the page asked for', async () => {
    const { login, email } = newPerson({ name: 'Dana SSO', groups: ['staff'] })
    const result = await ssoSignIn(t, login, { returnTo: '/servers' })
    expect(result).toMatchObject({ status: 302, location: '/servers' })
    expect(await me(t, result.cookie)).toMatchObject({ email, name: 'Dana SSO', role: 'user' })
    const accounts = await t.deps.db
      .selectFrom('accounts')
      .selectAll()
      .where('provider_id', '=', 'oidc')
      .where('account_id', '=', login)
      .execute()
    expect(accounts).toHaveLength(1)
    // The provider's tokens are of no use to Switchboard: none is kept.
    expect(accounts[0]).toMatchObject({ access_token: null, refresh_token: null, id_token: null })
  })

  it('signs the same person in to the same account the second time', async () => {
    const { login, email } = newPerson()
    const first = await ssoSignIn(t, login)
    const second = await ssoSignIn(t, login)
    expect(second.status).toBe(302)
    expect((await me(t, second.cookie))?.id).toBe((await me(t, first.cookie))?.id)
    expect(await usersWithEmail(t, email)).toHaveLength(1)
  })

  it('links to an existing account with the same verified email, and closes its other ways in', async () => {
    const { login, email } = newPerson()
    const existing = await registerUser(t, email)
    const token = await t.request('/api/user/tokens', {
      method: 'POST',
      cookie: existing.cookie,
      json: { name: 'before sso' },
    })
    expect(token.status).toBe(201)
    const result = await ssoSignIn(t, login)
    expect((await me(t, result.cookie))?.id).toBe(existing.userId)
    expect(await usersWithEmail(t, email)).toHaveLength(1)
    // Whoever registered the address before the owner proved it keeps no way in.
    expect(await me(t, existing.cookie)).toBeNull()
    const password = await t.request('/api/auth/login', {
      method: 'POST',
      json: { email, password: TEST_PASSWORD },
    })
    expect(password.status).toBe(401)
    const secret = ((await token.json()) as { secret: string }).secret
    expect((await t.request('/api/auth/me', { token: secret })).status).toBe(401)
  })

  it('makes members of the admin group admins, and takes it away when they leave the group', async () => {
    const { login } = newPerson({ groups: [ADMINS, 'staff'] })
    const first = await ssoSignIn(t, login)
    expect((await me(t, first.cookie))?.role).toBe('admin')
    people[login] = { ...people[login], groups: ['staff'] }
    const second = await ssoSignIn(t, login)
    expect((await me(t, second.cookie))?.role).toBe('user')
  })

  it('records sign-ins in the audit log', async () => {
    const { login } = newPerson()
    const result = await ssoSignIn(t, login)
    const user = await me(t, result.cookie)
    const rows = await t.deps.db
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('user_id', '=', user?.id ?? '')
      .execute()
    expect(rows.map((row) => row.action)).toEqual(['auth.register'])
    expect(rows[0]?.details).toMatchObject({ method: 'sso' })
  })
})

describe('single sign-on: refusals land on the sign-in page with a code', () => {
  it('denied consent', async () => {
    const { login, email } = newPerson()
    const result = await ssoSignIn(t, login, { consent: 'deny' })
    expect(result).toMatchObject({ status: 302, location: '/login?error=access_denied' })
    expect(await usersWithEmail(t, email)).toHaveLength(0)
  })

  it('an email the provider has not verified', async () => {
    const { login, email } = newPerson({ email_verified: false })
    const result = await ssoSignIn(t, login)
    expect(result.location).toBe('/login?error=email_not_verified')
    expect(await usersWithEmail(t, email)).toHaveLength(0)
  })

  it('no email at all', async () => {
    count += 1
    people[`nomail${count}`] = { name: 'No Mail' }
    const result = await ssoSignIn(t, `nomail${count}`)
    expect(result.location).toBe('/login?error=email_not_found')
  })

  it('a callback this browser did not start (state mismatch)', async () => {
    const { login } = newPerson()
    const start = await t.request('/api/auth/sso/start', { method: 'POST', json: {} })
    const { url } = (await start.json()) as { url: string }
    const callback = new URL(await passProviderPages(url, { login, consent: 'approve' }))
    // Without the state cookie of the browser that started it, e.g. a link sent to someone.
    const res = await t.request(callback.pathname + callback.search)
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toBe(`${PUBLIC_URL}/login?error=state_mismatch`)
    expect(sessionCookie(res)).not.toMatch(/session_token=[^;\s]/)
  })

  it('a disabled account', async () => {
    // The admin plugin's column (better-auth `banned`), which the user administration work adds
    // with its own migration; added here as it will be, so the check is tested before that lands.
    await sql`alter table users add column if not exists banned boolean default false`.execute(
      t.deps.db,
    )
    await sql`alter table users add column if not exists ban_expires timestamptz`.execute(t.deps.db)
    const { login, email } = newPerson()
    expect((await ssoSignIn(t, login)).status).toBe(302)
    await sql`update users set banned = true where email = ${email}`.execute(t.deps.db)
    const refused = await ssoSignIn(t, login)
    expect(refused.location).toBe('/login?error=account_disabled')
    expect(await me(t, refused.cookie)).toBeNull()
    // A ban that has run out no longer holds.
    await sql`update users set ban_expires = now() - interval '1 minute' where email = ${email}`.execute(
      t.deps.db,
    )
    expect((await ssoSignIn(t, login)).location).toBe('/chat')
  })
})

describe('single sign-on: first account and password sign-in turned off', () => {
  let idp2: TestIdentityProvider
  let app: TestApp
  beforeAll(async () => {
    idp2 = await startIdentityProvider({
      redirectUris: [`${PUBLIC_URL}${SSO_CALLBACK_PATH}`],
      people,
    })
    app = await startApp({ env: oidcEnv(idp2, { allowPasswordLogin: false }) })
  }, 60_000)
  afterAll(async () => {
    await app?.close()
    await idp2?.close()
  })

  it('makes the first account admin when no admin groups are configured', async () => {
    const first = await ssoSignIn(app, newPerson({ groups: [] }).login)
    expect((await me(app, first.cookie))?.role).toBe('admin')
    const second = await ssoSignIn(app, newPerson({ groups: [ADMINS] }).login)
    expect((await me(app, second.cookie))?.role).toBe('user')
  })

  it('refuses password sign-in and sign-up with a code', async () => {
    const options = await (await app.request('/api/auth/options')).json()
    expect(options).toMatchObject({ passwordLogin: false, registration: false })
    const login = await app.request('/api/auth/login', {
      method: 'POST',
      json: { email: uniqueEmail(), password: TEST_PASSWORD },
    })
    expect(login.status).toBe(403)
    expect((await login.json()).error.code).toBe('password_login_disabled')
    const register = await app.request('/api/auth/register', {
      method: 'POST',
      json: { email: uniqueEmail(), password: TEST_PASSWORD },
    })
    expect(register.status).toBe(403)
    expect((await register.json()).error.code).toBe('password_login_disabled')
  })
})
