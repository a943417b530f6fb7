import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest'
import { type FakeOpenRouter, startFakeOpenRouter, text } from '../fixtures/llm/fake-openrouter.ts'
import { LOOPBACK_POLICY, type RunningHttp, startEverything } from '../helpers/mcp-servers.ts'
import { testConfig } from '../helpers/test-config.ts'
import { type BrowserApp, HAS_CHROMIUM, screenshot, startBrowserApp } from './browser.ts'
import { AuthPages } from './pages/auth-pages.ts'
import { ChatAttachments } from './pages/chat-attachments.ts'
import { ChatPage } from './pages/chat-page.ts'
import { ToolTesterPage } from './pages/tool-tester-page.ts'

// MCP resources and prompts in the chat (issue 14), in Chromium against a real
// server-everything and the fake model: `@` attaches a resource (a template asks for its
// variables), the model reads it with where it came from, and it stays after a reload.

const WAIT = { timeout: 15_000 }

let app: BrowserApp
let fake: FakeOpenRouter
let everything: RunningHttp

/** The content parts of the last user message the fake model received, as text. */
function lastUserText(): string {
  const user = (fake.requests.at(-1)?.body.messages ?? []).filter((m) => m.role === 'user').at(-1)
  return JSON.stringify(user?.content ?? '')
}

