import { mkdirSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest'
import {
  type FakeOpenRouter,
  httpError,
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
import { ToolCallsPage } from './pages/tool-calls-page.ts'

const PASSWORD = 'correct horse battery staple'
const LONG = 'trigger-long-running-operation'
const OTHER_MODEL = { id: 'fake/other-model', label: 'Other model' }

/** The function name the model sees for a tool of the `everything` server. */
const fn = (tool: string) => `everything__${tool}`

/** A fresh user, signed in, on /chat. */
async function registered(app: BrowserApp, label: string) {
  const { page, errors } = await app.newPage()
  await page.setViewportSize({ width: 1280, height: 1000 })
  await page.goto('/login')
  await new AuthPages(page).register(`e2e-${label}-${Date.now()}@example.test`, PASSWORD)
  await page.waitForURL(/\/chat$/)
  return { page, errors }
}

/**
 * What the window shows, not the full page: the chat scrolls the window with the composer stuck
 * to its bottom, and a full-page capture draws sticky parts in the middle of the page.
 */
async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true })
  await page.screenshot({ path: `${SCREENSHOT_DIR}/${name}.png` })
}

/** Screenshots the page when the running test fails, under `name`. */
function screenshotOnFailure(page: Page, name: string) {
  onTestFailed(async () => {
    await screenshot(page, `${name}-failure`).catch(() => {})
  })
}

