import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CONNECT_MESSAGE, linkAskingServer } from '../fixtures/mcp/link-server.ts'
import { type SdkHttpServer, startSdkHttpServer } from '../fixtures/mcp/sdk-http-server.ts'
import { LOOPBACK_POLICY, type RunningHttp, startEverything } from '../helpers/mcp-servers.ts'
import { testConfig } from '../helpers/test-config.ts'
import { type BrowserApp, HAS_CHROMIUM, screenshot, startBrowserApp } from './browser.ts'
import { findLowContrast } from './contrast.ts'
import { AppShell } from './pages/app-shell.ts'
import { AuthPages } from './pages/auth-pages.ts'
import { ElicitationDialog } from './pages/elicitation-dialog.ts'
import { ServersPage } from './pages/servers-page.ts'
import { ToolTesterPage } from './pages/tool-tester-page.ts'

const ASK = 'trigger-elicitation-request'
/** server-everything's title for its required `name` field. */
const NAME_FIELD = 'String (required)'

/**
 * A fresh user with a server added (server-everything unless told), on the tester of its tool
 * (`ASK` unless told); `serverId` is the server's.
 */
async function onTester(
  app: BrowserApp,
  serverUrl: string,
  { name = 'everything', tool = ASK }: { name?: string; tool?: string } = {},
) {
  const { page, errors } = await app.newPage()
  await page.setViewportSize({ width: 1280, height: 900 })
  await page.goto('/login')
  await new AuthPages(page).register(
    `e2e-elicitation-${Date.now()}@example.test`,
    'correct horse battery staple',
  )
  await page.waitForURL(/\/chat$/)
  const servers = new ServersPage(page)
  await new AppShell(page).goTo('Servers')
  await servers.openAddDialog()
  await servers.fillServer({ name, url: serverUrl })
  await servers.submitAdd()
  await servers.dialog().waitFor({ state: 'hidden', timeout: 15_000 })
  await expect.poll(() => servers.status(name)).toBe('Online')
  await servers.openTools(name)
  const serverId = new URL(page.url()).pathname.split('/')[2] ?? ''

  await page.getByRole('link', { name: `Try ${tool}`, exact: true }).click()
  const tester = new ToolTesterPage(page, tool)
  await tester.waitFor()
  return { page, errors, serverId, tester, question: new ElicitationDialog(page, name) }
}

/**
 * Starts a call of `ASK` from the page's own session, beside the tester: the open dialog keeps
 * the tester's Run button out of reach, and the app would send the same request.
 */
async function askFromPage(page: Page, serverId: string): Promise<void> {
  const status = await page.evaluate(
    async ({ serverId, toolName }) => {
      const response = await fetch('/api/chat/tool-call', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          serverId,
          toolName,
          arguments: {},
          mode: 'async',
          source: 'manual',
        }),
      })
      return response.status
    },
    { serverId, toolName: ASK },
  )
  expect(status).toBe(202)
}

