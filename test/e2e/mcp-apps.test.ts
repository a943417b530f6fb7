import { mkdirSync } from 'node:fs'
import type { Frame, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest'
import { type FakeOpenRouter, startFakeOpenRouter, text } from '../fixtures/llm/fake-openrouter.ts'
import { callGetTime } from '../fixtures/llm/mcp-apps.ts'
import { appServer } from '../fixtures/mcp/app-server.ts'
import { startSdkHttpServer } from '../fixtures/mcp/sdk-http-server.ts'
import { LOOPBACK_POLICY, type RunningHttp, startAppExample } from '../helpers/mcp-servers.ts'
import { testConfig } from '../helpers/test-config.ts'
import { type BrowserApp, HAS_CHROMIUM, SCREENSHOT_DIR, startBrowserApp } from './browser.ts'
import { AuthPages } from './pages/auth-pages.ts'
import { ChatPage } from './pages/chat-page.ts'
import { ToolTesterPage } from './pages/tool-tester-page.ts'

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/

/** The window as the user sees it (docs/screenshots/ holds copies of some, for the README). */
async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true })
  await page.screenshot({ path: `${SCREENSHOT_DIR}/${name}.png` })
}

/** Adds a server through the API, as the signed-in page (its cookie, its origin). */
async function addServer(page: Page, name: string, url: string): Promise<string> {
  return page.evaluate(
    async ({ name, url }) => {
      const res = await fetch('/api/user/mcp-servers', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name, url, transport: 'streamable-http' }),
      })
      if (!res.ok) throw new Error(`${res.status} ${await res.text()}`)
      return ((await res.json()) as { id: string }).id
    },
    { name, url },
  )
}

async function api<T>(page: Page, path: string, init?: { method: string; body: unknown }) {
  return page.evaluate(
    async ({ path, init }) => {
      const res = await fetch(path, {
        method: init?.method ?? 'GET',
        headers: { 'content-type': 'application/json' },
        ...(init ? { body: JSON.stringify(init.body) } : {}),
      })
      return { status: res.status, body: await res.json().catch(() => null) }
    },
    { path, init },
  ) as Promise<{ status: number; body: T }>
}

/** The app's own document: the inner (srcdoc) frame inside our sandbox page. */
async function appFrame(page: Page): Promise<Frame> {
  let found: Frame | undefined
  await expect
    .poll(
      async () => {
        // The newest live one: a card that re-renders makes its app anew.
        found = page
          .frames()
          .filter((f) => f.url() === 'about:srcdoc' && !f.isDetached())
          .at(-1)
        return found ? await found.locator('body').count() : 0
      },
      { timeout: 20_000 },
    )
    .toBe(1)
  return found as Frame
}

/**
 * Clicks a button of the app as the app's page sees it. A pointer click at its coordinates can
 * land on Switchboard's own floating buttons over the frame (Jump to latest) on a small screen.
 */
async function press(frame: Frame, selector: string): Promise<void> {
  await frame.locator(selector).dispatchEvent('click')
}

/** What the app reaches from inside its sandbox: each attempt's outcome, never a throw. */
async function probeEscape(frame: Frame, otherOrigin: string, switchboard: string) {
  return frame.evaluate(
    async ([other, home]) => {
      const attempt = async (url: string) => {
        try {
          const res = await fetch(url, { credentials: 'include' })
          return `reached ${res.status}`
        } catch (error) {
          return `blocked: ${(error as Error).name}`
        }
      }
      let cookie: string
      try {
        cookie = `read "${document.cookie}"`
      } catch (error) {
        cookie = `blocked: ${(error as Error).name}`
      }
      let parent: string
      try {
        parent = `read ${window.parent.parent.location.href}`
      } catch (error) {
        parent = `blocked: ${(error as Error).name}`
      }
      return {
        origin: self.origin,
        // Switchboard's own API by its full address (cookies included if they could be).
        api: await attempt(`${home}/api/user/mcp-servers`),
        apiRelative: await attempt('/api/user/mcp-servers'),
        other: await attempt(other),
        cookie,
        parent,
      }
    },
    [otherOrigin, switchboard] as const,
  )
}

