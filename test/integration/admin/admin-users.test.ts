import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { adminApi, signIn, tokenOf } from '../../helpers/admin-users.ts'
import {
  registerUser,
  startApp,
  TEST_PASSWORD,
  type TestApp,
  uniqueEmail,
} from '../../helpers/start-app.ts'

// One database for the file: the first account (beforeAll) is the admin. Tests that change the
// registration policy put it back to open afterwards.
let t: TestApp
let admin: Awaited<ReturnType<typeof registerUser>>
let api: ReturnType<typeof adminApi>
beforeAll(async () => {
  t = await startApp()
  admin = await registerUser(t)
  api = adminApi(t, admin.cookie)
})
afterEach(async () => {
  await api.setPolicy('open')
})
afterAll(() => t.close())

const me = (init: { cookie?: string; token?: string }) => t.request('/api/auth/me', init)

async function apiToken(cookie: string): Promise<string> {
  const res = await t.request('/api/user/tokens', { method: 'POST', cookie, json: { name: 'x' } })
  return ((await res.json()) as { secret: string }).secret
}

describe('admin routes for members', () => {
  it('answers 403 to a member and 401 to nobody on every user-admin route', async () => {
    const member = await registerUser(t)
    const routes: [string, string, unknown?][] = [
      ['GET', '/api/admin/users'],
      ['POST', '/api/admin/users', { email: uniqueEmail(), password: TEST_PASSWORD }],
      ['PUT', `/api/admin/users/${admin.userId}/role`, { role: 'user' }],
      ['POST', `/api/admin/users/${admin.userId}/disable`, {}],
      ['POST', `/api/admin/users/${admin.userId}/enable`],
      ['DELETE', `/api/admin/users/${admin.userId}`],
      ['POST', `/api/admin/users/${admin.userId}/reset-link`],
      ['GET', '/api/admin/invitations'],
      ['POST', '/api/admin/invitations', { email: uniqueEmail() }],
      ['DELETE', '/api/admin/invitations/00000000-0000-4000-8000-000000000000'],
      ['GET', '/api/admin/registration'],
      ['PUT', '/api/admin/registration', { mode: 'closed' }],
    ]
    for (const [method, path, json] of routes) {
      const init = { method, ...(json === undefined ? {} : { json }) }
      const res = await t.request(path, { ...init, cookie: member.cookie })
      expect(res.status, `${method} ${path}`).toBe(403)
      expect((await res.json()).error.code).toBe('forbidden')
      expect((await t.request(path, init)).status, `${method} ${path}`).toBe(401)
    }
    // Nothing changed on the way.
    expect((await api.call('/api/admin/registration', 'GET')).policy.mode).toBe('open')
    expect((await me({ cookie: admin.cookie })).status).toBe(200)
  })
})

describe('GET /api/admin/users', () => {
  it('lists status and last sign-in, and filters by search, role and status', async () => {
    const email = uniqueEmail('findme')
    const created = await api.createUser({ email })
    expect(created).toMatchObject({ email, role: 'user', status: 'active', lastSignInAt: null })
    await signIn(t, email)
    const found = await api.call(`/api/admin/users?q=${encodeURIComponent('FINDME')}`, 'GET')
    expect(found.users.map((u: { email: string }) => u.email)).toEqual([email])
    expect(found.users[0].lastSignInAt).not.toBeNull()
    await api.disable(created.id)
    const disabled = await api.call('/api/admin/users?status=disabled', 'GET')
    expect(disabled.users.map((u: { id: string }) => u.id)).toContain(created.id)
    expect(disabled.users.every((u: { status: string }) => u.status === 'disabled')).toBe(true)
    const admins = await api.call('/api/admin/users?role=admin', 'GET')
    expect(admins.users.map((u: { id: string }) => u.id)).toEqual([admin.userId])
    const bad = await t.request('/api/admin/users?status=gone', { cookie: admin.cookie })
    expect(bad.status).toBe(400)
    expect(JSON.stringify(await bad.json())).toContain('status')
  })
})

