import { randomBytes } from 'node:crypto'
import { sql } from 'kysely'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SSO_CALLBACK_PATH } from '../../src/server/auth/sso-plugins.ts'
import { readOidcConfig } from '../../src/server/config/oidc.ts'
import {
  startIdentityProvider,
  type TestIdentityProvider,
  type TestPerson,
} from '../fixtures/oidc/identity-provider.ts'
import { closedPortUrl } from '../helpers/closed-port.ts'
import { testConfig } from '../helpers/test-config.ts'
import { type BrowserApp, HAS_CHROMIUM, screenshot, startBrowserApp } from './browser.ts'
import { IdentityProviderPages } from './pages/identity-provider-pages.ts'

// Single sign-on in a real browser: Switchboard's sign-in page -> the real OpenID Connect
// provider's own sign-in and consent pages -> back in Switchboard, signed in (or told why not).

const WAIT = { timeout: 15_000 }
const people: Record<string, TestPerson> = {}
let count = 0
function newPerson(): { login: string; email: string } {
  count += 1
  const login = `e2e${count}`
  const email = `sso-${count}-${Date.now()}@example.test`
  people[login] = { email, email_verified: true, name: `E2E Person ${count}` }
  return { login, email }
}

let app: BrowserApp
let idp: TestIdentityProvider

describe.skipIf(!HAS_CHROMIUM)('single sign-on in Chromium', () => {
  beforeAll(async () => {
    // The provider's address goes into the app's config, and the app's into the provider's client:
    // the provider's port is chosen first, and it starts once the app listens (so the app also
    // shows it copes with a provider that was down when it started).
    const issuer = (await closedPortUrl('')).replace(/\/$/, '')
    const clientSecret = randomBytes(24).toString('base64url')
    const auth = testConfig().auth
    const oidc = readOidcConfig(
      { issuer, clientId: 'switchboard-test', displayName: 'Test IdP' },
      { OIDC_CLIENT_SECRET: clientSecret },
    )
    app = await startBrowserApp({ auth: { ...auth, oidc } })
    idp = await startIdentityProvider({
      port: Number(new URL(issuer).port),
      redirectUris: [`${app.url}${SSO_CALLBACK_PATH}`],
      people,
      clientSecret,
    })
  }, 180_000)

  afterAll(async () => {
    await app?.close()
    await idp?.close()
  })

  /** From Switchboard's sign-in page to the provider's, signed in there as `login`. */
  async function signInAtProvider(page: Page, login: string): Promise<IdentityProviderPages> {
    await page.goto('/login')
    await page.getByRole('button', { name: 'Sign in with Test IdP' }).click()
    const provider = new IdentityProviderPages(page)
    await provider.waitForSignIn()
    await provider.signIn(login)
    return provider
  }

  it('signs in at the provider and lands in the chat, signed in', async () => {
    const { login, email } = newPerson()
    const { page } = await app.newPage()
    // Switchboard's own pages only: the provider's development pages fetch a web font and have no
    // favicon; the 401s are the app asking who is signed in before anyone is.
    const errors: string[] = []
    page.on('console', (msg) => {
      if (msg.type() !== 'error' || page.url().startsWith(idp.url)) return
      if (!/401|Unauthorized/.test(msg.text())) errors.push(`${msg.location().url}: ${msg.text()}`)
    })
    await page.goto('/login')
    await page.getByRole('button', { name: 'Sign in with Test IdP' }).waitFor()
    await screenshot(page, 'sso-login-page')
    const provider = await signInAtProvider(page, login)
    await screenshot(page, 'sso-provider-consent')
    await provider.allow()
    await page.waitForURL(/\/chat$/, WAIT)
    await page.getByRole('button', { name: 'Sign out' }).waitFor(WAIT)
    const me = await page.request.get('/api/auth/me')
    expect((await me.json()).user).toMatchObject({ email, role: 'admin' })
    await screenshot(page, 'sso-signed-in')
    expect(errors).toEqual([])
  })

  it('comes back to the sign-in page, saying so, when consent is denied', async () => {
    const { login } = newPerson()
    const { page } = await app.newPage()
    const provider = await signInAtProvider(page, login)
    await provider.deny()
    await page.waitForURL(/\/login\?error=access_denied$/, WAIT)
    await page
      .getByRole('alert')
      .filter({ hasText: 'The sign-in was cancelled at Test IdP' })
      .waitFor(WAIT)
    expect((await page.request.get('/api/auth/me')).status()).toBe(401)
    await screenshot(page, 'sso-consent-denied')
  })

  it('refuses a disabled account', async () => {
    const { login, email } = newPerson()
    const first = await app.newPage()
    const provider = await signInAtProvider(first.page, login)
    await provider.allow()
    await first.page.waitForURL(/\/chat$/, WAIT)

    // Disabled as better-auth's admin plugin does it (the user administration work's column).
    await sql`alter table users add column if not exists banned boolean default false`.execute(
      app.deps.db,
    )
    await sql`update users set banned = true where email = ${email}`.execute(app.deps.db)

    const { page } = await app.newPage()
    await signInAtProvider(page, login).then((again) => again.allow())
    await page.waitForURL(/\/login\?error=account_disabled$/, WAIT)
    await page.getByRole('alert').filter({ hasText: 'Your account is disabled' }).waitFor(WAIT)
    expect((await page.request.get('/api/auth/me')).status()).toBe(401)
    await screenshot(page, 'sso-account-disabled')
  })
})