describe.skipIf(!HAS_CHROMIUM)('MCP Apps in Chromium, with the official examples', () => {
  let app: BrowserApp
  let fake: FakeOpenRouter
  let vanilla: RunningHttp
  let react: RunningHttp

  beforeAll(async () => {
    ;[fake, vanilla, react] = await Promise.all([
      startFakeOpenRouter(),
      startAppExample('server-basic-vanillajs'),
      startAppExample('server-basic-react'),
    ])
    const { chat } = testConfig({
      OPENROUTER_API_KEY: 'sk-or-e2e-key',
      OPENROUTER_BASE_URL: fake.baseUrl,
    })
    app = await startBrowserApp({ ssrf: LOOPBACK_POLICY, chat })
  }, 180_000)

  afterAll(async () => {
    await app?.close()
    await Promise.all([vanilla?.close(), react?.close(), fake?.close()])
  })

  async function registered(label: string) {
    const { page, errors } = await app.newPage()
    await page.setViewportSize({ width: 1280, height: 1000 })
    await page.goto('/login')
    await new AuthPages(page).register(
      `e2e-apps-${label}-${Date.now()}@example.test`,
      'correct horse battery staple',
    )
    await page.waitForURL(/\/chat$/)
    onTestFailed(async () => {
      await shot(page, `mcp-apps-${label}-failure`).catch(() => {})
    })
    return { page, errors }
  }

  it('renders the app in chat with its result, lets it call its own tool (logged as app), blocks everything else, and survives a reload', async () => {
    const { page } = await registered('chat')
    const serverId = await addServer(page, 'vanilla', vanilla.url)
    const tools = await api<{ tools: { id: string; name: string; app: unknown }[] }>(
      page,
      `/api/user/mcp-servers/${serverId}/tools`,
    )
    const getTime = tools.body.tools.find((t) => t.name === 'get-time')
    expect(getTime?.app).toMatchObject({
      resourceUri: 'ui://get-time/mcp-app.html',
      visibility: ['model', 'app'],
    })

    const chat = new ChatPage(page)
    await chat.newConversation()
    fake.enqueue(...callGetTime('vanilla'))
    await chat.send('What time is it on the server?')
    // get-time is not marked read-only: the chat asks first, as for any tool.
    const card = page.locator('article[data-tool="get-time"]')
    await card.getByRole('button', { name: 'Approve', exact: true }).click()
    await expect.poll(() => card.getAttribute('data-state'), { timeout: 20_000 }).toBe('succeeded')

    // The app renders in the card and shows the result it was given.
    await card.locator('iframe[data-mcp-app="ui://get-time/mcp-app.html"]').waitFor()
    let frame = await appFrame(page)
    await expect
      .poll(() => frame.locator('#server-time').textContent(), { timeout: 20_000 })
      .toMatch(ISO_TIME)
    const shown = await frame.locator('#server-time').textContent()
    await shot(page, 'mcp-app-chat')

    // It calls get-time of its own server: the tool asks first, so the user confirms here.
    await press(frame, '#get-time-btn')
    const dialog = page.getByRole('alertdialog')
    await dialog.getByText(/wants to run “get-time”/).waitFor()
    await shot(page, 'mcp-app-confirm-call')
    await dialog.getByRole('button', { name: 'Run', exact: true }).click()
    await expect
      .poll(() => frame.locator('#server-time').textContent(), { timeout: 20_000 })
      .not.toBe(shown)
    const calls = await api<{ calls: { source: string; toolName: string; status: string }[] }>(
      page,
      '/api/user/mcp-tool-calls',
    )
    expect(calls.body.calls.map((c) => c.source).sort()).toEqual(['app', 'chat'])
    expect(calls.body.calls.find((c) => c.source === 'app')).toMatchObject({
      toolName: 'get-time',
      status: 'succeeded',
    })

    // Nothing else is in reach: not Switchboard's API, not another origin, not the cookie.
    const probe = await probeEscape(frame, `${react.origin}/mcp`, app.url)
    expect(probe.origin).toBe('null')
    expect(probe.api).toMatch(/^blocked/)
    expect(probe.apiRelative).toMatch(/^blocked/)
    expect(probe.other).toMatch(/^blocked/)
    expect(probe.cookie).toMatch(/^blocked/)
    expect(probe.parent).toMatch(/^blocked/)

    // After a reload the card renders the app again, from the stored result.
    await page.reload()
    await card.locator('iframe[data-mcp-app]').waitFor({ timeout: 20_000 })
    frame = await appFrame(page)
    await expect
      .poll(() => frame.locator('#server-time').textContent(), { timeout: 20_000 })
      .toBe(shown)
    await page.mouse.move(0, 0)
    await shot(page, 'mcp-app-chat-reloaded')

    // The server's page marks the tool's app and switches apps off: then the card shows the
    // plain result instead.
    const conversation = page.url()
    await page.goto(`/servers/${serverId}`)
    await page.locator('[data-app="ui://get-time/mcp-app.html"]').waitFor()
    const showApps = page.getByRole('switch', { name: 'Show apps' })
    expect(await showApps.getAttribute('aria-checked')).toBe('true')
    await shot(page, 'mcp-app-server-page')
    await showApps.click()
    await page.getByText('Apps of vanilla are off: their cards show the plain result.').waitFor()
    expect(await showApps.getAttribute('aria-checked')).toBe('false')
    await page.goto(conversation)
    await card.getByText(shown as string, { exact: true }).waitFor()
    expect(await card.locator('iframe').count()).toBe(0)
  })

  it('sends its message and opens its link only once the user confirms, in the dark theme on a phone', async () => {
    const { page } = await registered('confirm')
    await page.emulateMedia({ colorScheme: 'dark' })
    await page.setViewportSize({ width: 390, height: 844 })
    await addServer(page, 'vanilla', vanilla.url)
    const chat = new ChatPage(page)
    await chat.newConversation()
    fake.enqueue(...callGetTime('vanilla'))
    await chat.send('The time, please')
    const card = page.locator('article[data-tool="get-time"]')
    await card.getByRole('button', { name: 'Approve', exact: true }).click()
    await card.locator('iframe[data-mcp-app]').waitFor({ timeout: 20_000 })
    const frame = await appFrame(page)
    await expect
      .poll(() => frame.locator('#server-time').textContent(), { timeout: 20_000 })
      .toMatch(ISO_TIME)

    // The host context says dark (the app applies it), and the card fits the phone.
    await expect
      .poll(() => frame.evaluate(() => document.documentElement.style.colorScheme))
      .toBe('dark')
    // A theme change reaches the running app (ui/notifications/host-context-changed).
    await page.emulateMedia({ colorScheme: 'light' })
    await expect
      .poll(() => frame.evaluate(() => document.documentElement.style.colorScheme))
      .toBe('light')
    await page.emulateMedia({ colorScheme: 'dark' })
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
    await card.scrollIntoViewIfNeeded()
    await shot(page, 'mcp-app-phone-dark')

    // ui/message: nothing reaches the chat until the user says Send.
    fake.enqueue(text('Thanks for the message.'))
    await frame.locator('#message-text').fill('Message from the app')
    await press(frame, '#send-message-btn')
    const dialog = page.getByRole('alertdialog')
    await dialog.getByText(/Message from the app/).waitFor()
    await shot(page, 'mcp-app-confirm-message')
    await dialog.getByRole('button', { name: 'Send', exact: true }).click()
    await chat.messages().getByText('Message from the app', { exact: true }).waitFor()
    await chat.messages().getByText('Thanks for the message.').waitFor({ timeout: 20_000 })

    // ui/open-link: Cancel opens nothing; Open opens a new tab. (Wait until the app has its
    // result again, in case the card was re-rendered when the answer arrived.)
    const appFrameAgain = await appFrame(page)
    await expect
      .poll(() => appFrameAgain.locator('#server-time').textContent(), { timeout: 20_000 })
      .toMatch(ISO_TIME)
    await press(appFrameAgain, '#open-link-btn')
    await dialog.getByText(/https:\/\/modelcontextprotocol\.io\//).waitFor()
    await dialog.getByRole('button', { name: 'Cancel', exact: true }).click()
    await dialog.waitFor({ state: 'hidden' })
    expect(page.context().pages()).toHaveLength(1)
    await press(appFrameAgain, '#open-link-btn')
    // No internet here: the link's site is answered by the browser context itself.
    await page
      .context()
      .route('https://modelcontextprotocol.io/**', (route) =>
        route.fulfill({ contentType: 'text/html', body: '<title>MCP</title>' }),
      )
    const opened = page.context().waitForEvent('page')
    await dialog.getByRole('button', { name: 'Open', exact: true }).click()
    const tab = await opened
    await tab.waitForURL('https://modelcontextprotocol.io/')
    await tab.close()
  })

  it('lets an app reach exactly the origins its resource declares', async () => {
    // A small app server (ext-apps' own server helpers) whose app declares one connect origin.
    const served = {
      html: '<!doctype html><p id="ready">declared</p>',
      csp: { connectDomains: [react.origin] },
    }
    const declaring = await startSdkHttpServer(appServer(served))
    try {
      const { page } = await registered('csp')
      const serverId = await addServer(page, 'declaring', declaring.url)
      await page.goto(`/servers/${serverId}/tools/clock/try`)
      const tester = new ToolTesterPage(page, 'clock')
      await tester.waitFor()
      await tester.run()
      await page.locator('iframe[data-mcp-app]').waitFor({ timeout: 20_000 })
      const frame = await appFrame(page)
      await frame.locator('#ready').waitFor()
      const reach = (url: string) =>
        frame.evaluate(async (target) => {
          try {
            return `reached ${(await fetch(target, { method: 'POST' })).status}`
          } catch (error) {
            return `blocked: ${(error as Error).name}`
          }
        }, url)
      expect(await reach(`${react.origin}/mcp`)).toMatch(/^reached/)
      expect(await reach(`${vanilla.origin}/mcp`)).toMatch(/^blocked/)
      expect(await reach('/api/user/mcp-servers')).toMatch(/^blocked/)

      // The server changes its app: the tool waits for the user's review, which shows the app's
      // new version; accepted, the new app renders.
      served.html = '<!doctype html><p id="ready">version two</p>'
      const sync = await api(page, `/api/user/mcp-servers/${serverId}/sync`, {
        method: 'POST',
        body: {},
      })
      expect(sync.status).toBe(200)
      await page.goto(`/servers/${serverId}`)
      // clock comes first (tick changed with it: they share the app).
      await page.getByRole('button', { name: 'Review change' }).first().click()
      const diff = page.getByRole('table', { name: 'Changes to clock' })
      await diff.getByText('App (MCP Apps)').waitFor()
      await shot(page, 'mcp-app-changed')
      await page.getByRole('button', { name: 'Accept the change to clock' }).click()
      await page.getByText('Change to clock accepted.').waitFor()
      await page.goto(`/servers/${serverId}/tools/clock/try`)
      await tester.waitFor()
      await tester.run()
      await expect
        .poll(async () => (await appFrame(page)).locator('#ready').textContent(), {
          timeout: 20_000,
        })
        .toBe('version two')
    } finally {
      await declaring.close()
    }
  })

  it('renders the React example in the tool tester and refuses app calls to another server', async () => {
    const { page } = await registered('tester')
    const reactId = await addServer(page, 'react', react.url)
    const vanillaId = await addServer(page, 'vanilla', vanilla.url)
    const toolsOf = async (id: string) =>
      (
        await api<{ tools: { id: string; name: string }[] }>(
          page,
          `/api/user/mcp-servers/${id}/tools`,
        )
      ).body.tools
    const reactTool = (await toolsOf(reactId)).find((t) => t.name === 'get-time')
    const vanillaTool = (await toolsOf(vanillaId)).find((t) => t.name === 'get-time')

    await page.goto(`/servers/${reactId}/tools/get-time/try`)
    const tester = new ToolTesterPage(page, 'get-time')
    await tester.waitFor()
    await tester.run()
    await page.locator('iframe[data-mcp-app]').waitFor({ timeout: 20_000 })
    const frame = await appFrame(page)
    const button = frame.getByRole('button', { name: 'Get Server Time' })
    await button.waitFor({ timeout: 20_000 })
    await shot(page, 'mcp-app-tester')

    // The React app calls get-time of its own server: confirmed, run, logged as the app's.
    await button.dispatchEvent('click')
    await page.getByRole('alertdialog').getByRole('button', { name: 'Run', exact: true }).click()
    await expect
      .poll(
        async () =>
          (
            await api<{ calls: { source: string; status: string }[] }>(
              page,
              '/api/user/mcp-tool-calls',
            )
          ).body.calls.map((c) => `${c.source}:${c.status}`),
        { timeout: 20_000 },
      )
      .toEqual(['app:succeeded', 'manual:succeeded'])

    // The proxy refuses an app's call to a tool of another server, and logs the refusal.
    const refused = await api<{ error: { code: string; reason: { key: string } } }>(
      page,
      '/api/chat/tool-call',
      {
        method: 'POST',
        body: {
          toolId: vanillaTool?.id,
          arguments: {},
          source: 'app',
          appToolId: reactTool?.id,
          approved: true,
        },
      },
    )
    expect(refused.status).toBe(403)
    expect(refused.body.error.reason.key).toBe('toolCall.appOtherServer')
    // And a tool that asks first, without the user's yes.
    const unconfirmed = await api<{ error: { code: string } }>(page, '/api/chat/tool-call', {
      method: 'POST',
      body: { toolId: reactTool?.id, arguments: {}, source: 'app', appToolId: reactTool?.id },
    })
    expect(unconfirmed.status).toBe(409)
    expect(unconfirmed.body.error.code).toBe('approval_required')
  })
})
