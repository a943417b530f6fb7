import { mkdirSync } from 'node:fs'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest'
import {
  type FakeOpenRouter,
  MARKDOWN_ANSWER,
  startFakeOpenRouter,
  text,
  textInChunks,
  toolCall,
} from '../fixtures/llm/fake-openrouter.ts'
import { MARKDOWN_REPORT, markdownServer } from '../fixtures/mcp/markdown-server.ts'
import { type SdkHttpServer, startSdkHttpServer } from '../fixtures/mcp/sdk-http-server.ts'
import { LOOPBACK_POLICY } from '../helpers/mcp-servers.ts'
import { testConfig } from '../helpers/test-config.ts'
import { type BrowserApp, HAS_CHROMIUM, SCREENSHOT_DIR, startBrowserApp } from './browser.ts'
import { findLowContrast, luminanceOf } from './contrast.ts'
import { recordViolations } from './csp-violations.ts'
import { ChatPage } from './pages/chat-page.ts'
import { MarkdownView } from './pages/markdown-view.ts'

const PASSWORD = 'correct horse battery staple'
const CODE = 'export function add(a: number, b: number): number {\n  return a + b // the sum\n}'

/** What the window shows (the composer is sticky: a full-page capture draws it mid-page). */
async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true })
  await page.screenshot({ path: `${SCREENSHOT_DIR}/${name}.png` })
}

/** Light or dark, the way the theme switch does it: the `dark` class on <html>. */
async function setTheme(page: Page, theme: 'light' | 'dark'): Promise<void> {
  await page.emulateMedia({ colorScheme: theme })
  await page.evaluate(
    (dark) => document.documentElement.classList.toggle('dark', dark),
    theme === 'dark',
  )
}

/** Everything MARKDOWN_ANSWER holds, rendered as it should be. */
async function expectEveryElement(view: MarkdownView, page: Page): Promise<void> {
  await view.heading(1, 'Weekly tool report').waitFor()
  await view.heading(2, 'What happened').waitFor()
  await view.heading(3, 'Numbers').waitFor()
  expect(await view.root.locator('strong', { hasText: 'mostly fast' }).count()).toBe(1)
  expect(await view.root.locator('em', { hasText: 'slow' }).count()).toBe(1)
  expect(await view.root.locator('del', { hasText: 'lost' }).count()).toBe(1)
  expect(await view.root.locator('ul ul li', { hasText: 'nested' }).count()).toBe(1)
  expect(await view.root.locator('ol li').count()).toBe(2)
  expect(await view.root.locator('input[type="checkbox"]:checked').count()).toBe(1)
  expect(
    await view.root.locator('blockquote', { hasText: 'Quoted from the call log.' }).count(),
  ).toBe(1)

  await view.columnHeader('Median').waitFor()
  await view.cell('1.2 s').waitFor()
  await view.cell('get-sum').waitFor()

  const dashboard = view.link(/the dashboard/)
  expect(await dashboard.getAttribute('href')).toBe('https://example.com/dashboard')
  expect(await dashboard.getAttribute('target')).toBe('_blank')
  expect(await dashboard.getAttribute('rel')).toBe('noopener noreferrer')
  expect(await view.link(/example\.com\/docs/).getAttribute('href')).toBe(
    'https://example.com/docs',
  )
  // The javascript: link is its words only: no link anywhere on the page goes to a script.
  await view.root.getByText(/this trap/).waitFor()
  expect(await view.root.getByRole('link', { name: /this trap/ }).count()).toBe(0)
  expect(await page.locator('a[href^="javascript:" i], [href*="alert(" i]').count()).toBe(0)

  await view.inlineCode('npm test').waitFor()
  expect(await view.codeBlock().filter({ hasText: 'return a + b' }).count()).toBe(1)
  // Shiki loads lazily: the block is coloured once its grammar is here.
  await expect.poll(() => view.highlightedTokens().count(), { timeout: 20_000 }).toBeGreaterThan(3)

  await expect.poll(() => view.math().count(), { timeout: 20_000 }).toBe(2)
  expect(await view.displayMath().count()).toBe(1)
  expect(await view.math().first().locator('.katex-html').count()).toBe(1)

  await view.diagram().waitFor({ timeout: 30_000 })
  expect(await view.diagram().textContent()).toContain('Call it')
}

