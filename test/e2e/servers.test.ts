import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { closedPortUrl } from '../helpers/closed-port.ts'
import { LOOPBACK_POLICY, type RunningHttp, startEverything } from '../helpers/mcp-servers.ts'
import { type BrowserApp, HAS_CHROMIUM, screenshot, startBrowserApp } from './browser.ts'
import { AppShell } from './pages/app-shell.ts'
import { AuthPages } from './pages/auth-pages.ts'
import { ServersPage } from './pages/servers-page.ts'

let app: BrowserApp
let everything: RunningHttp

describe.skipIf(!HAS_CHROMIUM)('servers page in Chromium, against a real MCP server', () => {
  beforeAll(async () => {
    everything = await startEverything('streamableHttp')
    // Loopback allowed: both MCP servers of this test live on 127.0.0.1.
    app = await startBrowserApp({ ssrf: LOOPBACK_POLICY })
  }, 180_000)

  afterAll(async () => {
    await app?.close()
    await everything?.close()
  })

  async function signedInPage(): Promise<{ page: Page; errors: string[] }> {
    const { page, errors } = await app.newPage()
    await page.goto('/login')
    await new AuthPages(page).register(
      `e2e-servers-${Date.now()}@example.test`,
      'correct horse battery staple',
    )
    await page.waitForURL(/\/chat$/)
    return { page, errors }
  }

  it('adds a server, switches a tool off, tests it, keeps an unreachable one and deletes it', async () => {
    const { page, errors } = await signedInPage()
    const servers = new ServersPage(page)

    await new AppShell(page).goTo('Servers')
    await servers.emptyState().waitFor()
    await screenshot(page, 'servers-empty')

    // Escape closes the dialog without saving anything.
    await servers.openAddDialog()
    await page.keyboard.press('Escape')
    await servers.dialog().waitFor({ state: 'hidden' })

    await servers.openAddDialog()
    await servers.fillServer({ name: 'everything', url: everything.url })
    await screenshot(page, 'servers-add-dialog')
    await servers.submitAdd()
    await servers.dialog().waitFor({ state: 'hidden', timeout: 15_000 })

    const card = servers.card('everything')
    await card.waitFor()
    await expect.poll(() => servers.status('everything')).toBe('Online')
    const [, total, enabled] = (await servers.toolCount('everything'))?.match(
      /^(\d+) tools, (\d+) enabled$/,
    ) ?? ['', '0', '0']
    expect(Number(total)).toBeGreaterThan(1)
    expect(enabled).toBe(total)
    await expect.poll(() => card.getByText(/Checked (now|\d+ seconds? ago)/).isVisible()).toBe(true)
    await screenshot(page, 'servers-online')

    // The tools page: switch echo off and watch the counts follow.
    await servers.openTools('everything')
    const echo = servers.toolSwitch('echo')
    await expect.poll(() => echo.getAttribute('aria-checked')).toBe('true')
    await screenshot(page, 'servers-tools')
    await echo.click()
    await expect.poll(() => echo.getAttribute('aria-checked')).toBe('false')
    const fewer = `${total} tools, ${Number(total) - 1} enabled`
    await expect.poll(() => servers.toolsSummary()).toBe(fewer)
    await expect.poll(() => servers.toolCount('everything')).toBe(fewer)

    await servers.testConnection('everything')
    await expect
      .poll(() => servers.toast(/everything answered in \d+ ms with \d+ tools/).isVisible())
      .toBe(true)
    await expect
      .poll(() =>
        card
          .getByRole('status')
          .filter({ hasText: /Connected in \d+ ms/ })
          .isVisible(),
      )
      .toBe(true)
    await screenshot(page, 'servers-tested')

    await servers.backToList()
    await expect.poll(() => servers.toolCount('everything')).toBe(fewer)

    // A server that refuses connections: the check fails and says so next to the URL.
    await servers.openAddDialog()
    await servers.fillServer({ name: 'unreachable', url: await closedPortUrl() })
    await page.keyboard.press('Enter')
    await expect.poll(() => servers.urlError(), { timeout: 15_000 }).toMatch(/connection refused/i)
    expect(await servers.urlInvalid()).toBe('true')
    await expect.poll(() => servers.saveAnywayButton().isVisible()).toBe(true)
    await servers.saveAnywayButton().scrollIntoViewIfNeeded()
    await screenshot(page, 'servers-add-refused')

    await servers.saveAnywayButton().click()
    await servers.dialog().waitFor({ state: 'hidden', timeout: 15_000 })
    await expect.poll(() => servers.status('unreachable')).toBe('Offline')
    await expect.poll(() => servers.lastError('unreachable').isVisible()).toBe(true)
    await screenshot(page, 'servers-offline')

    // A change made elsewhere (here: a program using the API) reaches the open page over
    // /api/events, with no reload.
    const list = await (await page.request.get('/api/user/mcp-servers')).json()
    const unreachable = list.servers.find((s: { name: string }) => s.name === 'unreachable')
    const moved = await page.request.patch(`/api/user/mcp-servers/${unreachable.id}`, {
      data: { url: everything.url },
      headers: { origin: new URL(page.url()).origin },
    })
    expect(moved.status()).toBe(200)
    await expect.poll(() => servers.status('unreachable')).toBe('Online')

    await servers.deleteServer('unreachable')
    await servers.card('unreachable').waitFor({ state: 'detached' })
    await expect.poll(() => servers.toast(/unreachable deleted/).isVisible()).toBe(true)
    await expect.poll(() => servers.card('everything').isVisible()).toBe(true)
    await screenshot(page, 'servers-after-delete')

    // Phone width: the same list, wrapped.
    await page.setViewportSize({ width: 390, height: 844 })
    await screenshot(page, 'servers-phone')

    // The failed check answers 4xx/5xx on purpose (a 401 may come from the session probe).
    expect(errors.filter((e) => !/401|Unauthorized|status of (422|502|504)/i.test(e))).toEqual([])
  }, 120_000)

  it("browses a server's resources, reads one, and reads text and bytes from its templates", async () => {
    const { page, errors } = await signedInPage()
    const servers = new ServersPage(page)
    const created = await page.request.post('/api/user/mcp-servers', {
      data: { name: 'readable', transport: 'streamable-http', url: everything.url },
      headers: { origin: new URL(page.url()).origin },
    })
    expect(created.status()).toBe(201)
    await new AppShell(page).goTo('Servers')
    await servers.openTools('readable')

    const list = page.getByRole('list', { name: 'Resources of readable' })
    await list.waitFor()
    const rows = list.getByRole('listitem')
    expect(await rows.count()).toBeGreaterThan(0)
    await list.scrollIntoViewIfNeeded()
    await screenshot(page, 'server-resources')

    // A listed resource: what the server holds for it now, in a dialog.
    await rows
      .first()
      .getByRole('button', { name: /^Open / })
      .click()
    const dialog = page.getByRole('dialog', { name: 'Resource' })
    await dialog.waitFor()
    await dialog.getByTestId('resource-contents').waitFor()
    await screenshot(page, 'server-resource-preview')
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'hidden' })

    // A template, filled in: text made by the server for this id.
    const textTemplate = page
      .getByRole('listitem')
      .filter({ hasText: 'demo://resource/dynamic/text/{resourceId}' })
    await textTemplate.getByLabel('resourceId').fill('7')
    await textTemplate.getByRole('button', { name: /^Read / }).click()
    await dialog.getByText(/Resource 7: This is a plaintext resource/).waitFor()
    await screenshot(page, 'server-resource-template-text')
    await page.keyboard.press('Escape')

    // Bytes: offered as a download, never run or shown as text.
    const blobTemplate = page
      .getByRole('listitem')
      .filter({ hasText: 'demo://resource/dynamic/blob/{resourceId}' })
    await blobTemplate.getByLabel('resourceId').fill('3')
    await page.keyboard.press('Enter')
    await dialog.getByRole('link', { name: /Download/ }).waitFor()
    await page.keyboard.press('Escape')

    // A URI the server does not know: its answer, in words, and the page stays usable.
    await textTemplate.getByLabel('resourceId').fill('not-a-number')
    await textTemplate.getByRole('button', { name: /^Read / }).click()
    await dialog.getByRole('alert').waitFor()
    await screenshot(page, 'server-resource-error')
    await page.keyboard.press('Escape')
    // The session probe before sign-in answers 401; the unknown URI 4xx/5xx on purpose.
    expect(errors.filter((e) => !/401|Unauthorized|status of (422|502|504)/i.test(e))).toEqual([])
  }, 120_000)

  it('asks for the token again when the URL of a server with one changes', async () => {
    const { page, errors } = await signedInPage()
    const servers = new ServersPage(page)
    const origin = new URL(page.url()).origin
    const created = await page.request.post('/api/user/mcp-servers', {
      data: {
        name: 'tokened',
        transport: 'streamable-http',
        url: everything.url,
        auth: { type: 'bearer', token: 'e2e-token-123' },
      },
      headers: { origin },
    })
    expect(created.status()).toBe(201)
    await new AppShell(page).goTo('Servers')
    await servers.openEditDialog('tokened')
    expect(await servers.secretsStayBehindNotice().isVisible()).toBe(false)
    expect(await servers.tokenField().getAttribute('placeholder')).toMatch(/set/)

    // The same server under another address: the stored token would not go with it.
    await servers.dialog().getByLabel('URL', { exact: true }).fill(`${everything.url}?moved=1`)
    await servers.secretsStayBehindNotice().waitFor()
    expect(await servers.tokenField().getAttribute('placeholder')).toBeNull()
    await screenshot(page, 'servers-url-changed-token')
    await servers.dialog().getByRole('button', { name: 'Save changes' }).click()
    await expect.poll(() => servers.tokenField().getAttribute('aria-invalid')).toBe('true')

    await servers.tokenField().fill('e2e-token-456')
    await servers.dialog().getByRole('button', { name: 'Save changes' }).click()
    await servers.dialog().waitFor({ state: 'hidden', timeout: 15_000 })
    const list = await (await page.request.get('/api/user/mcp-servers')).json()
    const saved = list.servers.find((s: { name: string }) => s.name === 'tokened')
    expect(saved.url).toBe(`${everything.url}?moved=1`)
    expect(saved.auth).toEqual({ type: 'bearer', secretSet: true })
    expect(errors.filter((e) => !/401|Unauthorized/i.test(e))).toEqual([])
  }, 120_000)
})
