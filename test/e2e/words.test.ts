import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest'
import {
  type FakeOpenRouter,
  httpError,
  startFakeOpenRouter,
} from '../fixtures/llm/fake-openrouter.ts'
import { closedPortUrl } from '../helpers/closed-port.ts'
import { LOOPBACK_POLICY, type RunningHttp, startEverything } from '../helpers/mcp-servers.ts'
import { testConfig } from '../helpers/test-config.ts'
import { type BrowserApp, HAS_CHROMIUM, screenshot, startBrowserApp } from './browser.ts'
import { AuthPages } from './pages/auth-pages.ts'

// Words for people, in their language (issue 11, item 7): a German reader gets the server's
// errors in German (a server that refuses connections, the model provider's refusal), reads no
// internal codes, and "Alle ausschalten" on a server's tools is one entry in the activity log.

const WAIT = { timeout: 15_000 }

describe.skipIf(!HAS_CHROMIUM)('words for people, in German, in Chromium', () => {
  let app: BrowserApp
  let fake: FakeOpenRouter
  let everything: RunningHttp

  beforeAll(async () => {
    fake = await startFakeOpenRouter()
    everything = await startEverything('streamableHttp')
    const { chat } = testConfig({
      OPENROUTER_API_KEY: 'sk-or-e2e-key',
      OPENROUTER_BASE_URL: fake.baseUrl,
    })
    app = await startBrowserApp({ chat, ssrf: LOOPBACK_POLICY })
  }, 180_000)

  afterAll(async () => {
    await app?.close()
    await fake?.close()
    await everything?.close()
  })

  /** Registered (in English, as the sign-up page opens), then switched to German. */
  async function germanPage(): Promise<{ page: Page; errors: string[] }> {
    const { page, errors } = await app.newPage()
    onTestFailed(async () => {
      await screenshot(page, 'words-german-failure').catch(() => {})
    })
    await page.goto('/login')
    await new AuthPages(page).register(
      `e2e-words-${Date.now()}@example.test`,
      'correct horse battery staple',
    )
    await page.waitForURL(/\/chat$/)
    await page.evaluate(() => window.localStorage.setItem('switchboard.language', 'de'))
    await page.reload()
    await page.getByRole('navigation', { name: 'Hauptnavigation' }).first().waitFor()
    return { page, errors }
  }

  it('says server and provider errors in German, and "Alle ausschalten" is one audit entry', async () => {
    const { page, errors } = await germanPage()
    const origin = new URL(page.url()).origin

    // A server that stops answering: its card says why, in German.
    const created = await page.request.post('/api/user/mcp-servers', {
      data: { name: 'everything', transport: 'streamable-http', url: everything.url },
      headers: { origin },
    })
    expect(created.status()).toBe(201)
    const server = (await created.json()) as { id: string }
    const gone = await page.request.post('/api/user/mcp-servers', {
      data: { name: 'weg', transport: 'streamable-http', url: everything.url },
      headers: { origin },
    })
    const goneId = ((await gone.json()) as { id: string }).id
    const moved = await page.request.patch(`/api/user/mcp-servers/${goneId}`, {
      data: { url: await closedPortUrl(), validate: false },
      headers: { origin },
    })
    expect(moved.status()).toBe(200)
    await page.getByRole('link', { name: 'Server', exact: true }).first().click()
    const card = page.getByRole('article', { name: 'weg', exact: true })
    await expect
      .poll(() => card.getByText(/Verbindung abgelehnt\)\. Läuft der Server\?/).isVisible(), WAIT)
      .toBe(true)
    expect(await card.textContent()).not.toMatch(/connection refused|upstream_|ECONNREFUSED/i)
    await screenshot(page, 'words-german-server-error')

    // "Alle ausschalten": every tool off with one request, one entry in the activity log.
    await page
      .getByRole('article', { name: 'everything', exact: true })
      .getByRole('link', { name: 'Tools von everything' })
      .click()
    await page.getByRole('button', { name: 'Alle angezeigten Tools ausschalten' }).click()
    await expect
      .poll(() => page.getByText(/^\d+ Tools ausgeschaltet\.$/).isVisible(), WAIT)
      .toBe(true)
    const audit = (await (await page.request.get('/api/user/audit?limit=100')).json()) as {
      entries: { action: string; details: Record<string, unknown> }[]
    }
    const switched = audit.entries.filter((entry) => entry.action.startsWith('tool.'))
    expect(switched.map((entry) => entry.action)).toEqual(['tool.disabled_all'])
    expect(switched[0]?.details).toMatchObject({ server: 'everything', count: expect.any(Number) })
    const tools = (await (
      await page.request.get(`/api/user/mcp-servers/${server.id}/tools`)
    ).json()) as { tools: { enabled: boolean }[] }
    expect(tools.tools.length).toBeGreaterThan(1)
    expect(tools.tools.every((tool) => !tool.enabled)).toBe(true)

    await page.getByRole('link', { name: 'Einstellungen', exact: true }).first().click()
    const row = page.getByRole('row').filter({ hasText: 'Tools ausgeschaltet' })
    await row.first().waitFor(WAIT)
    expect(await row.count()).toBe(1)
    expect(await row.textContent()).toMatch(
      new RegExp(`everything · ${tools.tools.length} Tools: `),
    )
    expect(await row.textContent()).not.toMatch(/\[object Object\]/)
    await screenshot(page, 'words-german-audit')

    // The model provider refuses (out of credits): the answer says so in German.
    fake.enqueue(httpError(402))
    await page.getByRole('link', { name: 'Chat', exact: true }).first().click()
    await page.getByRole('button', { name: 'Neue Unterhaltung' }).first().click()
    const composer = page.getByRole('textbox', { name: 'Nachricht', exact: true })
    await composer.fill('Hallo')
    await composer.press('Enter')
    const failed = page.locator('[data-message-error]').last()
    await failed.waitFor(WAIT)
    expect(await failed.textContent()).toMatch(
      /Das Guthaben beim Modellanbieter ist aufgebraucht\. Bitten Sie Ihren Administrator/,
    )
    expect(await failed.textContent()).not.toMatch(/out of credits|HTTP 402/)
    await screenshot(page, 'words-german-chat-error')
    // After a reload the stored answer still says it in German.
    await page.reload()
    await page.locator('[data-message-error]').last().waitFor(WAIT)
    expect(await page.locator('[data-message-error]').last().textContent()).toMatch(
      /Das Guthaben beim Modellanbieter ist aufgebraucht/,
    )
    // The same on a phone, in the dark theme.
    await page.emulateMedia({ colorScheme: 'dark' })
    await page.setViewportSize({ width: 390, height: 844 })
    await page.locator('[data-message-error]').last().scrollIntoViewIfNeeded()
    await screenshot(page, 'words-german-chat-error-phone-dark')

    expect(errors.filter((e) => !/401|402|Unauthorized|status of (422|502|504)/i.test(e))).toEqual(
      [],
    )
  }, 180_000)
})