describe('POST /api/admin/users (temporary password)', () => {
  it('creates an account that signs in with the password, audited', async () => {
    const email = uniqueEmail('temp')
    const user = await api.createUser({ email, password: 'temporary-password-1', role: 'admin' })
    expect(user.role).toBe('admin')
    expect((await signIn(t, email, 'temporary-password-1')).res.status).toBe(200)
    const [entry] = await api.audit(`userId=${user.id}&action=admin.user_created`)
    expect(entry).toMatchObject({ actor: admin.email, targetId: user.id })
    await api.setRole(user.id, 'user')
  })

  it('answers 409 email_taken and 400 naming the field', async () => {
    const taken = await t.request('/api/admin/users', {
      method: 'POST',
      cookie: admin.cookie,
      json: { email: admin.email, password: TEST_PASSWORD },
    })
    expect(taken.status).toBe(409)
    expect((await taken.json()).error.code).toBe('email_taken')
    const bad = await t.request('/api/admin/users', {
      method: 'POST',
      cookie: admin.cookie,
      json: { email: 'not an email', password: 'short' },
    })
    expect(bad.status).toBe(400)
    const fields = (await bad.json()).error.details.fields.map((f: { field: string }) => f.field)
    expect(fields).toEqual(expect.arrayContaining(['email', 'password']))
  })
})

describe('disable and enable', () => {
  it('ends the cookie session and refuses the API token and sign-in at once; enable restores', async () => {
    const user = await registerUser(t)
    const token = await apiToken(user.cookie)
    // Used first, so the token is cached: disabling must still end it at once.
    expect((await me({ token })).status).toBe(200)
    const disabled = await api.disable(user.userId)
    expect(disabled.status).toBe('disabled')
    expect((await me({ cookie: user.cookie })).status).toBe(401)
    expect((await me({ token })).status).toBe(401)
    const refused = await signIn(t, user.email)
    expect(refused.res.status).toBe(403)
    expect((await refused.res.json()).error.code).toBe('account_disabled')
    // The data is kept.
    expect((await api.call(`/api/admin/users?q=${user.email}`, 'GET')).users).toHaveLength(1)

    await api.enable(user.userId)
    expect((await me({ token })).status).toBe(200)
    const again = await signIn(t, user.email)
    expect(again.res.status).toBe(200)
    expect((await me({ cookie: again.cookie })).status).toBe(200)

    const actions = (await api.audit(`userId=${user.userId}`)).map((e) => e.action)
    expect(actions).toEqual(expect.arrayContaining(['admin.user_disabled', 'admin.user_enabled']))
    const refusedEntry = (await api.audit(`userId=${user.userId}&action=auth.sign_in_failed`))[0]
    expect(refusedEntry?.details).toMatchObject({ reason: 'account_disabled' })
  })

  it('answers 404 for an unknown id and 409 own_account for oneself', async () => {
    for (const call of [
      () => api.disable('no-such-user', 404),
      () => api.enable('no-such-user', 404),
      () => api.setRole('no-such-user', 'admin', 404),
      () => api.remove('no-such-user', 404),
      () => api.call('/api/admin/users/no-such-user/reset-link', 'POST', undefined, 404),
      () =>
        api.call(
          '/api/admin/invitations/00000000-0000-4000-8000-000000000000',
          'DELETE',
          undefined,
          404,
        ),
    ]) {
      expect((await call()).error.code).toBe('not_found')
    }
    // With another admin, the rule that answers is that nobody disables or deletes themselves.
    const second = await registerUser(t)
    await api.setRole(second.userId, 'admin')
    expect((await api.disable(admin.userId, 409)).error.code).toBe('own_account')
    expect((await api.remove(admin.userId, 409)).error.code).toBe('own_account')
    await api.setRole(second.userId, 'user')
    const badId = await t.request('/api/admin/invitations/not-a-uuid', {
      method: 'DELETE',
      cookie: admin.cookie,
    })
    expect(badId.status).toBe(400)
  })
})