describe.skipIf(!HAS_CHROMIUM)('servers asking the user (elicitation) in Chromium', () => {
  let everything: RunningHttp
  let links: SdkHttpServer

  beforeAll(async () => {
    ;[everything, links] = await Promise.all([
      startEverything('streamableHttp'),
      startSdkHttpServer(linkAskingServer),
    ])
  }, 60_000)

  afterAll(async () => {
    await Promise.all([everything?.close(), links?.close()])
  })

  describe('answered', () => {
    let app: BrowserApp

    beforeAll(async () => {
      // Loopback allowed: server-everything listens on 127.0.0.1.
      app = await startBrowserApp({ ssrf: LOOPBACK_POLICY })
    }, 180_000)

    afterAll(async () => {
      await app?.close()
    })

    it('asks in a dialog during a tool call: field errors, queued questions, submit, decline, cancel', async () => {
      const { page, errors, serverId, tester, question } = await onTester(app, everything.url)

      // The call asks: the server's message, a form from its schema with its defaults filled in.
      await tester.run()
      await question.dialog().waitFor({ timeout: 15_000 })
      await expect
        .poll(() => question.dialog().textContent())
        .toContain('Please provide inputs for the following fields:')
      expect(await question.asker().textContent()).toBe(
        'Asked while running trigger-elicitation-request',
      )
      expect(await question.position().count()).toBe(0)
      expect(await question.field('String with default').inputValue()).toBe(
        'It was a dark and stormy night.',
      )
      expect(await question.field('Integer').inputValue()).toBe('42')
      expect(await question.field('Titled Single Select Enum').inputValue()).not.toBe('')
      await expect
        .poll(() =>
          question.field('Titled Single Select Enum').locator('option:checked').textContent(),
        )
        .toBe('Superman')
      expect(await question.field('Guitar').isChecked()).toBe(true)
      expect(await question.field('Salmon').isChecked()).toBe(false)
      // Focus stays in the dialog: it starts on the first field.
      await expect
        .poll(() =>
          page.evaluate(() => document.activeElement?.closest('[role="dialog"]') !== null),
        )
        .toBe(true)

      // The required name left empty: the server's refusal lands on the field.
      await question.button('Submit').click()
      await expect
        .poll(() => question.field(NAME_FIELD).getAttribute('aria-invalid'), { timeout: 10_000 })
        .toBe('true')
      expect(await question.describedBy(question.field(NAME_FIELD))).toMatch(
        /^Your full, legal name Required\.$/,
      )

      // A second question meanwhile waits its turn behind the first.
      await askFromPage(page, serverId)
      await expect
        .poll(() => question.position().textContent(), { timeout: 15_000 })
        .toBe('Question 1 of 2')
      expect(await question.field(NAME_FIELD).getAttribute('aria-invalid')).toBe('true')
      await screenshot(page, 'elicitation-dialog')

      await question.field(NAME_FIELD).fill('Ada Lovelace')
      await question.field('Salmon').check()
      await question.button('Submit').click()
      await expect.poll(() => tester.status(), { timeout: 15_000 }).toBe('succeeded')
      // The second question's dialog may already be open over the page.
      const result = tester.result({ behindDialog: true })
      await expect.poll(() => result.textContent()).toContain('Name: Ada Lovelace')
      await expect.poll(() => result.textContent()).toContain('"fish-1"')
      await expect.poll(() => result.textContent()).toContain('"fish-2"')

      // The second question, now alone; Escape dismisses it (cancel).
      await expect.poll(() => question.position().count()).toBe(0)
      await question.dialog().waitFor()
      await expect.poll(() => question.field(NAME_FIELD).inputValue()).toBe('')
      await page.keyboard.press('Escape')
      await question.dialog().waitFor({ state: 'hidden', timeout: 10_000 })

      // Any page: a question asked while the user is in the settings comes to them there, and is
      // still waiting after a reload.
      const testerPath = new URL(page.url()).pathname
      await new AppShell(page).goTo('Settings')
      await askFromPage(page, serverId)
      await question.dialog().waitFor({ timeout: 15_000 })
      await page.reload()
      await question.dialog().waitFor({ timeout: 15_000 })
      await question.button('Cancel').click()
      await question.dialog().waitFor({ state: 'hidden', timeout: 10_000 })

      // Declined from the tester: the tool hears it and says so.
      await page.goto(testerPath)
      await tester.waitFor()
      await tester.run()
      await question.dialog().waitFor({ timeout: 15_000 })
      await question.button('Decline').click()
      await question.dialog().waitFor({ state: 'hidden', timeout: 10_000 })
      await expect.poll(() => tester.status(), { timeout: 15_000 }).toBe('succeeded')
      await expect.poll(() => tester.result().textContent()).toContain('declined')

      // The refused submit answers 400 on purpose; a 401 may come from the session probe.
      expect(errors.filter((e) => !/401|Unauthorized|status of 400/i.test(e))).toEqual([])
    }, 120_000)

    it('asks to open a link: its server and host shown first, opened in a new tab by the user', async () => {
      const link = 'https://accounts.example.test/connect?state=b7c1&scope=calendar.read'
      const { page, errors, tester, question } = await onTester(app, links.url, {
        name: 'calendar',
        tool: 'connect',
      })
      // The page behind the link, served here: this machine has no network.
      await page
        .context()
        .route('https://accounts.example.test/**', (route) =>
          route.fulfill({ contentType: 'text/html', body: '<title>Connected</title>Connected' }),
        )

      await tester.field('url').fill(link)
      await tester.run()
      await question.linkDialog().waitFor({ timeout: 15_000 })
      expect(await question.linkDialog().textContent()).toContain(CONNECT_MESSAGE)
      expect(await question.linkHost().textContent()).toBe('accounts.example.test')
      expect(await question.linkUrl().textContent()).toBe(link)
      expect(await question.openLink().getAttribute('href')).toBe(link)
      expect(await question.openLink().getAttribute('target')).toBe('_blank')
      expect(await question.openLink().getAttribute('rel')).toBe('noopener noreferrer')
      expect(await question.describedBy(question.openLink())).toBe('accounts.example.test')
      // Nothing opens by itself: the keyboard starts on Decline, not on the link.
      await expect
        .poll(() => page.evaluate(() => document.activeElement?.textContent))
        .toBe('Decline')
      expect(await findLowContrast(page, '[role="dialog"]')).toEqual([])
      await screenshot(page, 'elicitation-link')

      // A phone in the dark: everything readable, the long address wrapped inside the dialog.
      await page.setViewportSize({ width: 390, height: 844 })
      await page.emulateMedia({ colorScheme: 'dark' })
      await expect
        .poll(() => page.evaluate(() => document.documentElement.classList.contains('dark')))
        .toBe(true)
      expect(await findLowContrast(page, '[role="dialog"]')).toEqual([])
      const overflows = await question
        .linkDialog()
        .evaluate((dialog) => dialog.scrollWidth > dialog.clientWidth)
      expect(overflows).toBe(false)
      await screenshot(page, 'elicitation-link-phone-dark')
      await page.emulateMedia({ colorScheme: 'light' })
      await page.setViewportSize({ width: 1280, height: 900 })

      const opening = page.waitForEvent('popup')
      await question.openLink().click()
      const popup = await opening
      await popup.waitForLoadState()
      expect(popup.url()).toBe(link)
      // noopener: the new tab cannot reach back into Switchboard.
      expect(await popup.evaluate(() => window.opener)).toBeNull()
      await popup.close()
      await question.linkDialog().waitFor({ state: 'hidden', timeout: 10_000 })
      await expect.poll(() => tester.status(), { timeout: 15_000 }).toBe('succeeded')
      await expect.poll(() => tester.result().textContent()).toContain('link: accept')

      // Escape dismisses a link question too (cancel), and the tool hears it.
      await tester.run()
      await question.linkDialog().waitFor({ timeout: 15_000 })
      await page.keyboard.press('Escape')
      await question.linkDialog().waitFor({ state: 'hidden', timeout: 10_000 })
      await expect
        .poll(() => tester.result().textContent(), { timeout: 15_000 })
        .toContain('link: cancel')

      expect(errors.filter((e) => !/401|Unauthorized/i.test(e))).toEqual([])
    }, 120_000)
  })

  describe('left unanswered', () => {
    let app: BrowserApp

    beforeAll(async () => {
      const { toolCalls } = testConfig()
      app = await startBrowserApp({
        ssrf: LOOPBACK_POLICY,
        toolCalls: { ...toolCalls, elicitationTimeoutMs: 4_000 },
      })
    }, 180_000)

    afterAll(async () => {
      await app?.close()
    })

    it('closes the dialog and says the question expired', async () => {
      const { page, errors, tester, question } = await onTester(app, everything.url)
      await tester.run()
      await question.dialog().waitFor({ timeout: 15_000 })
      await question.dialog().waitFor({ state: 'hidden', timeout: 15_000 })
      await expect.poll(() => tester.toast(/The question expired/).isVisible()).toBe(true)
      await expect.poll(() => tester.status(), { timeout: 15_000 }).toBe('succeeded')
      await expect.poll(() => tester.result().textContent()).toContain('cancelled')
      await screenshot(page, 'elicitation-expired')
      expect(errors.filter((e) => !/401|Unauthorized/i.test(e))).toEqual([])
    }, 60_000)
  })
})
