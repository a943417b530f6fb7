import { mkdirSync } from 'node:fs'
import type { Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest'
import { type FakeOpenRouter, startFakeOpenRouter, text } from '../fixtures/llm/fake-openrouter.ts'
import { LOOPBACK_POLICY } from '../helpers/mcp-servers.ts'
import {
  type BrowserApp,
  HAS_CHROMIUM,
  SCREENSHOT_DIR,
  screenshot,
  startBrowserApp,
} from './browser.ts'
import { AdminModels } from './pages/admin-models.ts'
import { AppShell } from './pages/app-shell.ts'
import { AuthPages } from './pages/auth-pages.ts'
import { ChatPage } from './pages/chat-page.ts'

const PASSWORD = 'correct horse battery staple'
const LLAMA = 'meta-llama/llama-3.1-8b-instruct'

/** Just the section, so its details stay legible next to the full-page shots. */
async function shot(locator: Locator, name: string) {
  mkdirSync(SCREENSHOT_DIR, { recursive: true })
  await locator.screenshot({ path: `${SCREENSHOT_DIR}/${name}.png` })
}

function screenshotOnFailure(page: Page, name: string) {
  onTestFailed(async () => {
    await screenshot(page, `${name}-failed`).catch(() => {})
  })
}

describe.skipIf(!HAS_CHROMIUM)('model providers and usage in Chromium', () => {
  let app: BrowserApp
  let fake: FakeOpenRouter

  beforeAll(async () => {
    fake = await startFakeOpenRouter()
    // No provider in the environment: the admin adds the fake as an OpenAI-compatible endpoint
    // (on loopback, which the operator allows here).
    app = await startBrowserApp({ ssrf: LOOPBACK_POLICY })
  }, 180_000)

  afterAll(async () => {
    await app?.close()
    await fake?.close()
  })

  it('adds a provider, tests it, chooses models and the default, chats with it, shows usage', async () => {
    const { page, errors } = await app.newPage()
    screenshotOnFailure(page, 'admin-models')
    await page.goto('/')
    await new AuthPages(page).register(`admin-${Date.now()}@example.test`, PASSWORD)
    await page.waitForURL(/\/chat$/)
    const shell = new AppShell(page)
    const goToAdmin = async () => {
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Admin' })
        .click()
      await page.waitForURL(/\/admin$/)
      await page.getByRole('heading', { level: 1, name: 'Admin' }).waitFor()
    }
    await goToAdmin()
    const admin = new AdminModels(page)
    await admin.section().getByText('No model provider yet').waitFor()

    // Add, with a key: saved, and said to be set (never shown).
    await admin.addProvider({
      name: 'Local LLM',
      baseUrl: `${fake.origin}/v1`,
      apiKey: 'local-key',
    })
    await admin.toast('Provider “Local LLM” added.').waitFor()
    const card = admin.provider('Local LLM')
    await card.getByText('API key set').waitFor()
    await card.getByText('No models on offer yet').waitFor()

    // Test: the provider's list, from which two models are chosen.
    await card.getByRole('button', { name: 'Test Local LLM' }).click()
    await card.getByText(/Reached in \d+ ms: the provider lists 3 models\./).waitFor()
    await card.getByLabel('Filter models').fill('llama')
    await card.getByRole('checkbox', { name: new RegExp(LLAMA) }).check()
    await card.getByLabel('Filter models').fill('')
    await card.getByRole('checkbox', { name: /anthropic\/claude-3\.5-sonnet/ }).check()
    await shot(card, 'admin-models-chooser')
    await card.getByRole('button', { name: 'Save models on offer' }).click()
    await admin.toast('2 models on offer.').waitFor()
    await expect
      .poll(() => card.getByRole('list', { name: 'Models on offer from Local LLM' }).textContent())
      .toContain(LLAMA)

    // The default.
    const defaultModel = page.getByLabel('Default model')
    await defaultModel.selectOption(LLAMA)
    await page.getByRole('button', { name: 'Save default' }).click()
    await admin.toast(`The default model is now ${LLAMA}.`).waitFor()
    await screenshot(page, 'admin-models')
    await shot(admin.section(), 'admin-models-section')

    // A failing test says why, in words.
    await admin.addProvider({ name: 'Nowhere', baseUrl: `${fake.origin}/nope` })
    const nowhere = admin.provider('Nowhere')
    await nowhere.getByRole('button', { name: 'Test Nowhere' }).click()
    await nowhere
      .getByRole('alert')
      .getByText(/answered 404/)
      .waitFor()
    await shot(nowhere, 'admin-models-test-failed')

    // Chat: a new conversation uses the default, which answers through the provider.
    await shell.goTo('Chat')
    const chat = new ChatPage(page)
    await chat.newConversation()
    await expect.poll(() => chat.modelPicker().value()).toBe(LLAMA)
    fake.enqueue({
      ...text('Hello from ', 'the local model.'),
      usage: { promptTokens: 40, completionTokens: 9 },
    })
    await chat.send('Hi, local model')
    await chat.answers().getByText('Hello from the local model.').waitFor({ timeout: 15_000 })
    expect(fake.requests[0]?.path).toBe('/v1/chat/completions')
    expect(fake.requests[0]?.body.model).toBe(LLAMA)
    expect(fake.requests[0]?.authorization).toBe('Bearer local-key')

    // Usage: the answer, in tiles, charts and tables.
    await goToAdmin()
    const usage = admin.usage()
    await usage.getByRole('figure', { name: 'Tokens per day (UTC)' }).waitFor({ timeout: 15_000 })
    await usage.getByRole('figure', { name: 'Tokens per model' }).waitFor()
    await expect
      .poll(() => usage.getByRole('table', { name: 'Per model', exact: true }).textContent())
      .toContain(LLAMA)
    await usage.scrollIntoViewIfNeeded()
    await screenshot(page, 'admin-usage')
    await shot(usage, 'admin-usage-section')

    // A daily limit, set from the keyboard.
    const limit = page
      .getByRole('list', { name: 'Daily message limits' })
      .getByRole('spinbutton')
      .first()
    await limit.fill('5')
    await limit.press('Enter')
    await admin.toast(/may send 5 messages a day/).waitFor()

    // Phone and dark mode.
    await page.emulateMedia({ colorScheme: 'dark' })
    await page.setViewportSize({ width: 390, height: 844 })
    await admin.section().scrollIntoViewIfNeeded()
    await shot(admin.section(), 'admin-models-phone-dark')
    await shot(usage, 'admin-usage-phone-dark')
    // Nothing of these sections sticks out sideways on a phone (wide tables scroll in place).
    const overflowing = await page.evaluate(() =>
      ['#admin-models', '#admin-usage'].filter((selector) => {
        const section = document.querySelector(selector) as HTMLElement
        return section.scrollWidth > section.clientWidth + 1
      }),
    )
    expect(overflowing).toEqual([])

    expect(errors.filter((e) => !/401|Unauthorized/i.test(e))).toEqual([])
  }, 180_000)
})