describe('roles and the last admin', () => {
  it('never leaves the installation without an enabled admin', async () => {
    // The only admin cannot step down.
    expect((await api.setRole(admin.userId, 'user', 409)).error.code).toBe('last_admin')

    const second = await registerUser(t)
    await api.setRole(second.userId, 'admin')
    expect((await me({ cookie: second.cookie })).status).toBe(200)
    const secondApi = adminApi(t, second.cookie)
    // With two admins, one may disable the other; then the one left is the last.
    await secondApi.disable(admin.userId)
    expect((await secondApi.setRole(second.userId, 'user', 409)).error.code).toBe('last_admin')
    // A disabled admin does not count: demoting or deleting them is fine, but first bring back.
    await secondApi.enable(admin.userId)
    const relog = await signIn(t, admin.email)
    admin.cookie = relog.cookie
    api = adminApi(t, admin.cookie)
    // Demoted: the admin routes answer 403 to the session and the token at once.
    const token = await apiToken(second.cookie)
    expect((await t.request('/api/admin/users', { token })).status).toBe(200)
    const demoted = await api.setRole(second.userId, 'user')
    expect(demoted.role).toBe('user')
    expect((await t.request('/api/admin/users', { cookie: second.cookie })).status).toBe(403)
    expect((await t.request('/api/admin/users', { token })).status).toBe(403)
    const [entry] = await api.audit(`userId=${second.userId}&action=admin.role_changed`)
    expect(entry?.details).toMatchObject({ from: 'admin', to: 'user' })
    // The last admin cannot be disabled or deleted by anyone either (as another admin would).
    expect((await api.setRole(admin.userId, 'user', 409)).error.code).toBe('last_admin')
  })

  it('answers 400 for an unknown role', async () => {
    const res = await t.request(`/api/admin/users/${admin.userId}/role`, {
      method: 'PUT',
      cookie: admin.cookie,
      json: { role: 'owner' },
    })
    expect(res.status).toBe(400)
    expect((await res.json()).error.details.fields[0].field).toBe('role')
  })
})

describe('DELETE /api/admin/users/:id', () => {
  it('deletes the account: sign-in, cookie and token stop; audited under the admin', async () => {
    const user = await registerUser(t)
    const token = await apiToken(user.cookie)
    expect((await me({ token })).status).toBe(200)
    await api.remove(user.userId)
    expect((await me({ cookie: user.cookie })).status).toBe(401)
    expect((await me({ token })).status).toBe(401)
    expect((await signIn(t, user.email)).res.status).toBe(401)
    await api.remove(user.userId, 404)
    const [entry] = await api.audit(`userId=${admin.userId}&action=admin.user_deleted`)
    expect(entry).toMatchObject({ targetId: user.userId, details: { email: user.email } })
    expect(await api.audit(`userId=${user.userId}`)).toEqual([])
  })

  it('refuses the last admin deleting or disabling themselves (409 last_admin)', async () => {
    expect((await api.remove(admin.userId, 409)).error.code).toBe('last_admin')
    expect((await api.disable(admin.userId, 409)).error.code).toBe('last_admin')
    expect((await me({ cookie: admin.cookie })).status).toBe(200)
  })

  it('lets exactly one of two admins demoting each other at once succeed', async () => {
    const second = await registerUser(t)
    await api.setRole(second.userId, 'admin')
    const results = await Promise.all([
      t.request(`/api/admin/users/${second.userId}/role`, {
        method: 'PUT',
        cookie: admin.cookie,
        json: { role: 'user' },
      }),
      t.request(`/api/admin/users/${admin.userId}/role`, {
        method: 'PUT',
        cookie: second.cookie,
        json: { role: 'user' },
      }),
    ])
    const statuses = results.map((res) => res.status)
    // Whichever ran second found itself demoted (403) or the other the last admin (409).
    expect(statuses.filter((status) => status === 200)).toHaveLength(1)
    const admins = await t.deps.db
      .selectFrom('users')
      .select('id')
      .where('role', '=', 'admin')
      .execute()
    expect(admins).toHaveLength(1)
    // Put the file's admin back in charge.
    if (admins[0]?.id !== admin.userId) {
      await adminApi(t, second.cookie).setRole(admin.userId, 'admin')
      await api.setRole(second.userId, 'user')
    }
  })
})

