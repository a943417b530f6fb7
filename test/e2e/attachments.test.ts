import { mkdirSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest'
import { pngImage } from '../fixtures/attachments/files.ts'
import { type FakeOpenRouter, startFakeOpenRouter, text } from '../fixtures/llm/fake-openrouter.ts'
import { testConfig } from '../helpers/test-config.ts'
import { type BrowserApp, HAS_CHROMIUM, SCREENSHOT_DIR, startBrowserApp } from './browser.ts'
import { AuthPages } from './pages/auth-pages.ts'
import { ChatAttachments, type TestFile } from './pages/chat-attachments.ts'
import { ChatPage } from './pages/chat-page.ts'

// Files in the chat (issue 11, item 3), in Chromium against the fake model: picked with the
// paperclip, pasted and dropped; uploaded with their thumbnails and chips; sent to the model
// (images as image parts); still there after a reload; refused in words when too large.

const PASSWORD = 'correct horse battery staple'
const DESKTOP = { width: 1280, height: 900 }
const PHONE = { width: 390, height: 844 }
const TEXT_CAP = 4096
const LLAMA = 'meta-llama/llama-3.1-8b-instruct'
/** Polls get time: the machine running the suite may be busy. */
const WAIT = { timeout: 15_000 }

const CHART: TestFile = {
  name: 'chart.png',
  mimeType: 'image/png',
  buffer: pngImage(320, 200, [37, 99, 235], [236, 72, 153]),
}
const NOTES: TestFile = {
  name: 'notes.md',
  mimeType: 'text/markdown',
  buffer: Buffer.from('# Launch plan\n\n- ship on Friday\n- tell the team\n'),
}
const SCREENSHOT: TestFile = {
  name: 'screenshot.png',
  mimeType: 'image/png',
  buffer: pngImage(240, 160, [16, 185, 129], [250, 204, 21]),
}
const DROPPED: TestFile = {
  name: 'numbers.csv',
  mimeType: 'text/csv',
  buffer: Buffer.from('month,sales\nJanuary,12\nFebruary,15\n'),
}

/** Registers; `errors` collects what the console says, but the signed-out probe's 401. */
async function registered(app: BrowserApp, label: string, expected: RegExp[] = []) {
  const { page } = await app.newPage()
  const errors: string[] = []
  page.on('console', (message) => {
    const words = message.text()
    if (message.type() !== 'error' || /status of 401/.test(words)) return
    if (!expected.some((pattern) => pattern.test(words))) errors.push(words)
  })
  page.on('pageerror', (error) => errors.push(error.message))
  await page.setViewportSize(DESKTOP)
  await page.goto('/login')
  await new AuthPages(page).register(`e2e-${label}-${Date.now()}@example.test`, PASSWORD)
  await page.waitForURL(/\/chat$/)
  return { page, errors }
}

/** The window as the user sees it (the thread scrolls inside it). */
async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true })
  await page.screenshot({ path: `${SCREENSHOT_DIR}/${name}.png` })
}

function screenshotOnFailure(page: Page, name: string) {
  onTestFailed(async () => {
    await screenshot(page, `${name}-failure`).catch(() => {})
  })
}

/** The content parts of the last user message the fake model received. */
function lastUserContent(fake: FakeOpenRouter): { type: string; [key: string]: unknown }[] {
  const user = (fake.requests.at(-1)?.body.messages ?? []).filter((m) => m.role === 'user').at(-1)
  const content = user?.content
  return typeof content === 'string'
    ? [{ type: 'text', text: content }]
    : ((content ?? []) as never)
}

/** Every image of the page has loaded and shows something. */
async function imagesLoaded(page: Page, selector: string): Promise<boolean> {
  return page
    .locator(selector)
    .evaluateAll((images) =>
      images.every(
        (image) =>
          (image as HTMLImageElement).complete && (image as HTMLImageElement).naturalWidth > 0,
      ),
    )
}

