import { mkdirSync } from 'node:fs'
import type { BrowserContext, BrowserContextOptions, Page } from 'playwright-core'
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
import { findLowContrast, luminanceOf } from './contrast.ts'
import { AppShell } from './pages/app-shell.ts'
import { AuthPages } from './pages/auth-pages.ts'
import { ChatPage } from './pages/chat-page.ts'
import { ServersPage } from './pages/servers-page.ts'
import { SettingsPage } from './pages/settings-page.ts'
import { ToolCallsPage } from './pages/tool-calls-page.ts'

const PASSWORD = 'correct horse battery staple'
const PHONE = { width: 390, height: 844 }
const DESKTOP = { width: 1280, height: 900 }
/** Generous: the machine running these may be busy. */
const POLL = { timeout: 20_000, interval: 100 }

type StorageState = Awaited<ReturnType<BrowserContext['storageState']>>
interface Account {
  email: string
  state: StorageState
}

/** What the window shows (the chat's header and composer stay put, so a full page adds nothing). */
async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true })
  await page.screenshot({ path: `${SCREENSHOT_DIR}/${name}.png` })
}

function screenshotOnFailure(page: Page, name: string) {
  onTestFailed(async () => {
    await screenshot(page, `${name}-failure`).catch(() => {})
  })
}