describe.skipIf(!HAS_CHROMIUM)(
  'chat in Chromium, with the fake model and a real MCP server',
  () => {
    let app: BrowserApp
    let everything: RunningHttp
    let fake: FakeOpenRouter

    beforeAll(async () => {
      ;[fake, everything] = await Promise.all([
        startFakeOpenRouter(),
        startEverything('streamableHttp'),
      ])
      // The chat settings the real loader makes of OpenRouter's env, pointed at the fake, with a
      // second model to pick.
      const { chat } = testConfig({
        OPENROUTER_API_KEY: 'sk-or-e2e-key',
        OPENROUTER_BASE_URL: fake.baseUrl,
      })
      app = await startBrowserApp({
        ssrf: LOOPBACK_POLICY,
        chat: { ...chat, models: [...chat.models, OTHER_MODEL] },
      })
    }, 180_000)

    afterAll(async () => {
      await app?.close()
      await everything?.close()
      await fake?.close()
    })

    it('calls tools while it answers, asks before one that needs approval, and keeps it all', async () => {
      // It counts the model's requests: a retry must start from none.
      fake.reset()
      const { page, errors } = await registered(app, 'chat')
      screenshotOnFailure(page, 'chat')
      const chat = new ChatPage(page)
      const shell = new AppShell(page)

      // No servers yet: the chat says so and points to them.
      await page.getByText('No conversations yet', { exact: true }).waitFor()
      await page.getByRole('main').getByRole('link', { name: 'Add an MCP server' }).waitFor()
      await screenshot(page, 'chat-empty')

      // A server, and get-sum (read-only, so normally asked for) set to always ask.
      const servers = new ServersPage(page)
      await shell.goTo('Servers')
      await servers.openAddDialog()
      await servers.fillServer({ name: 'everything', url: everything.url })
      await servers.submitAdd()
      await servers.dialog().waitFor({ state: 'hidden', timeout: 15_000 })
      await expect.poll(() => servers.status('everything')).toBe('Online')
      await servers.openTools('everything')
      const serverId = new URL(page.url()).pathname.split('/').at(-1)
      await page.getByLabel('Approval for get-sum', { exact: true }).selectOption('always')
      await expect.poll(() => chat.toast(/Approval for get-sum set to/).isVisible()).toBe(true)

      // A conversation on the second model.
      await shell.goTo('Chat')
      const conversationId = await chat.newConversation()
      await page.getByText('Ask anything', { exact: true }).waitFor()
      await chat.modelPicker().pick(OTHER_MODEL.id)
      await expect
        .poll(() => chat.toast(/This conversation now uses Other model/).isVisible())
        .toBe(true)

      // Turn 1: the model calls echo, reads the result and answers.
      fake.enqueue(
        toolCall(fn('echo'), { message: 'hello from the chat' }, { delayMs: 20 }),
        text('The server echoed ', 'your words back.'),
      )
      await chat.send('Please echo "hello from the chat"')
      const echo = chat.toolCards('echo').first()
      await expect.poll(() => chat.cardState(echo), { timeout: 15_000 }).toBe('succeeded')
      await expect
        .poll(() => chat.result(echo).textContent())
        .toContain('Echo: hello from the chat')
      await echo.getByText('Arguments', { exact: true }).click()
      // As fields first (name and value), the raw JSON one click away.
      const args = chat.fold(echo, 'Arguments')
      await expect
        .poll(() => args.locator('[data-field="message"]').textContent())
        .toContain('hello from the chat')
      await args.getByRole('button', { name: 'Show JSON', exact: true }).click()
      await expect.poll(() => args.textContent()).toContain('"message": "hello from the chat"')
      await chat.answers().getByText('The server echoed your words back.').waitFor()
      await expect.poll(() => chat.sendButton().isVisible()).toBe(true)
      expect(fake.requests[0]?.body.model).toBe(OTHER_MODEL.id)
      expect(fake.toolNames(0)).toContain(fn('echo'))
      // The conversation is titled after its first message.
      await expect.poll(() => chat.threadTitle().textContent()).toContain('Please echo')
      await screenshot(page, 'chat-echo')

      // Turn 2: get-sum waits for approval, then runs.
      fake.enqueue(toolCall(fn('get-sum'), { a: 2, b: 3 }), text('2 and 3 make 5.'))
      await chat.send('What is 2 + 3?')
      const sum = chat.toolCards('get-sum').first()
      await expect.poll(() => chat.cardState(sum), { timeout: 15_000 }).toBe('approval')
      await sum.getByText('The model wants to run get-sum on everything. Allow it?').waitFor()
      expect(fake.requests).toHaveLength(3)
      // The question survives a reload, and is answered from there.
      await page.reload()
      await expect.poll(() => chat.cardState(sum), { timeout: 10_000 }).toBe('approval')
      await screenshot(page, 'chat-approval')
      await sum.getByRole('button', { name: 'Approve', exact: true }).click()
      await expect.poll(() => chat.cardState(sum), { timeout: 15_000 }).toBe('succeeded')
      await expect.poll(() => chat.result(sum).textContent()).toContain('The sum of 2 and 3 is 5')
      await chat.answers().getByText('2 and 3 make 5.').waitFor()
      await screenshot(page, 'chat-approved')

      // "Always allow": toggle-simulated-logging (not read-only) asks; the answer also stops that.
      fake.enqueue(toolCall(fn('toggle-simulated-logging'), {}), text('Logging is toggled.'))
      await chat.send('Toggle the logging')
      const logging = chat.toolCards('toggle-simulated-logging').first()
      await expect.poll(() => chat.cardState(logging), { timeout: 15_000 }).toBe('approval')
      await logging.getByRole('button', { name: 'Always allow', exact: true }).click()
      await expect
        .poll(() => chat.toast(/toggle-simulated-logging now runs without asking/).isVisible())
        .toBe(true)
      await expect.poll(() => chat.cardState(logging), { timeout: 15_000 }).toBe('succeeded')
      await chat.answers().getByText('Logging is toggled.').waitFor()
      const tools = await (await page.request.get(`/api/user/mcp-servers/${serverId}/tools`)).json()
      expect(
        tools.tools.find((tool: { name: string }) => tool.name === 'toggle-simulated-logging'),
      ).toMatchObject({ approvalPolicy: 'never' })

      // Deny: the model is told and carries on without the tool.
      fake.enqueue(toolCall(fn('get-sum'), { a: 1, b: 1 }), text('Fine, no sums then.'))
      await chat.send('And 1 + 1?')
      const denied = chat.toolCards('get-sum').nth(1)
      await expect.poll(() => chat.cardState(denied), { timeout: 15_000 }).toBe('approval')
      await denied.getByRole('button', { name: 'Deny', exact: true }).click()
      await chat.answers().getByText('Fine, no sums then.').waitFor()
      expect(await chat.cardState(denied)).toBe('denied')
      expect(JSON.stringify(fake.requests.at(-1)?.body.messages.at(-1))).toMatch(/denied/i)

      // Shift+Enter starts a new line; only Enter sends.
      await chat.composer().fill('line one')
      await chat.composer().press('Shift+Enter')
      await chat.composer().pressSequentially('line two')
      expect(await chat.composer().inputValue()).toBe('line one\nline two')
      await chat.composer().fill('')

      // Turn 3: a long tool shows its progress while it runs.
      fake.enqueue(toolCall(fn(LONG), { duration: 3, steps: 3 }), text('That took a while.'))
      await chat.send('Run the long operation')
      const long = chat.toolCards(LONG).first()
      const seen = new Set<number>()
      await expect
        .poll(
          async () => {
            const value = await chat.progressValue(long)
            if (value !== null) seen.add(value)
            return seen.size > 0 || (await chat.cardState(long)) === 'succeeded'
          },
          { timeout: 15_000, interval: 100 },
        )
        .toBe(true)
      await screenshot(page, 'chat-progress')
      await expect.poll(() => chat.cardState(long), { timeout: 20_000 }).toBe('succeeded')
      expect(seen.size).toBeGreaterThan(0)
      await chat.answers().getByText('That took a while.').waitFor()

      // Turn 4: Stop while a long tool runs: the card and the answer say it was stopped.
      fake.enqueue(toolCall(fn(LONG), { duration: 30, steps: 30 }))
      await chat.send('Run it again, for longer')
      const stopped = chat.toolCards(LONG).nth(1)
      await expect.poll(() => chat.cardState(stopped), { timeout: 15_000 }).toBe('running')
      await chat.stopButton().click()
      await expect.poll(() => chat.cardState(stopped)).toBe('interrupted')
      await page.getByText('You stopped this answer.').waitFor()
      await screenshot(page, 'chat-stopped')

      // The provider refuses: the answer says so, in place, and the chat stays usable.
      fake.enqueue(httpError(401))
      await chat.send('Are you still there?')
      const refused = chat.answers().last().locator('[data-message-error]')
      await refused.waitFor({ timeout: 15_000 })
      expect(await refused.textContent()).toContain('The answer failed')
      expect(await page.locator('[data-chat-error]').count()).toBe(0)
      await expect.poll(() => chat.sendButton().isVisible()).toBe(true)
      await screenshot(page, 'chat-provider-error')

      // Rename in place.
      await chat.conversationAction(/Please echo/, 'Rename')
      const titleBox = page.getByRole('textbox', { name: /^New title for/ })
      await titleBox.fill('Tool tour')
      await titleBox.press('Enter')
      await expect
        .poll(() => chat.toast(/Conversation renamed to “Tool tour”/).isVisible())
        .toBe(true)
      await chat.conversationLink(/Tool tour/).waitFor()

      // A reload shows the same conversation: the cards come back from the stored messages.
      await page.reload()
      await chat.toolCards('echo').first().waitFor()
      expect(await chat.cardState(chat.toolCards('echo').first())).toBe('succeeded')
      expect(await chat.cardState(chat.toolCards('get-sum').first())).toBe('succeeded')
      expect(await chat.cardState(chat.toolCards('get-sum').nth(1))).toBe('denied')
      expect(await chat.cardState(logging)).toBe('succeeded')
      expect(await chat.cardState(chat.toolCards(LONG).first())).toBe('succeeded')
      expect(await chat.cardState(chat.toolCards(LONG).nth(1))).toBe('failed')
      expect(await chat.toolCards(LONG).nth(1).textContent()).toContain(
        'You stopped the answer before this call finished.',
      )
      expect(await chat.answers().last().locator('[data-message-error]').textContent()).toMatch(
        /The answer failed.*HTTP 401/,
      )
      expect(await chat.result(chat.toolCards('get-sum').first()).textContent()).toContain(
        'The sum of 2 and 3 is 5',
      )
      await chat.answers().getByText('2 and 3 make 5.').waitFor()
      expect(await chat.modelPicker().value()).toBe(OTHER_MODEL.id)
      expect(await chat.threadTitle().textContent()).toBe('Tool tour')
      await screenshot(page, 'chat-reloaded')

      // The calls are in the tool-call log; a card links to its entry.
      await chat
        .toolCards('get-sum')
        .first()
        .getByRole('link', { name: 'Open in Tool calls' })
        .click()
      await page.waitForURL(/\/tool-calls\?call=/)
      const calls = new ToolCallsPage(page)
      await calls.detail('get-sum').waitFor()
      await page.keyboard.press('Escape')
      await expect.poll(() => calls.rows('echo', 'succeeded').count(), { timeout: 10_000 }).toBe(1)
      await expect.poll(() => calls.rows('get-sum', 'succeeded').count()).toBe(1)
      await expect.poll(() => calls.rows(LONG, 'succeeded').count()).toBe(1)
      await expect.poll(() => calls.rows(LONG, 'cancelled').count(), { timeout: 15_000 }).toBe(1)
      await screenshot(page, 'chat-tool-calls')

      // German: the same conversation, in German.
      await shell.goTo('Settings')
      await page.getByLabel('Language', { exact: true }).selectOption('de')
      await page.goto(`/chat/${conversationId}`)
      await page
        .getByRole('article', { name: 'Tool-Aufruf get-sum auf everything', exact: true })
        .first()
        .waitFor()
      await page.getByRole('textbox', { name: 'Nachricht', exact: true }).waitFor()
      await page.getByRole('button', { name: 'Neue Unterhaltung' }).first().waitFor()
      expect(await page.getByText('Fertig', { exact: true }).count()).toBeGreaterThanOrEqual(4)
      await screenshot(page, 'chat-german')

      // Delete another conversation, after asking (it is stored once it has a message).
      await page.getByRole('button', { name: 'Neue Unterhaltung' }).first().click()
      await page.waitForURL(
        (url) =>
          /\/chat\/[0-9a-f-]{36}$/.test(url.pathname) && !url.pathname.endsWith(conversationId),
      )
      fake.enqueue(text('Gern.'))
      await page.getByRole('textbox', { name: 'Nachricht', exact: true }).fill('Wegwerfen')
      await page.getByRole('textbox', { name: 'Nachricht', exact: true }).press('Enter')
      await page.locator('[data-role="assistant"]').getByText('Gern.').waitFor({ timeout: 15_000 })
      await page.getByRole('button', { name: 'Mehr zu „Wegwerfen“' }).click()
      await page.getByRole('menuitem', { name: 'Löschen', exact: true }).click()
      const confirm = page.getByRole('alertdialog', { name: '„Wegwerfen“ löschen?' })
      await confirm.getByRole('button', { name: 'Unterhaltung löschen' }).click()
      await expect
        .poll(() => chat.toast(/Unterhaltung „Wegwerfen“ gelöscht/).isVisible())
        .toBe(true)
      await page.waitForURL(/\/chat$/)

      // Phone width: the list folds away above the thread.
      await page.setViewportSize({ width: 390, height: 844 })
      await page.goto(`/chat/${conversationId}`)
      await page.getByRole('button', { name: /^Unterhaltungen \(\d+\)$/ }).waitFor()
      await page
        .getByRole('article', { name: 'Tool-Aufruf echo auf everything', exact: true })
        .waitFor()
      await screenshot(page, 'chat-phone')
      await page.getByRole('button', { name: /^Unterhaltungen \(\d+\)$/ }).click()
      await page.getByRole('list', { name: 'Unterhaltungen, die neueste zuerst' }).waitFor()
      await screenshot(page, 'chat-phone-list')

      // A 401 may come from the session probe before registering.
      expect(errors.filter((e) => !/401|Unauthorized/i.test(e))).toEqual([])
    }, 180_000)
  },
)

describe.skipIf(!HAS_CHROMIUM)('chat without a model provider', () => {
  let app: BrowserApp

  beforeAll(async () => {
    app = await startBrowserApp()
  }, 180_000)

  afterAll(async () => {
    await app?.close()
  })

  it('says what to set, and offers no sending', async () => {
    const { page, errors } = await registered(app, 'no-provider')
    screenshotOnFailure(page, 'chat-no-provider')
    const chat = new ChatPage(page)
    const banner = chat.providerBanner()
    await banner.waitFor()
    const words = await banner.textContent()
    expect(words).toContain('No model provider is configured')
    expect(words).toContain('OPENROUTER_API_KEY')
    expect(words).toContain('LLM_BASE_URL')
    await chat.newConversation()
    expect(await chat.composer().isDisabled()).toBe(true)
    await page.getByText('Sending is off until a model provider is configured.').waitFor()
    await screenshot(page, 'chat-no-provider')
    expect(errors.filter((e) => !/401|Unauthorized/i.test(e))).toEqual([])
  }, 60_000)
})