describe('invitations', () => {
  it('registers once with the link, under invite-only, with the invited role', async () => {
    await api.setPolicy('invite-only')
    const email = uniqueEmail('invited')
    const { invitation, link } = await api.invite(email)
    expect(link.url).toMatch(/\/register\?invite=sbi_/)
    const token = tokenOf(link.url, 'invite')
    const listed = await api.call('/api/admin/invitations', 'GET')
    expect(listed.invitations.map((i: { id: string }) => i.id)).toContain(invitation.id)
    expect(JSON.stringify(listed)).not.toContain(token)

    const info = await t.request(`/api/auth/invitations/${token}`)
    expect(await info.json()).toMatchObject({ email })
    // Without the link: refused; with another address: 400 naming the field.
    const without = await t.request('/api/auth/register', {
      method: 'POST',
      json: { email, password: TEST_PASSWORD },
    })
    expect((await without.json()).error.code).toBe('invite_required')
    const wrong = await t.request('/api/auth/register', {
      method: 'POST',
      json: { email: uniqueEmail(), password: TEST_PASSWORD, invite: token },
    })
    expect(wrong.status).toBe(400)
    expect((await wrong.json()).error.details.fields[0].field).toBe('email')

    const used = await t.request('/api/auth/register', {
      method: 'POST',
      json: { email, password: TEST_PASSWORD, invite: token },
    })
    expect(used.status).toBe(201)
    expect((await used.json()).user).toMatchObject({ email, role: 'user' })
    const again = await t.request('/api/auth/register', {
      method: 'POST',
      json: { email: uniqueEmail(), password: TEST_PASSWORD, invite: token },
    })
    expect(again.status).toBe(400)
    expect((await again.json()).error.code).toBe('link_invalid')
    expect((await t.request(`/api/auth/invitations/${token}`)).status).toBe(400)
    const [entry] = await api.audit(`userId=${admin.userId}&action=admin.user_invited`)
    expect(entry).toMatchObject({ targetId: invitation.id, details: { email } })
  })

  it('stops working when expired or withdrawn, and is refused while registration is closed', async () => {
    const expiring = await api.invite(uniqueEmail('expiring'))
    await t.deps.db
      .updateTable('user_invitations')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', expiring.invitation.id)
      .execute()
    const expired = await t.request('/api/auth/register', {
      method: 'POST',
      json: {
        email: expiring.invitation.email,
        password: TEST_PASSWORD,
        invite: tokenOf(expiring.link.url, 'invite'),
      },
    })
    expect((await expired.json()).error.code).toBe('link_invalid')

    const withdrawn = await api.invite(uniqueEmail('withdrawn'))
    await api.call(`/api/admin/invitations/${withdrawn.invitation.id}`, 'DELETE', undefined, 204)
    const info = await t.request(`/api/auth/invitations/${tokenOf(withdrawn.link.url, 'invite')}`)
    expect((await info.json()).error.code).toBe('link_invalid')

    expect(
      (await api.call('/api/admin/invitations', 'POST', { email: admin.email }, 409)).error.code,
    ).toBe('email_taken')
    const pending = await api.invite(uniqueEmail('pending'))
    await api.setPolicy('closed')
    expect(
      (await api.call('/api/admin/invitations', 'POST', { email: uniqueEmail() }, 409)).error.code,
    ).toBe('invites_closed')
    const closed = await t.request('/api/auth/register', {
      method: 'POST',
      json: {
        email: pending.invitation.email,
        password: TEST_PASSWORD,
        invite: tokenOf(pending.link.url, 'invite'),
      },
    })
    expect((await closed.json()).error.code).toBe('registration_closed')
  })
})

