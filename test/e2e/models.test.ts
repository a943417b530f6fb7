import { mkdirSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest'
import { type FakeOpenRouter, startFakeOpenRouter, text } from '../fixtures/llm/fake-openrouter.ts'
import { LOOPBACK_POLICY, type RunningHttp, startEverything } from '../helpers/mcp-servers.ts'
import { testConfig } from '../helpers/test-config.ts'
import { type BrowserApp, HAS_CHROMIUM, SCREENSHOT_DIR, startBrowserApp } from './browser.ts'
import { AppShell } from './pages/app-shell.ts'
import { AuthPages } from './pages/auth-pages.ts'
import { ChatPage } from './pages/chat-page.ts'
import { InstructionsDialog, PresetsSettings } from './pages/presets.ts'
import { ServersPage } from './pages/servers-page.ts'

const PASSWORD = 'correct horse battery staple'
const LLAMA = 'meta-llama/llama-3.1-8b-instruct'
const CLAUDE = 'anthropic/claude-3.5-sonnet'

/** What the window shows (the chat scrolls inside it; a full-page capture would cut it). */
async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true })
  await page.screenshot({ path: `${SCREENSHOT_DIR}/${name}.png` })
}

/** The text of the system message the model was last sent. */
function systemText(fake: FakeOpenRouter): string {
  const content = fake.requests.at(-1)?.body.messages.find((m) => m.role === 'system')?.content
  if (typeof content === 'string') return content
  return ((content ?? []) as { text?: string }[]).map((part) => part.text ?? '').join('')
}