describe.skipIf(!HAS_CHROMIUM)('resources and prompts in the chat, in Chromium', () => {
  beforeAll(async () => {
    fake = await startFakeOpenRouter()
    const { chat } = testConfig({
      OPENROUTER_API_KEY: 'sk-or-e2e-key',
      OPENROUTER_BASE_URL: fake.baseUrl,
    })
    ;[app, everything] = await Promise.all([
      startBrowserApp({ chat, ssrf: LOOPBACK_POLICY }),
      startEverything('streamableHttp'),
    ])
  }, 180_000)

  afterAll(async () => {
    await app?.close()
    await everything?.close()
    await fake?.close()
  })

  /** A new user with server-everything added (through the API, as the servers page does). */
  async function signedInWithEverything(
    label: string,
  ): Promise<{ page: Page; errors: string[]; serverId: string }> {
    const { page, errors } = await app.newPage()
    onTestFailed(async () => {
      await screenshot(page, `${label}-failure`).catch(() => {})
    })
    await page.goto('/login')
    await new AuthPages(page).register(
      `e2e-${label}-${Date.now()}@example.test`,
      'correct horse battery staple',
    )
    await page.waitForURL(/\/chat$/)
    const added = await page.request.post('/api/user/mcp-servers', {
      data: { name: 'everything', transport: 'streamable-http', url: everything.url },
    })
    expect(added.status()).toBe(201)
    return { page, errors, serverId: ((await added.json()) as { id: string }).id }
  }

  it('attaches a resource and one made from a template with @, and the model reads both', async () => {
    const { page, errors } = await signedInWithEverything('resources-at')
    const chat = new ChatPage(page)
    const files = new ChatAttachments(page)
    await chat.newConversation()

    // `@` lists the user's resources; typing narrows them.
    await chat.composer().fill('Compare @feat')
    const menu = page.getByRole('listbox', { name: 'Resources of your servers' })
    await menu.getByRole('option', { name: /features\.md/ }).waitFor(WAIT)
    await screenshot(page, 'chat-resources-menu')
    // Escape closes the list and leaves the text alone.
    await chat.composer().press('Escape')
    await menu.waitFor({ state: 'hidden' })
    expect(await chat.composer().inputValue()).toBe('Compare @feat')
    await chat.composer().press('Backspace')
    await menu.getByRole('option', { name: /features\.md/ }).waitFor(WAIT)
    await chat.composer().press('Enter')
    // The pick leaves the text and becomes an attachment, read from the server.
    await expect.poll(() => chat.composer().inputValue()).toBe('Compare ')
    await expect.poll(() => files.pendingReady().count(), WAIT).toBe(1)
    expect(await files.pending().first().textContent()).toMatch(/features\.md.*from everything/)

    // A template asks for its variables.
    await chat.composer().pressSequentially('@text/')
    await menu.getByRole('option', { name: /Dynamic Text Resource/ }).waitFor(WAIT)
    await menu.getByRole('option', { name: /Dynamic Text Resource/ }).click()
    const dialog = page.getByRole('dialog', { name: 'Attach Dynamic Text Resource' })
    await dialog.waitFor()
    await dialog.getByLabel('resourceId').fill('5')
    await screenshot(page, 'chat-resources-template')
    await dialog.getByRole('button', { name: 'Attach' }).click()
    await dialog.waitFor({ state: 'hidden' })
    await expect.poll(() => files.pendingReady().count(), WAIT).toBe(2)
    await screenshot(page, 'chat-resources-composer')

    fake.enqueue(text('Both describe the demo server.'))
    await chat.composer().pressSequentially('these two')
    await chat.composer().press('Enter')
    await chat.answers().getByText('Both describe the demo server.').waitFor(WAIT)
    const sent = lastUserText()
    expect(sent).toContain('uri=\\"demo://resource/static/document/features.md\\"')
    expect(sent).toContain('uri=\\"demo://resource/dynamic/text/5\\"')
    expect(sent).toContain('server=\\"everything\\"')
    expect(sent).toMatch(/Resource 5/)
    expect(sent).toContain('Compare these two')

    // The sent message shows where each came from, also after a reload.
    await files.sentFile('features.md').waitFor(WAIT)
    expect(await files.sentFile('features.md').textContent()).toMatch(/from everything/)
    await page.reload()
    await files.sentFile('Dynamic Text Resource · 5').waitFor(WAIT)
    await screenshot(page, 'chat-resources-sent')

    // On a phone, in the dark: the list fits above the box.
    await page.setViewportSize({ width: 390, height: 844 })
    await page.emulateMedia({ colorScheme: 'dark' })
    await chat.composer().fill('@')
    await menu.getByRole('option', { name: /features\.md/ }).waitFor(WAIT)
    const box = await menu.boundingBox()
    expect(box && box.x >= 0 && box.x + box.width <= 390).toBe(true)
    await page.screenshot({ path: 'test-results/screenshots/chat-resources-menu-phone-dark.png' })
    // The signed-out probe before registering answers 401; nothing else may fail.
    expect(errors.filter((error) => !/status of 401/.test(error))).toEqual([])
  }, 120_000)

  it("opens a tool result's resource link in the resource viewer, read from its server", async () => {
    const { page, errors, serverId } = await signedInWithEverything('resources-link')
    await page.goto(`/servers/${serverId}/tools/get-resource-links/try`)
    const tester = new ToolTesterPage(page, 'get-resource-links')
    await tester.waitFor()
    await tester.run()
    const result = tester.result()
    await result.getByRole('button', { name: 'Open Text Resource 2' }).click()
    const viewer = page.getByRole('dialog', { name: 'Resource' })
    await viewer.getByText('demo://resource/dynamic/text/2').first().waitFor(WAIT)
    await viewer
      .getByTestId('resource-contents')
      .getByText(/Resource 2/)
      .first()
      .waitFor(WAIT)
    await screenshot(page, 'chat-resources-link-viewer')
    await page.keyboard.press('Escape')

    // The server page lists its prompts; Try fills one in and shows its messages.
    await page.goto(`/servers/${serverId}`)
    const prompts = page.getByRole('list', { name: 'Prompts of everything' })
    await prompts.getByRole('button', { name: 'Try Arguments Prompt' }).click()
    const form = page.getByRole('dialog', { name: 'Use the prompt “Arguments Prompt”' })
    await form.getByLabel(/city/).fill('Paris')
    await form.getByRole('button', { name: 'Use prompt' }).click()
    const shown = page.getByTestId('prompt-messages')
    await shown.getByText("What's weather in Paris?").waitFor(WAIT)
    await screenshot(page, 'server-prompts-try')
    expect(errors.filter((error) => !/status of 401/.test(error))).toEqual([])
  }, 60_000)

  it("starts a message with a prompt picked with /, its arguments filled in with the server's suggestions", async () => {
    const { page, errors } = await signedInWithEverything('prompts-slash')
    const chat = new ChatPage(page)
    await chat.newConversation()

    await chat.composer().pressSequentially('/')
    const menu = page.getByRole('listbox', { name: 'Prompts of your servers' })
    await menu.getByRole('option', { name: /Arguments Prompt/ }).waitFor(WAIT)
    await chat.composer().pressSequentially('team')
    await menu.getByRole('option', { name: /Team Management/ }).waitFor(WAIT)
    await screenshot(page, 'chat-prompts-menu')
    await chat.composer().press('Enter')

    const dialog = page.getByRole('dialog', { name: 'Use the prompt “Team Management”' })
    await dialog.waitFor(WAIT)
    const suggestions = (name: string) =>
      dialog
        .getByTestId(`suggestions-${name}`)
        .locator('option')
        .evaluateAll((options) => options.map((option) => (option as HTMLOptionElement).value))
    await dialog.getByLabel(/department/).pressSequentially('S')
    await expect.poll(() => suggestions('department'), WAIT).toEqual(['Sales', 'Support'])
    await dialog.getByLabel(/department/).fill('Sales')
    // The second argument's suggestions depend on the first (sent as context).
    await dialog.getByLabel(/name/).focus()
    await expect.poll(() => suggestions('name'), WAIT).toEqual(['David', 'Eve', 'Frank'])
    await dialog.getByLabel(/name/).fill('Eve')
    await screenshot(page, 'chat-prompts-arguments')
    await dialog.getByRole('button', { name: 'Use prompt' }).click()
    await dialog.waitFor({ state: 'hidden' })

    // The prompt sits above the box, the `/team` is gone; the user adds words and sends.
    await page.locator('[data-composer-prompt="ready"]').waitFor(WAIT)
    expect(await chat.composer().inputValue()).toBe('')
    await screenshot(page, 'chat-prompts-composer')
    fake.enqueue(text('Done: Eve leads Sales.'))
    await chat.composer().pressSequentially('Keep it short.')
    await chat.composer().press('Enter')
    await chat.answers().getByText('Done: Eve leads Sales.').waitFor(WAIT)
    expect(lastUserText()).toMatch(
      /Please promote Eve to the head of the Sales team\..*Keep it short\./,
    )

    // The sent message says which prompt it starts with, also after a reload.
    const marked = page.locator('[data-message-prompt]')
    await marked.getByText('From the prompt “Team Management” of everything').waitFor(WAIT)
    await page.reload()
    await marked.getByText('From the prompt “Team Management” of everything').waitFor(WAIT)
    await marked.getByText('Show what the prompt says').click()
    await marked.getByText('Please promote Eve to the head of the Sales team.').waitFor()
    await screenshot(page, 'chat-prompts-sent')

    // A prompt without arguments is filled in at once.
    await chat.composer().pressSequentially('/simple')
    await menu.getByRole('option', { name: /Simple Prompt/ }).waitFor(WAIT)
    await chat.composer().press('Enter')
    await page.locator('[data-composer-prompt="ready"]').waitFor(WAIT)
    expect(errors.filter((error) => !/status of 401/.test(error))).toEqual([])
  }, 120_000)
})
