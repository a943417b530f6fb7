import { mkdirSync, readFileSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest'
import {
  type FakeOpenRouter,
  hang,
  httpError,
  startFakeOpenRouter,
  text,
} from '../fixtures/llm/fake-openrouter.ts'
import { testConfig } from '../helpers/test-config.ts'
import { type BrowserApp, HAS_CHROMIUM, SCREENSHOT_DIR, startBrowserApp } from './browser.ts'
import { AuthPages } from './pages/auth-pages.ts'
import { ChatPage } from './pages/chat-page.ts'

// What a user does to messages and conversations (issue 11, items 2 and 5), in Chromium against
// the fake model: copy, edit into branches, answer again, try again, stop; search, pin, download.

const PASSWORD = 'correct horse battery staple'
const OTHER_MODEL = { id: 'fake/other-model', label: 'Other model' }
const PHONE = { width: 390, height: 844 }
/** Polls get time: the machine running the suite may be busy. */
const WAIT = { timeout: 15_000 }

async function registered(app: BrowserApp, label: string) {
  const { page, errors } = await app.newPage()
  await page.setViewportSize({ width: 1280, height: 900 })
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

/** Role and text of each message the model was sent in its last request. */
function lastSent(fake: FakeOpenRouter): string[] {
  return (fake.requests.at(-1)?.body.messages ?? [])
    .filter((m) => m.role !== 'system')
    .map(
      (m) => `${m.role}: ${typeof m.content === 'string' ? m.content : JSON.stringify(m.content)}`,
    )
}

describe.skipIf(!HAS_CHROMIUM)('message actions and conversations in Chromium', () => {
  let app: BrowserApp
  let fake: FakeOpenRouter

  beforeAll(async () => {
    fake = await startFakeOpenRouter()
    const { chat } = testConfig({
      OPENROUTER_API_KEY: 'sk-or-e2e-key',
      OPENROUTER_BASE_URL: fake.baseUrl,
    })
    app = await startBrowserApp({ chat: { ...chat, models: [...chat.models, OTHER_MODEL] } })
  }, 180_000)

  afterAll(async () => {
    await app?.close()
    await fake?.close()
  })

  it('copies, edits into branches kept across reloads, answers again and tries again', async () => {
    const { page, errors } = await registered(app, 'actions')
    screenshotOnFailure(page, 'chat-actions')
    const chat = new ChatPage(page)
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'])

    // A new conversation is a draft: nothing is listed until its first message is sent.
    await chat.newConversation()
    await page.getByText('No conversations yet.', { exact: true }).waitFor()
    fake.enqueue(text('The **first** answer.'))
    fake.enqueueTitle(text('Branches and versions'))
    await chat.send('first question')
    await chat.answers().getByText('answer.').first().waitFor()
    // Titled by the model after the first answer.
    await chat.conversationLink('Branches and versions').waitFor({ timeout: 15_000 })

    // Copy gives the Markdown as written.
    const firstAnswer = chat.answers().first()
    await chat.action(firstAnswer, 'Copy message').click()
    await chat.action(firstAnswer, 'Copied').waitFor()
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('The **first** answer.')

    fake.enqueue(text('Second answer.'))
    await chat.send('second question')
    await chat.answers().getByText('Second answer.').waitFor()

    // Up in the empty composer edits the last question; the edit is a new branch.
    await chat.composer().click()
    await chat.composer().press('ArrowUp')
    await chat.editor().waitFor()
    expect(await chat.editor().inputValue()).toBe('second question')
    await chat.editor().fill('second question, edited')
    fake.enqueue(text('Edited answer.'))
    await chat.editor().press('Enter')
    await chat.answers().getByText('Edited answer.').waitFor({ timeout: 15_000 })
    expect(lastSent(fake)).toEqual([
      'user: first question',
      'assistant: The **first** answer.',
      'user: second question, edited',
    ])
    const second = chat.questions().nth(1)
    await expect.poll(() => chat.version(second), WAIT).toBe('2/2')
    expect(await chat.answers().getByText('Second answer.').count()).toBe(0)
    await screenshot(page, 'chat-actions-edited')

    // Back to the first version; a reload shows the same branch.
    await chat.switchVersion(second, 'Previous')
    await chat.answers().getByText('Second answer.').waitFor()
    await expect.poll(() => chat.version(chat.questions().nth(1)), WAIT).toBe('1/2')
    await page.reload()
    await chat.answers().getByText('Second answer.').waitFor()
    expect(await chat.answers().getByText('Edited answer.').count()).toBe(0)
    await expect.poll(() => chat.version(chat.questions().nth(1)), WAIT).toBe('1/2')

    // Answer again with the other model: the old answer stays as a version.
    fake.enqueue(text('An answer from the other model.'))
    await chat.regenerateWith(chat.answers().last(), OTHER_MODEL.label)
    await chat.answers().getByText('An answer from the other model.').waitFor({ timeout: 15_000 })
    expect(fake.requests.at(-1)?.body.model).toBe(OTHER_MODEL.id)
    expect(lastSent(fake).at(-1)).toBe('user: second question')
    await expect.poll(() => chat.version(chat.answers().last()), WAIT).toBe('2/2')
    // The conversation keeps its own model.
    expect(await chat.modelPicker().value()).not.toBe(OTHER_MODEL.id)

    // The provider refuses; "Try again" answers anew.
    fake.enqueue(httpError(401))
    await chat.send('third question')
    const failed = chat.answers().last().locator('[data-message-error]')
    await failed.waitFor({ timeout: 15_000 })
    await screenshot(page, 'chat-actions-failed')
    fake.enqueue(text('Third answer, at last.'))
    await failed.getByRole('button', { name: 'Try again', exact: true }).click()
    await chat.answers().getByText('Third answer, at last.').waitFor({ timeout: 15_000 })
    expect(await chat.answers().last().locator('[data-message-error]').count()).toBe(0)
    await expect.poll(() => chat.version(chat.answers().last()), WAIT).toBe('2/2')
    await screenshot(page, 'chat-actions')

    // The same, after a reload, on a phone.
    await page.setViewportSize(PHONE)
    await page.reload()
    await chat.answers().getByText('Third answer, at last.').waitFor()
    await expect.poll(() => chat.version(chat.answers().last()), WAIT).toBe('2/2')
    await screenshot(page, 'chat-actions-phone')

    expect(errors.filter((e) => !/401|Unauthorized/i.test(e))).toEqual([])
  }, 180_000)

  it('stops an answer with Escape', async () => {
    const { page, errors } = await registered(app, 'stop')
    screenshotOnFailure(page, 'chat-stop')
    const chat = new ChatPage(page)
    await chat.newConversation()
    fake.enqueue(hang(['Thinking out loud, and slowly']))
    await chat.send('take your time')
    await chat.answers().getByText('Thinking out loud, and slowly').waitFor({ timeout: 15_000 })
    await chat.stopButton().waitFor()
    expect(await chat.stopButton().getAttribute('aria-keyshortcuts')).toBe('Escape')
    await page.keyboard.press('Escape')
    await page.getByText('You stopped this answer.').waitFor({ timeout: 15_000 })
    await chat.sendButton().waitFor()
    await page.reload()
    await page.getByText('You stopped this answer.').waitFor()
    expect(errors.filter((e) => !/401|Unauthorized/i.test(e))).toEqual([])
  }, 120_000)

  it('searches, pins, downloads, and leaves no empty conversation behind', async () => {
    const { page, errors } = await registered(app, 'list')
    screenshotOnFailure(page, 'chat-list')
    const chat = new ChatPage(page)
    const talk = async (question: string, answer: string) => {
      await chat.newConversation()
      fake.enqueue(text(answer))
      await chat.send(question)
      await chat.answers().getByText(answer).waitFor({ timeout: 15_000 })
      await chat.conversationLink(question).waitFor()
    }
    await talk('Plan a picnic', 'Bring a blanket and a zebra-striped umbrella.')
    await talk('Fix my bike', 'Check the chain first.')
    await talk('Write a haiku', 'Autumn wind rises.')
    expect(await chat.listedTitles()).toEqual(['Write a haiku', 'Fix my bike', 'Plan a picnic'])

    // Opened and left empty: nothing stays behind.
    await chat.newConversation()
    await chat.conversationLink('Fix my bike').click()
    await chat.answers().getByText('Check the chain first.').waitFor()
    const stored = await (await page.request.get('/api/conversations')).json()
    expect(stored.conversations).toHaveLength(3)

    // Search finds words inside an answer, and shows them.
    await chat.searchBox().fill('ZEBRA')
    const results = chat.searchResults('ZEBRA')
    await results.getByRole('link').first().waitFor()
    expect(await results.getByRole('link').count()).toBe(1)
    expect(await results.textContent()).toContain('Plan a picnic')
    expect(await results.locator('mark').textContent()).toBe('zebra')
    await screenshot(page, 'chat-search')
    await chat.searchBox().fill('nothing like this')
    await page.getByText('No conversation matches “nothing like this”.').waitFor()
    await chat.searchBox().press('Escape')
    await chat.conversations().waitFor()

    // Pinned comes first, also after a reload.
    await chat.conversationAction('Plan a picnic', 'Pin')
    await expect
      .poll(() => chat.listedTitles(), WAIT)
      .toEqual(['Plan a picnic', 'Write a haiku', 'Fix my bike'])
    await page.reload()
    await expect
      .poll(() => chat.listedTitles(), WAIT)
      .toEqual(['Plan a picnic', 'Write a haiku', 'Fix my bike'])
    await screenshot(page, 'chat-pinned')

    // Downloads, named after the title.
    const [markdown] = await Promise.all([
      page.waitForEvent('download'),
      chat.conversationAction('Plan a picnic', 'Download as Markdown'),
    ])
    expect(markdown.suggestedFilename()).toBe('Plan a picnic.md')
    const md = readFileSync((await markdown.path()) as string, 'utf8')
    expect(md).toContain('# Plan a picnic')
    expect(md).toContain('## You\n\nPlan a picnic')
    expect(md).toContain('zebra-striped umbrella')
    const [json] = await Promise.all([
      page.waitForEvent('download'),
      chat.conversationAction('Plan a picnic', 'Download as JSON'),
    ])
    expect(json.suggestedFilename()).toBe('Plan a picnic.json')
    const document = JSON.parse(readFileSync((await json.path()) as string, 'utf8'))
    expect(document.conversation).toMatchObject({ title: 'Plan a picnic', pinned: true })
    expect(document.messages).toHaveLength(2)

    // On a phone, the list (folded away) has the search box and the menus too.
    await page.setViewportSize(PHONE)
    await page.getByRole('button', { name: /^Conversations \(\d+\)$/ }).click()
    await chat.searchBox().waitFor()
    await screenshot(page, 'chat-list-phone')
    expect(errors.filter((e) => !/401|Unauthorized/i.test(e))).toEqual([])
  }, 180_000)
})
