import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LOOPBACK_POLICY, type RunningHttp, startEverything } from '../helpers/mcp-servers.ts'
import { type BrowserApp, HAS_CHROMIUM, screenshot, startBrowserApp, WEB_DIR } from './browser.ts'
import { recordViolations } from './csp-violations.ts'
import { AdminPage } from './pages/admin-page.ts'
import { AppShell } from './pages/app-shell.ts'
import { AuthPages } from './pages/auth-pages.ts'
import { ChatPage } from './pages/chat-page.ts'
import { ServersPage } from './pages/servers-page.ts'
import { ToolCallsPage } from './pages/tool-calls-page.ts'
import { ToolTesterPage } from './pages/tool-tester-page.ts'

let app: BrowserApp
let everything: RunningHttp

describe.skipIf(!HAS_CHROMIUM)('Content-Security-Policy in Chromium', () => {
  beforeAll(async () => {
    everything = await startEverything('streamableHttp')
    // Loopback allowed: server-everything listens on 127.0.0.1.
    app = await startBrowserApp({ ssrf: LOOPBACK_POLICY })
  }, 180_000)

  afterAll(async () => {
    await app?.close()
    await everything?.close()
  })

  it('builds an index.html with no inline script to allow', () => {
    const index = readFileSync(`${WEB_DIR}/index.html`, 'utf8')
    const scripts = [...index.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)]
    expect(scripts.length).toBeGreaterThan(0)
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/\bsrc="\/[^/]/) // a file of ours
      expect(body?.trim()).toBe('')
    }
    expect(index).not.toMatch(/<style\b|\sstyle="|\son[a-z]+="/i)
  })

  it('runs the whole app and the API reference without a single violation', async () => {
    const context = await app.browser.newContext({ baseURL: app.url })
    const violations = await recordViolations(context)
    const page = await context.newPage()
    const errors: string[] = []
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(msg.text())
    })
    page.on('pageerror', (error) => errors.push(error.message))

    const first = await page.goto('/')
    expect(first?.headers()['content-security-policy']).toMatch(/script-src 'self'(;|$)/)
    await page.waitForURL(/\/login/)
    await new AuthPages(page).register(
      `e2e-csp-${Date.now()}@example.test`,
      'correct horse battery staple',
    )
    await page.waitForURL(/\/chat$/)
    const shell = new AppShell(page)

    // Chat: a new conversation with its composer.
    const chat = new ChatPage(page)
    await chat.newConversation()
    await chat.composer().waitFor()

    // Servers: the add dialog (Radix locks the page's scroll while it is open), a live server.
    const servers = new ServersPage(page)
    await shell.goTo('Servers')
    await servers.openAddDialog()
    await servers.fillServer({ name: 'everything', url: everything.url })
    await servers.submitAdd()
    await servers.dialog().waitFor({ state: 'hidden', timeout: 15_000 })
    await expect.poll(() => servers.status('everything'), { timeout: 15_000 }).toBe('Online')

    // The tester, with a result that is an image from base64 data (img-src data:).
    await servers.openTools('everything')
    await page.getByRole('link', { name: 'Try get-tiny-image', exact: true }).click()
    const tester = new ToolTesterPage(page, 'get-tiny-image')
    await tester.waitFor()
    await tester.run()
    await expect.poll(() => tester.status(), { timeout: 15_000 }).toBe('succeeded')
    await expect.poll(() => tester.toast(/finished in/).isVisible()).toBe(true)
    const image = tester.result().getByRole('img').first()
    await image.waitFor()
    await expect
      .poll(() => image.evaluate((img) => (img as HTMLImageElement).naturalWidth))
      .toBeGreaterThan(0)
    await screenshot(page, 'csp-tester-image')

    // Tool calls: the charts (recharts) drawn from the call just made.
    const calls = new ToolCallsPage(page)
    await shell.goTo('Tool calls')
    await calls.rows('get-tiny-image').first().waitFor()
    await expect.poll(() => calls.charts().count(), { timeout: 15_000 }).toBeGreaterThan(0)
    await expect.poll(() => calls.charts().first().locator('svg').count()).toBeGreaterThan(0)
    await screenshot(page, 'csp-tool-calls')

    // Settings: a token, its one-time dialog and the toast.
    await shell.goTo('Settings')
    await page.getByLabel('Token name').fill('csp check')
    await page.getByRole('button', { name: 'Create token' }).click()
    const secret = page.getByRole('dialog', { name: 'Copy your new token' })
    await secret.waitFor()
    await secret.getByRole('button', { name: 'Done' }).click()
    await secret.waitFor({ state: 'hidden' })

    // Admin (the first account is one): more charts.
    await page.goto('/admin')
    const admin = new AdminPage(page)
    await admin.heading().waitFor()
    await admin.users().waitFor()
    await screenshot(page, 'csp-admin')

    // The API reference: Swagger UI renders the operations and opens one.
    const docs = await page.goto('/api/docs')
    expect(docs?.headers()['content-security-policy']).toMatch(/script-src 'self'(;|$)/)
    await page
      .getByRole('heading', { name: /Switchboard API/ })
      .first()
      .waitFor()
    const operation = page.locator('.opblock-summary').first()
    await operation.waitFor({ timeout: 15_000 })
    await operation.click()
    await page.locator('.opblock-body').first().waitFor()
    await screenshot(page, 'csp-api-docs')

    expect(violations).toEqual([])
    // 401s from probing the session before sign-in are expected; nothing else may fail.
    expect(errors.filter((e) => !/401|Unauthorized/i.test(e))).toEqual([])
    await context.close()
  }, 120_000)
})