describe.skipIf(!HAS_CHROMIUM)('attachments in Chromium', () => {
  let app: BrowserApp
  let fake: FakeOpenRouter

  beforeAll(async () => {
    fake = await startFakeOpenRouter()
    const { chat } = testConfig({
      OPENROUTER_API_KEY: 'sk-or-e2e-key',
      OPENROUTER_BASE_URL: fake.baseUrl,
    })
    app = await startBrowserApp({
      chat: { ...chat, attachments: { ...chat.attachments, maxTextBytes: TEXT_CAP } },
    })
  }, 180_000)

  afterAll(async () => {
    await app?.close()
    await fake?.close()
  })

  it('picks, pastes and drops files, sends them to the model and keeps them across a reload', async () => {
    const { page, errors } = await registered(app, 'attach')
    screenshotOnFailure(page, 'attachments')
    const chat = new ChatPage(page)
    const files = new ChatAttachments(page)
    await chat.newConversation()

    await files.pick([CHART, NOTES])
    await files.paste([SCREENSHOT])
    await files.drop([DROPPED])
    await expect.poll(() => files.pendingReady().count(), WAIT).toBe(4)
    // Thumbnails for images, chips with name and size for the others.
    expect(await page.getByRole('img', { name: 'chart.png' }).count()).toBe(1)
    expect(await page.getByRole('img', { name: 'screenshot.png' }).count()).toBe(1)
    const notesChip = files.pending().filter({ hasText: 'notes.md' })
    expect(await notesChip.textContent()).toMatch(/notes\.md\s*48 B/)
    await screenshot(page, 'attachments-composer')

    // Taken off again, it does not go.
    await files.removeButton('numbers.csv').click()
    await expect.poll(() => files.pending().count(), WAIT).toBe(3)
    await files.drop([DROPPED])
    await expect.poll(() => files.pendingReady().count(), WAIT).toBe(4)

    fake.enqueue(text('A blue-pink gradient, a green-yellow one, a plan and sales figures.'))
    await chat.send('What is in these?')
    await chat.answers().getByText('sales figures').waitFor(WAIT)

    // The model got the images as image parts and the text files as text.
    const content = lastUserContent(fake)
    const images = content.filter((part) => part.type === 'image_url')
    expect(images.map((part) => (part.image_url as { url: string }).url)).toEqual([
      `data:image/png;base64,${CHART.buffer.toString('base64')}`,
      `data:image/png;base64,${SCREENSHOT.buffer.toString('base64')}`,
    ])
    const texts = content.filter((part) => part.type === 'text').map((part) => String(part.text))
    expect(texts.some((x) => x.includes('name="notes.md"') && x.includes('ship on Friday'))).toBe(
      true,
    )
    expect(texts.some((x) => x.includes('name="numbers.csv"') && x.includes('February,15'))).toBe(
      true,
    )
    expect(texts).toContain('What is in these?')

    // The sent message shows them; the composer is empty again.
    expect(await files.pending().count()).toBe(0)
    await files.sentImage('chart.png').waitFor()
    expect(await files.sentImages().count()).toBe(2)
    await files.sentFile('notes.md').waitFor()
    await files.sentFile('numbers.csv').waitFor()
    await expect.poll(() => imagesLoaded(page, '[data-message-attachment] img'), WAIT).toBe(true)
    await screenshot(page, 'attachments-sent')

    // A reload shows the same files, served from the database.
    await page.reload()
    await files.sentImage('screenshot.png').waitFor(WAIT)
    await files.sentFile('numbers.csv').waitFor()
    await expect.poll(() => imagesLoaded(page, '[data-message-attachment] img'), WAIT).toBe(true)

    // A thumbnail opens the image itself in a new tab.
    const popup = page.waitForEvent('popup')
    await files.sentImage('chart.png').click()
    const tab = await popup
    await tab.waitForLoadState()
    expect(tab.url()).toMatch(/\/api\/user\/attachments\/[0-9a-f-]{36}$/)
    await tab.close()

    // Light and dark, desktop and phone.
    await page.emulateMedia({ colorScheme: 'dark' })
    await screenshot(page, 'attachments-sent-dark')
    await page.setViewportSize(PHONE)
    await files.sentImage('chart.png').scrollIntoViewIfNeeded()
    await screenshot(page, 'attachments-sent-phone-dark')
    await page.emulateMedia({ colorScheme: 'light' })
    await screenshot(page, 'attachments-sent-phone')
    await files.pick([CHART, NOTES])
    await expect.poll(() => files.pendingReady().count(), WAIT).toBe(2)
    await screenshot(page, 'attachments-composer-phone')
    expect(errors).toEqual([])
  }, 120_000)

  it('says in words why a file cannot go, and refuses images for a model that reads none', async () => {
    // The browser logs the server's refusal of data.bin (415) as a failed load.
    const { page, errors } = await registered(app, 'attach-refused', [/status of 415/])
    screenshotOnFailure(page, 'attachments-refused')
    const chat = new ChatPage(page)
    const files = new ChatAttachments(page)
    await chat.newConversation()

    const big: TestFile = {
      name: 'big.txt',
      mimeType: 'text/plain',
      buffer: Buffer.alloc(TEXT_CAP * 2, 'a'),
    }
    const svg: TestFile = {
      name: 'logo.svg',
      mimeType: 'image/svg+xml',
      buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'),
    }
    const binary: TestFile = {
      name: 'data.bin',
      mimeType: 'application/octet-stream',
      buffer: Buffer.from([0, 159, 146, 150, 0]),
    }
    await files.pick([big, svg, binary])
    const alerts = page.getByRole('list', { name: 'Files to send' }).getByRole('alert')
    await alerts
      .filter({ hasText: 'big.txt is 8 kB: text files can be at most 4 kB.' })
      .waitFor(WAIT)
    await alerts.filter({ hasText: 'logo.svg: SVG images cannot be attached.' }).waitFor()
    // Refused by the server (the browser cannot tell): its reason, in words.
    await alerts.filter({ hasText: 'data.bin cannot be attached: attach images' }).waitFor(WAIT)
    expect(await chat.sendButton().isDisabled()).toBe(true)
    await screenshot(page, 'attachments-refused')
    await page.emulateMedia({ colorScheme: 'dark' })
    await screenshot(page, 'attachments-refused-dark')
    await page.emulateMedia({ colorScheme: 'light' })
    for (const name of ['big.txt', 'logo.svg', 'data.bin']) await files.removeButton(name).click()

    // A model the catalogue lists as text-only gets no image: sending waits, and says why.
    const picker = chat.modelPicker()
    await picker.pick(LLAMA)
    await expect.poll(() => picker.value(), WAIT).toBe(LLAMA)
    await files.pick([CHART])
    await expect.poll(() => files.pendingReady().count(), WAIT).toBe(1)
    await chat.composer().fill('Describe it')
    await page.getByText('This model cannot read images').waitFor()
    expect(await chat.sendButton().isDisabled()).toBe(true)
    await screenshot(page, 'attachments-model-without-images')
    expect(fake.requests.filter((r) => r.body.model === LLAMA)).toEqual([])
    expect(errors).toEqual([])
  }, 120_000)
})