describe.skipIf(!HAS_CHROMIUM)('models, instructions and presets in Chromium', () => {
  let app: BrowserApp
  let everything: RunningHttp
  let fake: FakeOpenRouter

  beforeAll(async () => {
    ;[fake, everything] = await Promise.all([
      startFakeOpenRouter(),
      startEverything('streamableHttp'),
    ])
    // No `chat.models`: the fake provider's whole catalogue is on offer.
    const { chat } = testConfig({
      OPENROUTER_API_KEY: 'sk-or-e2e',
      OPENROUTER_BASE_URL: fake.baseUrl,
    })
    app = await startBrowserApp({ ssrf: LOOPBACK_POLICY, chat })
  }, 180_000)

  afterAll(async () => {
    await app?.close()
    await everything?.close()
    await fake?.close()
  })

  /** A fresh user, signed in, with server-everything added as `everything` and `spare`. */
  async function userWithServers(label: string) {
    const { page, errors } = await app.newPage()
    onTestFailed(async () => {
      await screenshot(page, `models-${label}-failure`).catch(() => {})
    })
    await page.setViewportSize({ width: 1280, height: 900 })
    await page.goto('/login')
    await new AuthPages(page).register(`e2e-models-${label}-${Date.now()}@example.test`, PASSWORD)
    await page.waitForURL(/\/chat$/)
    const servers = new ServersPage(page)
    await new AppShell(page).goTo('Servers')
    for (const name of ['everything', 'spare']) {
      await servers.openAddDialog()
      await servers.fillServer({ name, url: everything.url })
      await servers.submitAdd()
      await servers.dialog().waitFor({ state: 'hidden', timeout: 30_000 })
      await expect.poll(() => servers.status(name), { timeout: 30_000 }).toBe('Online')
    }
    return { page, errors }
  }

  it('searches the picker, stars a favourite, sets instructions and servers, and the model gets them', async () => {
    const { page, errors } = await userWithServers('picker')
    const chat = new ChatPage(page)
    const picker = chat.modelPicker()
    await new AppShell(page).goTo('Chat')
    await chat.newConversation()

    // The provider's catalogue, with context and price per million tokens.
    await picker.open()
    await expect.poll(() => picker.listedIds()).toEqual(['openai/gpt-4o-mini', CLAUDE, LLAMA])
    await expect
      .poll(() => picker.option('openai/gpt-4o-mini').textContent())
      .toMatch(/128K context · \$0\.15 in, \$0\.60 out per million tokens/)
    await picker.star('Anthropic: Claude 3.5 Sonnet').click()
    await picker.group('Favourites').getByText('Anthropic: Claude 3.5 Sonnet').waitFor()
    await expect.poll(() => picker.listedIds()).toEqual([CLAUDE, 'openai/gpt-4o-mini', LLAMA])
    await screenshot(page, 'models-picker')

    // Search narrows the list; picking one switches the conversation.
    await picker.search().fill('llama 8b')
    await expect.poll(() => picker.listedIds()).toEqual([LLAMA])
    await picker.search().fill('no such thing')
    await page.getByText('No model matches “no such thing”.').waitFor()
    await picker.search().fill('llama')
    await picker.search().press('Enter')
    await expect
      .poll(() => chat.toast(/now uses Meta: Llama 3\.1 8B Instruct/).isVisible())
      .toBe(true)
    expect(await picker.value()).toBe(LLAMA)

    // Instructions, and only one of the two servers.
    const instructions = new InstructionsDialog(page)
    await instructions.open()
    await instructions.instructions().fill('Answer like a pirate.')
    await instructions.onlyServers('spare')
    await screenshot(page, 'models-instructions')
    await instructions.save()
    await instructions.button().and(page.locator('[data-active]')).waitFor()

    fake.enqueue(text('Arr, ', 'ahoy.'))
    await chat.send('hello')
    await chat.answers().first().getByText('Arr, ahoy.').waitFor()
    expect(fake.requests.at(-1)?.body.model).toBe(LLAMA)
    expect(systemText(fake)).toContain('Answer like a pirate.')
    const tools = fake.toolNames()
    expect(tools.length).toBeGreaterThan(0)
    expect(tools.every((name) => name.startsWith('spare__'))).toBe(true)

    // All of it is kept: the model, the favourite, the instructions, after a reload.
    await page.reload()
    await expect.poll(() => picker.value()).toBe(LLAMA)
    await picker.open()
    await picker.group('Favourites').getByText('Anthropic: Claude 3.5 Sonnet').waitFor()
    await picker.close()
    await instructions.open()
    expect(await instructions.instructions().inputValue()).toBe('Answer like a pirate.')
    await instructions.dialog().getByRole('button', { name: 'Cancel' }).click()

    // On a phone: the picker fits the screen.
    await page.setViewportSize({ width: 390, height: 844 })
    await picker.open()
    await screenshot(page, 'models-picker-phone')
    const box = await page.locator('[cmdk-root]').boundingBox()
    expect(box && box.x >= 0 && box.x + box.width <= 390).toBe(true)
    await picker.close()
    // The sign-in page asks for a session first: that 401 is expected.
    expect(errors.filter((e) => !/401|Unauthorized/i.test(e))).toEqual([])
  }, 180_000)

  it('creates a preset in Settings and starts a conversation from it', async () => {
    const { page, errors } = await userWithServers('preset')
    const shell = new AppShell(page)
    const chat = new ChatPage(page)
    const presets = new PresetsSettings(page)

    await shell.goTo('Settings')
    await presets.card().getByText('No presets yet').waitFor()
    await presets.create({
      name: 'Pirate on spare',
      model: CLAUDE,
      instructions: 'Answer like a pirate.',
      servers: ['spare'],
    })
    await screenshot(page, 'models-preset-form')
    await presets.submit()
    await presets.row('Pirate on spare').waitFor()
    await expect
      .poll(() => presets.row('Pirate on spare').textContent())
      .toMatch(/Anthropic: Claude 3\.5 Sonnet · 1 server/)
    await presets.card().scrollIntoViewIfNeeded()
    await screenshot(page, 'models-presets')

    await shell.goTo('Chat')
    await page.getByRole('button', { name: 'New conversation from a preset' }).click()
    await page.getByRole('menuitem', { name: 'Pirate on spare' }).waitFor()
    await screenshot(page, 'models-preset-menu')
    await page.getByRole('menuitem', { name: 'Pirate on spare' }).click()
    await page.waitForURL(/\/chat\/[0-9a-f-]{36}$/)
    await chat.composer().waitFor()
    await expect.poll(() => chat.modelPicker().value()).toBe(CLAUDE)
    await new InstructionsDialog(page).button().and(page.locator('[data-active]')).waitFor()

    fake.enqueue(text('Aye.'))
    await chat.send('hello')
    await chat.answers().first().getByText('Aye.').waitFor()
    expect(fake.requests.at(-1)?.body.model).toBe(CLAUDE)
    expect(systemText(fake)).toContain('Answer like a pirate.')
    expect(fake.toolNames().every((name) => name.startsWith('spare__'))).toBe(true)

    await page.setViewportSize({ width: 390, height: 844 })
    await shell.openMenu()
    await shell.menu().getByRole('link', { name: 'Settings' }).click()
    await page.waitForURL(/\/settings$/)
    await presets.row('Pirate on spare').scrollIntoViewIfNeeded()
    await screenshot(page, 'models-presets-phone')
    // The sign-in page asks for a session first: that 401 is expected.
    expect(errors.filter((e) => !/401|Unauthorized/i.test(e))).toEqual([])
  }, 180_000)
})
