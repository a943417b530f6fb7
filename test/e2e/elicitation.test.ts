import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LOOPBACK_POLICY, type RunningHttp, startEverything } from '../helpers/mcp-servers.ts'
import { testConfig } from '../helpers/test-config.ts'
import { type BrowserApp, HAS_CHROMIUM, screenshot, startBrowserApp } from './browser.ts'
import { AppShell } from './pages/app-shell.ts'
import { AuthPages } from './pages/auth-pages.ts'
import { ElicitationDialog } from './pages/elicitation-dialog.ts'
import { ServersPage } from './pages/servers-page.ts'
import { ToolTesterPage } from './pages/tool-tester-page.ts'

const ASK = 'trigger-elicitation-request'
/** server-everything's title for its required `name` field. */
const NAME_FIELD = 'String (required)'

/**
 * A fresh user with server-everything added, on the tester of `ASK`; `serverId` is the server's.
 */
async function onTester(app: BrowserApp, everythingUrl: string) {
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
  await servers.fillServer({ name: 'everything', url: everythingUrl })
  await servers.submitAdd()
  await servers.dialog().waitFor({ state: 'hidden', timeout: 15_000 })
  await expect.poll(() => servers.status('everything')).toBe('Online')
  await servers.openTools('everything')
  const serverId = new URL(page.url()).pathname.split('/')[2] ?? ''

  await page.getByRole('link', { name: `Try ${ASK}`, exact: true }).click()
  const tester = new ToolTesterPage(page, ASK)
  await tester.waitFor()
  return { page, errors, serverId, tester, question: new ElicitationDialog(page, 'everything') }
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

  beforeAll(async () => {
    everything = await startEverything('streamableHttp')
  }, 60_000)

  afterAll(async () => {
    await everything?.close()
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