describe.skipIf(!HAS_CHROMIUM)('Markdown in Chromium, streamed by the fake model', () => {
  let app: BrowserApp
  let fake: FakeOpenRouter
  let reports: SdkHttpServer

  beforeAll(async () => {
    ;[fake, reports] = await Promise.all([
      startFakeOpenRouter(),
      startSdkHttpServer(markdownServer),
    ])
    const { chat } = testConfig({
      OPENROUTER_API_KEY: 'sk-or-e2e-key',
      OPENROUTER_BASE_URL: fake.baseUrl,
    })
    app = await startBrowserApp({ ssrf: LOOPBACK_POLICY, chat })
  }, 180_000)

  afterAll(async () => {
    await app?.close()
    await reports?.close()
    await fake?.close()
  })

  /** A fresh user, signed in, on a new conversation; CSP violations and requests recorded. */
  async function signedIn(label: string, beforeChat?: (page: Page) => Promise<void>) {
    const context: BrowserContext = await app.browser.newContext({
      baseURL: app.url,
      permissions: ['clipboard-read', 'clipboard-write'],
    })
    const violations = await recordViolations(context)
    const page = await context.newPage()
    const errors: string[] = []
    page.on('console', (msg) => {
      // The session probe on the sign-in page answers 401 before the user registers.
      if (msg.type() === 'error' && !/status of 401/.test(msg.text())) errors.push(msg.text())
    })
    page.on('pageerror', (error) => errors.push(error.message))
    page.on('response', (response) => {
      if (response.status() >= 400 && response.status() !== 401) {
        errors.push(`${response.status()} ${response.url()}`)
      }
    })
    const elsewhere: string[] = []
    page.on('request', (request) => {
      const url = request.url()
      if (!url.startsWith(app.url) && !url.startsWith('data:') && !url.startsWith('blob:')) {
        elsewhere.push(url)
      }
    })
    const dialogs: string[] = []
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message())
      void dialog.dismiss()
    })
    onTestFailed(async () => {
      await screenshot(page, `markdown-${label}-failure`).catch(() => {})
    })
    await page.setViewportSize({ width: 1280, height: 900 })
    // Registered through the API the sign-up page uses (its own tests drive the form): the
    // session cookie lands in this browser context.
    const registered = await page.request.post('/api/auth/register', {
      data: { email: `e2e-md-${label}-${Date.now()}@example.test`, password: PASSWORD },
      headers: { origin: app.url },
    })
    expect(registered.status()).toBe(201)
    await page.goto('/chat')
    await beforeChat?.(page)
    const chat = new ChatPage(page)
    await chat.newConversation()
    return { context, page, chat, violations, errors, elsewhere, dialogs }
  }

  it('renders every element while the answer streams in small pieces, and again after a reload', async () => {
    const { context, page, chat, violations, errors, elsewhere, dialogs } = await signedIn('answer')
    // ~1,100 characters in pieces of 4, one every 15 ms: several seconds of streaming.
    fake.enqueue(textInChunks(MARKDOWN_ANSWER, 4, { delayMs: 15 }))
    await chat.send('Summarise the week, with `npm test` in it')
    const answer = new MarkdownView(chat.answers().last())

    // While it streams: the heading and the first table cells are already rendered as such.
    const seen = { heading: false, cell: false }
    await expect
      .poll(
        async () => {
          const now = await page.evaluate(() => {
            const list = document.querySelector('[aria-label="Messages"]')
            const last = [...document.querySelectorAll('[data-role="assistant"]')].at(-1)
            return {
              busy: list?.getAttribute('aria-busy') === 'true',
              heading: Boolean(last?.querySelector('h1')),
              cell: Boolean(last?.querySelector('td')),
            }
          })
          if (now.busy) {
            seen.heading ||= now.heading
            seen.cell ||= now.cell
          }
          return (seen.heading && seen.cell) || !now.busy
        },
        { timeout: 30_000, interval: 50 },
      )
      .toBe(true)
    expect(seen).toEqual({ heading: true, cell: true })
    await screenshot(page, 'markdown-streaming')

    await expect.poll(() => chat.sendButton().isVisible(), { timeout: 30_000 }).toBe(true)
    // The thread followed the answer down: its end is in view, with no jump button.
    const thread = page.locator('section[aria-labelledby="chat-thread-title"]')
    const fromBottom = () =>
      thread.evaluate((el) => el.scrollHeight - el.clientHeight - el.scrollTop)
    await expect.poll(fromBottom, { timeout: 10_000 }).toBeLessThan(4)
    const jump = page.getByRole('button', { name: 'Jump to the latest message' })
    expect(await jump.count()).toBe(0)
    await expectEveryElement(answer, page)

    // Scrolled up, the reader stays there and gets a way back down.
    // (Over the thread's title: over a code block or a table, the wheel scrolls that instead.)
    await chat.threadTitle().hover()
    await page.mouse.wheel(0, -2000)
    await jump.waitFor()
    expect(await fromBottom()).toBeGreaterThan(100)
    await jump.click()
    await expect.poll(fromBottom, { timeout: 10_000 }).toBeLessThan(4)
    await jump.waitFor({ state: 'detached' })

    // The copy button puts the code, as written, on the clipboard.
    await answer.copyCodeButton().click()
    await expect
      .poll(() => page.evaluate(() => navigator.clipboard.readText().then((t) => t.trimEnd())))
      .toBe(CODE)

    // The trap does nothing when clicked: no script ran, the page stayed.
    const before = page.url()
    await answer.root.getByText(/this trap/).click()
    expect(page.url()).toBe(before)
    expect(dialogs).toEqual([])

    await screenshot(page, 'markdown-answer-light')
    expect(await luminanceOf(page, await answer.diagramNodeFill())).toBeGreaterThan(0.5)
    await setTheme(page, 'dark')
    // The diagram is drawn again in Mermaid's dark theme.
    await expect
      .poll(async () => luminanceOf(page, await answer.diagramNodeFill()), { timeout: 20_000 })
      .toBeLessThan(0.1)
    await screenshot(page, 'markdown-answer-dark')
    await page.setViewportSize({ width: 390, height: 844 })
    await answer.heading(3, 'Numbers').scrollIntoViewIfNeeded()
    await screenshot(page, 'markdown-answer-phone-dark')
    // Buttons floating on code blocks and diagrams stay under the composer when scrolled past
    // it: with the diagram's buttons moved to the height of Send, the composer is what is there.
    const send = await chat.sendButton().boundingBox()
    const covered = await thread.evaluate((scroller, target) => {
      const buttons = scroller.querySelector('[data-streamdown="mermaid-block-actions"]')
      if (!buttons || !target) return 'no diagram buttons'
      const before = buttons.getBoundingClientRect()
      scroller.scrollTop -= target.y + target.height / 2 - (before.top + before.height / 2)
      const after = buttons.getBoundingClientRect()
      const hit = document.elementFromPoint(
        after.left + after.width / 2,
        after.top + after.height / 2,
      )
      return hit?.closest('form') ? 'composer' : (hit?.outerHTML.slice(0, 80) ?? 'nothing')
    }, send)
    expect(covered).toBe('composer')
    await setTheme(page, 'light')
    await answer.codeBlock().scrollIntoViewIfNeeded()
    await screenshot(page, 'markdown-answer-phone-light')
    await page.setViewportSize({ width: 1280, height: 900 })

    // Stored as text, rendered the same from the database.
    await page.reload()
    await expectEveryElement(new MarkdownView(chat.answers().last()), page)

    expect(violations).toEqual([])
    expect(elsewhere).toEqual([])
    expect(errors).toEqual([])
    await context.close()
  }, 180_000)

  it('loads no Markdown renderer, Shiki, KaTeX, Mermaid or charts on the first pages', async () => {
    const context = await app.browser.newContext({ baseURL: app.url })
    const page = await context.newPage()
    const scripts: Promise<{ url: string; body: string }>[] = []
    page.on('response', (response) => {
      if (/\/assets\/.*\.js$/.test(response.url())) {
        scripts.push(response.text().then((body) => ({ url: response.url(), body })))
      }
    })
    await page.goto('/login')
    await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor()
    const registered = await page.request.post('/api/auth/register', {
      data: { email: `e2e-md-first-${Date.now()}@example.test`, password: PASSWORD },
      headers: { origin: app.url },
    })
    expect(registered.status()).toBe(201)
    await page.goto('/chat')
    await page.getByRole('button', { name: 'New conversation' }).first().waitFor()
    const loaded = await Promise.all(scripts)
    expect(loaded.length).toBeGreaterThan(0)
    // A string each of them has, and nothing else of the app.
    const signatures = {
      markdown: 'data-streamdown',
      katex: 'KaTeX parse error',
      mermaid: 'flowchart-v2',
      shiki: '_textmateThemeCache',
      recharts: 'recharts-wrapper',
    }
    const found = loaded.flatMap(({ url, body }) =>
      Object.entries(signatures)
        .filter(([, signature]) => body.includes(signature))
        .map(([name]) => `${name} in ${new URL(url).pathname}`),
    )
    expect(found).toEqual([])
    await context.close()
  }, 120_000)

  it('keeps inline code in your own message readable, light and dark', async () => {
    const { context, page, chat, violations, errors } = await signedIn('bubble')
    fake.enqueue(text('Done.'))
    await chat.send('Please run `npm test` and **then** stop')
    await chat.answers().getByText('Done.').waitFor()
    const bubble = '[data-role="user"]'
    const code = chat.messages().locator(`${bubble} [data-streamdown="inline-code"]`)
    await expect.poll(() => code.textContent()).toBe('npm test')
    // Every text in the bubble, the inline code included, has WCAG AA contrast (4.5:1).
    expect(await findLowContrast(page, bubble)).toEqual([])
    await screenshot(page, 'markdown-user-bubble-light')
    await setTheme(page, 'dark')
    expect(await findLowContrast(page, bubble)).toEqual([])
    await screenshot(page, 'markdown-user-bubble-dark')
    expect(violations).toEqual([])
    expect(errors).toEqual([])
    await context.close()
  }, 120_000)

  it('renders a tool result that is Markdown, with a switch to its raw text', async () => {
    const { context, page, chat, violations, errors } = await signedIn('tool', async (page) => {
      const added = await page.request.post('/api/user/mcp-servers', {
        data: { name: 'reports', transport: 'streamable-http', url: reports.url },
        headers: { origin: app.url },
      })
      expect(added.status()).toBe(201)
    })

    fake.enqueue(
      toolCall('reports__weekly-report', {}),
      toolCall('reports__plain-status', {}),
      text('The report is above.'),
    )
    await chat.send('Show me the weekly report and the status')
    const report = chat.toolCards('weekly-report', 'reports').first()
    await expect.poll(() => chat.cardState(report), { timeout: 20_000 }).toBe('succeeded')
    await chat.answers().getByText('The report is above.').waitFor()

    const result = chat.result(report)
    const rendered = new MarkdownView(result)
    await rendered.heading(2, 'Weekly report').waitFor()
    await rendered.cell('42').waitFor()
    expect(await rendered.link(/the docs/).getAttribute('rel')).toBe('noopener noreferrer')
    const toggle = result.getByRole('button', { name: 'Raw text', exact: true })
    expect(await toggle.getAttribute('aria-pressed')).toBe('false')
    await screenshot(page, 'markdown-tool-result-rendered')

    await toggle.click()
    expect(await toggle.getAttribute('aria-pressed')).toBe('true')
    expect(await result.locator('pre').textContent()).toBe(MARKDOWN_REPORT)
    expect(await result.getByRole('heading').count()).toBe(0)
    await screenshot(page, 'markdown-tool-result-raw')
    await toggle.click()
    await rendered.heading(2, 'Weekly report').waitFor()

    // A plain line stays a plain line, with no switch.
    const status = chat.toolCards('plain-status', 'reports').first()
    await expect.poll(() => chat.cardState(status), { timeout: 20_000 }).toBe('succeeded')
    expect(await chat.result(status).textContent()).toContain('All systems normal')
    expect(await chat.result(status).getByRole('button', { name: 'Raw text' }).count()).toBe(0)

    expect(violations).toEqual([])
    expect(errors).toEqual([])
    await context.close()
  }, 120_000)
})
