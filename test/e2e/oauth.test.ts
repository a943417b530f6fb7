import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  startAuthorizationServer,
  type TestAuthorizationServer,
} from '../fixtures/oauth/authorization-server.ts'
import {
  type ProtectedMcpServer,
  startProtectedMcpServer,
} from '../fixtures/oauth/protected-mcp-server.ts'
import { LOOPBACK_POLICY } from '../helpers/mcp-servers.ts'
import { type BrowserApp, HAS_CHROMIUM, screenshot, startBrowserApp } from './browser.ts'
import { AuthPages } from './pages/auth-pages.ts'
import { ServersPage } from './pages/servers-page.ts'

// The OAuth "Connect" round trip in a real browser: our app -> the test authorization server
// (which approves at once) -> our callback -> back on the servers page, connected.
let app: BrowserApp
let as: TestAuthorizationServer
let mcp: ProtectedMcpServer

/** Polls get time: the machine running the suite may be busy. */
const WAIT = { timeout: 15_000 }

describe.skipIf(!HAS_CHROMIUM)('OAuth Connect in Chromium', () => {
  beforeAll(async () => {
    as = await startAuthorizationServer()
    mcp = await startProtectedMcpServer(as)
    app = await startBrowserApp({ ssrf: LOOPBACK_POLICY })
  }, 180_000)

  afterAll(async () => {
    await app?.close()
    await mcp?.close()
    await as?.close()
  })

  it('signs in to an OAuth-protected server and comes back connected', async () => {
    const { page, errors } = await app.newPage()
    await page.goto('/login')
    await new AuthPages(page).register(
      `e2e-oauth-${Date.now()}@example.test`,
      'correct horse battery staple',
    )
    await page.waitForURL(/\/chat$/)

    // Added through the API the page itself uses; the add dialog has its own test.
    const added = await page.request.post('/api/user/mcp-servers', {
      data: {
        name: 'protected',
        transport: 'streamable-http',
        url: mcp.url,
        auth: { type: 'oauth' },
      },
      headers: { origin: app.url },
    })
    expect(added.status()).toBe(201)

    const servers = new ServersPage(page)
    await page.goto('/servers')
    await expect.poll(() => servers.status('protected'), WAIT).toBe('Needs sign-in')
    await screenshot(page, 'oauth-needs-sign-in')

    // Counted from here: a retried attempt (CI) starts with the first one's exchange done.
    const exchangesBefore = as.counters.codeExchanges
    await page.getByRole('button', { name: 'Sign in to protected with OAuth' }).click()
    await page.waitForURL(/\/servers$/)
    // The toast follows the finish request, which a busy machine may take seconds to answer
    // (expect.poll gives up after 1 s unless told otherwise).
    await expect
      .poll(() => page.getByText('Signed in: the server is connected.').isVisible(), WAIT)
      .toBe(true)
    await expect.poll(() => servers.status('protected'), WAIT).toBe('Online')
    await screenshot(page, 'oauth-connected')
    expect(as.counters.codeExchanges - exchangesBefore).toBe(1)
    // the 401 of the first check is expected; nothing else may fail
    expect(errors.filter((e) => !/401|Unauthorized/i.test(e))).toEqual([])
  })
})
