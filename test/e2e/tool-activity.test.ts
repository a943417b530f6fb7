import { mkdirSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest'
import {
  type FakeOpenRouter,
  startFakeOpenRouter,
  text,
  toolCall,
} from '../fixtures/llm/fake-openrouter.ts'
import { LOOPBACK_POLICY, type RunningHttp, startEverything } from '../helpers/mcp-servers.ts'
import { testConfig } from '../helpers/test-config.ts'
import { type BrowserApp, HAS_CHROMIUM, SCREENSHOT_DIR, startBrowserApp } from './browser.ts'
import { AppShell } from './pages/app-shell.ts'
import { AuthPages } from './pages/auth-pages.ts'
import { ChatPage } from './pages/chat-page.ts'
import { ServersPage } from './pages/servers-page.ts'

// Tool activity a user can trust: what a tool will do before it runs, the arguments they are
// asked to approve, a question that can no longer be answered, and a call that takes a while.
const fn = (tool: string) => `everything__${tool}`

async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true })
  await page.screenshot({ path: `${SCREENSHOT_DIR}/${name}.png` })
}

describe.skipIf(!HAS_CHROMIUM)('tool activity in the chat and on the servers page', () => {
  let app: BrowserApp
  let everything: RunningHttp
  let fake: FakeOpenRouter

  beforeAll(async () => {
    ;[fake, everything] = await Promise.all([
      startFakeOpenRouter(),
      startEverything('streamableHttp'),
    ])
    const { chat } = testConfig({
      OPENROUTER_API_KEY: 'sk-or-e2e-key',
      OPENROUTER_BASE_URL: fake.baseUrl,
    })
    app = await startBrowserApp({ ssrf: LOOPBACK_POLICY, chat })
  }, 180_000)

  afterAll(async () => {
    await app?.close()
    await everything?.close()
    await fake?.close()
  })

  it('says per tool whether it asks first, shows the arguments to approve as fields, closes a question left behind, and times a long call', async () => {
    const { page, errors } = await app.newPage()
    onTestFailed(async () => {
      await screenshot(page, 'tool-activity-failure').catch(() => {})
    })
    await page.setViewportSize({ width: 1280, height: 1000 })
    await page.goto('/login')
    await new AuthPages(page).register(
      `e2e-tools-${Date.now()}@example.test`,
      'correct horse battery staple',
    )
    await page.waitForURL(/\/chat$/)
    const shell = new AppShell(page)
    const servers = new ServersPage(page)
    const chat = new ChatPage(page)

    // Each tool says what its current policy means for it.
    await shell.goTo('Servers')
    await servers.openAddDialog()
    await servers.fillServer({ name: 'everything', url: everything.url })
    await servers.submitAdd()
    await servers.dialog().waitFor({ state: 'hidden', timeout: 15_000 })
    await servers.openTools('everything')
    const row = (name: string) => page.locator(`article[data-tool="${name}"]`)
    const verdict = (name: string) => row(name).locator('[data-approval]').textContent()
    // echo is read-only: runs under "Automatic"; toggle-simulated-logging is not: asks.
    await expect.poll(() => verdict('echo')).toBe('Runs without asking')
    await expect.poll(() => verdict('toggle-simulated-logging')).toBe('Asks first')
    await page.getByLabel('Approval for echo', { exact: true }).selectOption('always')
    await expect.poll(() => verdict('echo')).toBe('Asks first')
    await expect
      .poll(() => row('echo').getByText('Every call waits until you approve it.').isVisible())
      .toBe(true)
    await screenshot(page, 'tool-activity-rows')
    // The long operation runs without asking, so its card shows it running.
    await page
      .getByLabel('Approval for trigger-long-running-operation', { exact: true })
      .selectOption('never')
    await expect.poll(() => verdict('trigger-long-running-operation')).toBe('Runs without asking')

    // The arguments to approve, as fields; the JSON one click away.
    await shell.goTo('Chat')
    await chat.newConversation()
    // Only the call: the next request is the new message, not an answer to the approval.
    fake.enqueue(toolCall(fn('echo'), { message: 'send the report to finance' }))
    await chat.send('Echo the plan')
    const echo = chat.toolCards('echo').first()
    await expect.poll(() => chat.cardState(echo), { timeout: 15_000 }).toBe('approval')
    const field = echo.locator('[data-field="message"]')
    await expect.poll(() => field.isVisible()).toBe(true)
    expect(await field.textContent()).toContain('send the report to finance')
    await echo.getByRole('button', { name: 'Show JSON', exact: true }).click()
    await expect
      .poll(() => echo.locator('[data-arguments="json"]').textContent())
      .toContain('"message": "send the report to finance"')
    await screenshot(page, 'tool-activity-approval')

    // A new message instead of an answer: the question is closed, with no live Approve button.
    fake.enqueue(text('Sure, something else then.'))
    await chat.send('Never mind, tell me something else')
    await chat.answers().getByText('Sure, something else then.').waitFor()
    await expect.poll(() => chat.cardState(echo), { timeout: 10_000 }).toBe('superseded')
    expect(await echo.getByRole('button', { name: 'Approve', exact: true }).count()).toBe(0)
    await echo.getByText(/Not answered: you sent a new message instead/).waitFor()
    await page.reload()
    await expect.poll(() => chat.cardState(echo), { timeout: 10_000 }).not.toBe('approval')
    await screenshot(page, 'tool-activity-superseded')

    // A call that takes a while shows how long it has been running, and its progress.
    fake.enqueue(
      toolCall(fn('trigger-long-running-operation'), { duration: 5, steps: 5 }),
      text('That took a while.'),
    )
    await chat.send('Run the long operation')
    const long = chat.toolCards('trigger-long-running-operation').first()
    await expect
      .poll(() => long.locator('[data-elapsed]').getAttribute('data-elapsed'), { timeout: 15_000 })
      .toMatch(/^[2-9]$/)
    expect(await long.getByText(/^Running for \d+ sec$/).count()).toBe(1)
    await screenshot(page, 'tool-activity-running')
    await expect.poll(() => chat.cardState(long), { timeout: 20_000 }).toBe('succeeded')
    await chat.answers().getByText('That took a while.').waitFor()

    expect(errors.filter((e) => !/401|Unauthorized/i.test(e))).toEqual([])
  }, 180_000)
})