describe('password-reset links', () => {
  it('sets a new password once, signs the user out everywhere, and is audited', async () => {
    const user = await registerUser(t)
    const link = await api.resetLink(user.userId)
    expect(link.url).toMatch(/\/reset-password\?token=/)
    const token = tokenOf(link.url, 'token')
    const reset = await t.request('/api/auth/reset-password', {
      method: 'POST',
      json: { token, password: 'a brand new password' },
    })
    expect(reset.status).toBe(204)
    expect((await me({ cookie: user.cookie })).status).toBe(401)
    expect((await signIn(t, user.email)).res.status).toBe(401)
    expect((await signIn(t, user.email, 'a brand new password')).res.status).toBe(200)
    const again = await t.request('/api/auth/reset-password', {
      method: 'POST',
      json: { token, password: 'another new password' },
    })
    expect(again.status).toBe(400)
    expect((await again.json()).error.code).toBe('link_invalid')
    const actions = (await api.audit(`userId=${user.userId}`)).map((e) => e.action)
    expect(actions).toEqual(
      expect.arrayContaining(['admin.reset_link_created', 'auth.password_reset']),
    )
  })

  it('refuses an expired link and a short password (400 naming the field)', async () => {
    const user = await registerUser(t)
    const token = tokenOf((await api.resetLink(user.userId)).url, 'token')
    const short = await t.request('/api/auth/reset-password', {
      method: 'POST',
      json: { token, password: 'short' },
    })
    expect((await short.json()).error.details.fields[0].field).toBe('password')
    await t.deps.db
      .updateTable('verifications')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('identifier', '=', `reset-password:${token}`)
      .execute()
    const expired = await t.request('/api/auth/reset-password', {
      method: 'POST',
      json: { token, password: 'a brand new password' },
    })
    expect((await expired.json()).error.code).toBe('link_invalid')
    expect((await signIn(t, user.email)).res.status).toBe(200)
  })
})

describe('registration policy', () => {
  const register = (email: string) =>
    t.request('/api/auth/register', { method: 'POST', json: { email, password: TEST_PASSWORD } })
  const options = async () => (await t.request('/api/auth/options')).json()

  it('open, closed, invite-only and a domain list decide who may register', async () => {
    expect(await api.call('/api/admin/registration', 'GET')).toMatchObject({
      policy: { mode: 'open' },
    })
    expect((await register(uniqueEmail())).status).toBe(201)

    await api.setPolicy('closed')
    expect(await options()).toMatchObject({ registration: false, hasUsers: true })
    expect((await (await register(uniqueEmail())).json()).error.code).toBe('registration_closed')

    await api.setPolicy('invite-only')
    expect(await options()).toMatchObject({ registration: false })
    expect((await (await register(uniqueEmail())).json()).error.code).toBe('invite_required')

    const settings = await api.setPolicy('domains', ['Allowed.TEST', 'allowed.test'])
    expect(settings).toEqual({
      policy: { mode: 'domains', domains: ['allowed.test'] },
      source: 'admin',
    })
    expect(await options()).toMatchObject({ registration: true, domains: ['allowed.test'] })
    expect((await register(`someone-${Date.now()}@allowed.test`)).status).toBe(201)
    const other = await register(`someone-${Date.now()}@sub.allowed.test`)
    expect(other.status).toBe(403)
    expect((await other.json()).error.code).toBe('email_domain_not_allowed')

    const [entry] = await api.audit(`userId=${admin.userId}&action=admin.registration_changed`)
    expect(entry?.details).toMatchObject({ mode: 'domains', domains: ['allowed.test'] })
  })

  it('answers 400 naming the field for a bad policy', async () => {
    for (const body of [
      { mode: 'domains', domains: [] },
      { mode: 'domains', domains: ['not a domain'] },
      { mode: 'sometimes' },
    ]) {
      const res = await t.request('/api/admin/registration', {
        method: 'PUT',
        cookie: admin.cookie,
        json: body,
      })
      expect(res.status, JSON.stringify(body)).toBe(400)
      const field = (await res.json()).error.details.fields[0].field
      expect(field).toMatch(/^(domains|mode)/)
    }
  })
})

describe('registration policy from the operator', () => {
  it('env wins, the first account still becomes admin, and the admin page cannot change it', async () => {
    const app = await startApp({ env: { SWITCHBOARD_REGISTRATION: 'invite-only' } })
    try {
      const first = await registerUser(app)
      const meRes = await app.request('/api/auth/me', { cookie: first.cookie })
      expect((await meRes.json()).user.role).toBe('admin')
      const firstApi = adminApi(app, first.cookie)
      expect(await firstApi.call('/api/admin/registration', 'GET')).toEqual({
        policy: { mode: 'invite-only', domains: [] },
        source: 'env',
      })
      expect((await firstApi.setPolicy('open', [], 409)).error.code).toBe('set_by_operator')
      const second = await app.request('/api/auth/register', {
        method: 'POST',
        json: { email: uniqueEmail(), password: TEST_PASSWORD },
      })
      expect((await second.json()).error.code).toBe('invite_required')
    } finally {
      await app.close()
    }
  })
})