describe.skipIf(!HAS_CHROMIUM)('looks and layout in Chromium', () => {
  let app: BrowserApp
  let fake: FakeOpenRouter
  let everything: RunningHttp
  /** The first account, so an administrator: the admin page is one of the pages to check. */
  let admin: Account

  const contexts: BrowserContext[] = []

  /** A page of a fresh browser context; `account` signs it in. */
  async function open(
    options: BrowserContextOptions & { account?: Account } = {},
  ): Promise<{ page: Page; errors: string[] }> {
    const { account, ...rest } = options
    const context = await app.browser.newContext({
      baseURL: app.url,
      viewport: DESKTOP,
      ...rest,
      ...(account ? { storageState: account.state } : {}),
    })
    contexts.push(context)
    const page = await context.newPage()
    const errors: string[] = []
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(msg.text())
    })
    page.on('pageerror', (error) => errors.push(error.message))
    return { page, errors }
  }

  async function register(label: string, email?: string): Promise<Account> {
    const { page } = await open()
    const address = email ?? `e2e-${label}-${Date.now()}@example.test`
    await page.goto('/login')
    try {
      await new AuthPages(page).register(address, PASSWORD)
      await page.waitForURL(/\/chat$/)
    } catch (error) {
      await screenshot(page, `layout-register-${label}-failure`).catch(() => {})
      throw error
    }
    return { email: address, state: await page.context().storageState() }
  }

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
    admin = await register('admin')
  }, 180_000)

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => {})
    await app?.close()
    await everything?.close()
    await fake?.close()
  })

  /**
   * Loads `path` with the app's scripts held back, and reports the page as it stands before any
   * of them runs: the class on <html> and the body's background, which is all a first paint has.
   */
  async function beforeTheApp(page: Page, path: string) {
    let release = () => {}
    const held = new Promise<void>((resolve) => {
      release = resolve
    })
    const appScripts = /\/assets\/[^/]+\.js$/
    await page.route(appScripts, async (route) => {
      await held
      await route.continue()
    })
    try {
      await page.goto(path, { waitUntil: 'commit' })
      // Parsed, and the stylesheet applied (it waits for nothing of the app's).
      await page.waitForFunction(
        () =>
          document.readyState !== 'loading' &&
          getComputedStyle(document.body).backgroundColor !== 'rgba(0, 0, 0, 0)',
      )
      const state = await page.evaluate(() => ({
        dark: document.documentElement.classList.contains('dark'),
        appHasRun: (document.getElementById('root')?.childElementCount ?? 0) > 0,
        background: getComputedStyle(document.body).backgroundColor,
      }))
      return { ...state, luminance: await luminanceOf(page, state.background) }
    } finally {
      release()
      await page.unrouteAll({ behavior: 'wait' })
    }
  }

  const isDark = (page: Page) =>
    page.evaluate(() => document.documentElement.classList.contains('dark'))

  it('remembers light, dark and system across a reload, dark from the first paint', async () => {
    const { page, errors } = await open({ account: admin, colorScheme: 'light' })
    screenshotOnFailure(page, 'layout-theme')
    const settings = new SettingsPage(page)
    await settings.open()
    expect(await settings.theme('System').isChecked()).toBe(true)
    expect(await isDark(page)).toBe(false)

    await settings.chooseTheme('Dark')
    await expect.poll(() => isDark(page), POLL).toBe(true)
    const dark = await beforeTheApp(page, '/settings')
    expect(dark).toMatchObject({ dark: true, appHasRun: false })
    expect(dark.luminance).toBeLessThan(0.05)
    await settings.theme('Dark').waitFor()
    expect(await settings.theme('Dark').isChecked()).toBe(true)
    await screenshot(page, 'layout-settings-dark')

    await settings.chooseTheme('Light')
    await expect.poll(() => isDark(page), POLL).toBe(false)
    // The system is dark now, and the choice of light still wins from the first paint.
    await page.emulateMedia({ colorScheme: 'dark' })
    const light = await beforeTheApp(page, '/settings')
    expect(light).toMatchObject({ dark: false, appHasRun: false })
    expect(light.luminance).toBeGreaterThan(0.9)
    await settings.theme('Light').waitFor()
    expect(await settings.theme('Light').isChecked()).toBe(true)

    await settings.chooseTheme('System')
    await expect.poll(() => isDark(page), POLL).toBe(true)
    const system = await beforeTheApp(page, '/settings')
    expect(system).toMatchObject({ dark: true, appHasRun: false })
    await settings.theme('System').waitFor()
    // The system changes its mind while the page is open: the page follows.
    await page.emulateMedia({ colorScheme: 'light' })
    await expect.poll(() => isDark(page), POLL).toBe(false)

    expect(errors).toEqual([])
  }, 120_000)

  it('shows every main page in dark with text that reads (4.5:1)', async () => {
    const { page, errors } = await open({ account: admin, colorScheme: 'dark' })
    screenshotOnFailure(page, 'layout-dark')
    const origin = app.url
    // Something on every page: a server, a call in the history, a conversation with an answer.
    const created = await page.request.post('/api/user/mcp-servers', {
      data: { name: 'everything', transport: 'streamable-http', url: everything.url },
      headers: { origin },
    })
    expect(created.status()).toBe(201)
    const server = (await created.json()) as { id: string }
    const called = await page.request.post('/api/chat/tool-call', {
      data: { serverId: server.id, toolName: 'echo', arguments: { message: 'dark' } },
      headers: { origin },
    })
    expect(called.status()).toBe(200)

    await page.goto('/chat')
    const chat = new ChatPage(page)
    await chat.newConversation()
    fake.enqueue(
      text('Here is **bold** text, `inline code` and a list:\n\n- one\n- two\n\nAll done.'),
    )
    await chat.send('Show me some formatting')
    await chat.answers().getByText('All done.').waitFor()

    const pages = [
      { name: 'chat', path: page.url(), ready: () => chat.answers().first().waitFor() },
      { name: 'servers', path: '/servers', heading: 'Servers' },
      { name: 'server-detail', path: `/servers/${server.id}`, heading: 'everything' },
      { name: 'tool-calls', path: '/tool-calls', heading: 'Tool calls' },
      { name: 'settings', path: '/settings', heading: 'Settings' },
      { name: 'admin', path: '/admin', heading: 'Admin' },
    ]
    const problems: Record<string, unknown[]> = {}
    for (const target of pages) {
      await page.goto(target.path)
      if (target.heading) {
        await page.getByRole('heading', { level: 1, name: target.heading }).waitFor()
      }
      await target.ready?.()
      // Let lazy parts (charts, lists) arrive before looking.
      await page.waitForLoadState('networkidle')
      await page.locator('[role="status"]').first().waitFor({ state: 'detached', timeout: 10_000 })
      await expect.poll(() => isDark(page), POLL).toBe(true)
      await screenshot(page, `layout-dark-${target.name}`)
      const low = await findLowContrast(page)
      if (low.length > 0) problems[target.name] = low
    }
    expect(problems).toEqual({})
    expect(errors.filter((e) => !/401|Unauthorized/i.test(e))).toEqual([])
  }, 180_000)

  it('keeps the chat to the window: the messages scroll, the composer stays at the bottom', async () => {
    for (const [label, viewport] of [
      ['desktop', DESKTOP],
      ['phone', PHONE],
    ] as const) {
      const { page } = await open({ account: admin, viewport })
      screenshotOnFailure(page, `layout-chat-height-${label}`)
      await page.goto('/chat')
      const chat = new ChatPage(page)
      await chat.newConversation()
      const lines = Array.from({ length: 60 }, (_, i) => `Line ${i + 1} of a long answer.`)
      fake.enqueue(text(lines.join('\n\n')))
      await chat.send('Give me a long answer')
      await chat.answers().getByText('Line 60 of a long answer.').waitFor()
      // The answer may still be scrolling into view (the thread follows it with a spring).
      const layout = () =>
        page.evaluate(() => {
          const list = document.querySelector('[aria-label="Messages"]')
          let scroller = list?.parentElement ?? null
          while (scroller && scroller.scrollHeight <= scroller.clientHeight) {
            scroller = scroller.parentElement
          }
          return {
            pageScrolls: document.documentElement.scrollHeight > window.innerHeight + 1,
            scrollerIsPage: scroller === document.documentElement || scroller === document.body,
            followedToEnd: scroller
              ? scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 2
              : false,
          }
        })
      await expect
        .poll(layout, POLL)
        .toEqual({ pageScrolls: false, scrollerIsPage: false, followedToEnd: true })
      const composer = await chat.composer().boundingBox()
      const title = await chat.threadTitle().boundingBox()
      if (!composer || !title) throw new Error('composer or thread title not laid out')
      expect(composer.y + composer.height).toBeLessThanOrEqual(viewport.height)
      expect(title.y).toBeGreaterThanOrEqual(0)
      await screenshot(page, `layout-chat-long-${label}`)
    }
  }, 120_000)

  it('reaches every page from the menu on a phone, under a header at most 64 px tall', async () => {
    // A session of its own: signing out at the end ends only this one.
    const { page, errors } = await open({ viewport: PHONE })
    screenshotOnFailure(page, 'layout-phone')
    const shell = new AppShell(page)
    await page.goto('/login')
    await new AuthPages(page).signIn(admin.email, PASSWORD)
    await page.waitForURL(/\/chat$/)
    await shell.menuButton().waitFor()
    const header = await shell.header().boundingBox()
    expect(header?.height).toBeLessThanOrEqual(64)
    await screenshot(page, 'layout-phone-chat')
    // A tablet too: one row, nothing pushed off the side (the German labels are the longest).
    await page.setViewportSize({ width: 820, height: 1000 })
    expect((await shell.header().boundingBox())?.height).toBeLessThanOrEqual(64)
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
    ).toBe(true)
    await page.setViewportSize(PHONE)

    const destinations = [
      { link: 'Chat', path: /\/chat$/, heading: 'Chat' },
      { link: 'Servers', path: /\/servers$/, heading: 'Servers' },
      { link: 'Tool calls', path: /\/tool-calls$/, heading: 'Tool calls' },
      { link: 'Settings', path: /\/settings$/, heading: 'Settings' },
      { link: 'Admin', path: /\/admin$/, heading: 'Admin' },
    ]
    for (const { link, path, heading } of destinations) {
      await shell.openMenu()
      if (link === 'Chat') await screenshot(page, 'layout-phone-menu')
      await shell.menu().getByRole('link', { name: link, exact: true }).click()
      await page.waitForURL(path)
      await shell.menu().waitFor({ state: 'detached' })
      await page.getByRole('heading', { level: 1, name: heading }).waitFor({ state: 'attached' })
      expect((await shell.header().boundingBox())?.height).toBeLessThanOrEqual(64)
    }

    await shell.openMenu()
    await shell.menu().getByRole('button', { name: 'Sign out' }).click()
    await page.waitForURL(/\/login/)
    expect(errors.filter((e) => !/401|Unauthorized/i.test(e))).toEqual([])
  }, 120_000)

  it('gives focus back to what opened a dialog', async () => {
    const { page } = await open({ account: await register('focus') })
    screenshotOnFailure(page, 'layout-focus')
    const focused = () =>
      page.evaluate(() => {
        const element = document.activeElement
        return element && element !== document.body
          ? (element.getAttribute('aria-label') ?? element.textContent?.trim() ?? '')
          : null
      })

    // The server form, opened from the page's button (not a Radix trigger).
    const servers = new ServersPage(page)
    await page.goto('/servers')
    await servers.addButton().first().focus()
    await page.keyboard.press('Enter')
    await servers.dialog().getByRole('heading', { name: 'Add an MCP server' }).waitFor()
    await page.keyboard.press('Escape')
    await servers.dialog().waitFor({ state: 'detached' })
    await expect.poll(focused, POLL).toBe('Add server')

    // The new token's secret, then the confirmation to revoke it.
    const settings = new SettingsPage(page)
    await settings.open()
    await settings.tokenName().fill('focus test')
    await settings.createTokenButton().click()
    const secret = page.getByRole('dialog', { name: 'Copy your new token' })
    await secret.waitFor()
    await page.keyboard.press('Escape')
    await secret.waitFor({ state: 'detached' })
    await expect.poll(focused, POLL).toBe('Create token')

    const revoke = page.getByRole('button', { name: 'Revoke token focus test' })
    await revoke.click()
    const confirm = page.getByRole('alertdialog', { name: 'Revoke “focus test”?' })
    await confirm.getByRole('button', { name: 'Cancel' }).click()
    await confirm.waitFor({ state: 'detached' })
    await expect.poll(focused, POLL).toBe('Revoke token focus test')
  }, 120_000)

  it('keeps toasts clear of the header, on a desktop and on a phone', async () => {
    for (const [label, viewport] of [
      ['desktop', DESKTOP],
      ['phone', PHONE],
    ] as const) {
      const { page } = await open({ account: admin, viewport })
      screenshotOnFailure(page, `layout-toast-${label}`)
      const settings = new SettingsPage(page)
      await settings.open()
      await settings.language().selectOption('de')
      const toast = settings.toast(/Sprache geändert/)
      await toast.waitFor()
      // Measure once it has finished sliding in.
      await expect
        .poll(async () => {
          const before = (await toast.boundingBox())?.y
          await page.waitForTimeout(200)
          return before !== undefined && before === (await toast.boundingBox())?.y
        }, POLL)
        .toBe(true)
      const header = await new AppShell(page).header().boundingBox()
      const box = await toast.boundingBox()
      if (!header || !box) throw new Error('header or toast not laid out')
      await screenshot(page, `layout-toast-${label}`)
      expect(box.y).toBeGreaterThanOrEqual(header.y + header.height)
      await settings.language().selectOption('en')
    }
  }, 120_000)

  it('shows the email in Settings on one line, on a desktop and on a phone', async () => {
    const account = await register('email', `e2e-settings.wide-${Date.now()}@example.test`)
    for (const [label, viewport] of [
      ['desktop', DESKTOP],
      ['phone', PHONE],
    ] as const) {
      const { page } = await open({ account, viewport })
      screenshotOnFailure(page, `layout-settings-email-${label}`)
      const settings = new SettingsPage(page)
      await settings.open()
      await page.getByRole('table').first().waitFor()
      await screenshot(page, `layout-settings-${label}`)
      // The email wherever Settings shows it: the account card, and who did what in the activity.
      const places = page.locator('dd, td, th span').filter({ hasText: account.email })
      const count = await places.count()
      expect(count).toBeGreaterThan(0)
      for (let i = 0; i < count; i++) {
        const place = places.nth(i)
        if (!(await place.isVisible())) continue
        // The lines the email's own text takes, whatever the padding of its cell.
        const lines = await place.evaluate((element, email) => {
          const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT)
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            if (!node.textContent?.includes(email)) continue
            const range = document.createRange()
            range.selectNodeContents(node)
            return new Set([...range.getClientRects()].map((rect) => Math.round(rect.top))).size
          }
          return 0
        }, account.email)
        expect(lines, `${label}: ${await place.evaluate((e) => e.outerHTML)}`).toBe(1)
      }
    }
  }, 120_000)

  it('filters the call history as you type, by part of a tool name or a title, across a reload', async () => {
    const account = await register('filters')
    const { page, errors } = await open({ account })
    screenshotOnFailure(page, 'layout-filters')
    const origin = app.url
    const created = await page.request.post('/api/user/mcp-servers', {
      data: { name: 'everything', transport: 'streamable-http', url: everything.url },
      headers: { origin },
    })
    expect(created.status()).toBe(201)
    const server = (await created.json()) as { id: string }
    // One call in a conversation about Lisbon (its title is its first words), one outside.
    await page.goto('/chat')
    const chat = new ChatPage(page)
    await chat.newConversation()
    fake.enqueue(toolCall('everything__echo', { message: 'Lisbon' }), text('Echoed it.'))
    await chat.send('Plan a trip to Lisbon')
    await chat.answers().getByText('Echoed it.').waitFor()
    const summed = await page.request.post('/api/chat/tool-call', {
      data: { serverId: server.id, toolName: 'get-sum', arguments: { a: 1, b: 2 } },
      headers: { origin },
    })
    expect(summed.status()).toBe(200)

    const calls = new ToolCallsPage(page)
    await page.goto('/tool-calls')
    const rows = () => calls.list().locator('[data-call-id]')
    await expect.poll(() => rows().count(), POLL).toBe(2)

    await calls.filter('Tool').pressSequentially('ECH')
    await page.waitForURL(/toolName=ECH/)
    await expect.poll(() => rows().count(), POLL).toBe(1)
    expect(await calls.rows('echo').count()).toBe(1)
    await page.reload()
    await expect.poll(() => calls.filter('Tool').inputValue(), POLL).toBe('ECH')
    await expect.poll(() => calls.rows('echo').count(), POLL).toBe(1)
    expect(await rows().count()).toBe(1)

    await calls.clearFiltersButton().click()
    await expect.poll(() => rows().count(), POLL).toBe(2)
    await calls.filter('Conversation').pressSequentially('lisbon')
    await page.waitForURL(/conversation=lisbon/)
    await expect.poll(() => rows().count(), POLL).toBe(1)
    expect(await calls.rows('echo').count()).toBe(1)
    await screenshot(page, 'layout-tool-call-filters')
    await page.reload()
    await expect.poll(() => calls.filter('Conversation').inputValue(), POLL).toBe('lisbon')
    await expect.poll(() => calls.rows('echo').count(), POLL).toBe(1)

    await calls.filter('Conversation').fill('nowhere')
    await page.getByText('No calls match these filters').waitFor()
    expect(errors.filter((e) => !/401|Unauthorized/i.test(e))).toEqual([])
  }, 120_000)
})
