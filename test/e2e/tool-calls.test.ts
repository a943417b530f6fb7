import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LOOPBACK_POLICY, type RunningHttp, startEverything } from '../helpers/mcp-servers.ts'
import { type BrowserApp, HAS_CHROMIUM, screenshot, startBrowserApp } from './browser.ts'
import { AppShell } from './pages/app-shell.ts'
import { AuthPages } from './pages/auth-pages.ts'
import { ServersPage } from './pages/servers-page.ts'
import { ToolCallsPage } from './pages/tool-calls-page.ts'
import { ToolTesterPage } from './pages/tool-tester-page.ts'

const LONG = 'trigger-long-running-operation'

let app: BrowserApp
let everything: RunningHttp

describe.skipIf(!HAS_CHROMIUM)(
  'tool tester and tool calls in Chromium, against a real MCP server',
  () => {
    beforeAll(async () => {
      everything = await startEverything('streamableHttp')
      // Loopback allowed: server-everything listens on 127.0.0.1.
      app = await startBrowserApp({ ssrf: LOOPBACK_POLICY })
    }, 180_000)

    afterAll(async () => {
      await app?.close()
      await everything?.close()
    })

    async function signedInWithServer(): Promise<{ page: Page; errors: string[] }> {
      const { page, errors } = await app.newPage()
      await page.goto('/login')
      await new AuthPages(page).register(
        `e2e-tool-calls-${Date.now()}@example.test`,
        'correct horse battery staple',
      )
      await page.waitForURL(/\/chat$/)
      const servers = new ServersPage(page)
      await new AppShell(page).goTo('Servers')
      await servers.openAddDialog()
      await servers.fillServer({ name: 'everything', url: everything.url })
      await servers.submitAdd()
      await servers.dialog().waitFor({ state: 'hidden', timeout: 15_000 })
      await expect.poll(() => servers.status('everything')).toBe('Online')
      return { page, errors }
    }

    /** Straight to a tool's tester on the server page the browser is on (/servers/:id). */
    async function gotoTester(page: Page, serverPath: string, toolName: string) {
      await page.goto(`${serverPath}/tools/${toolName}/try`)
      const tester = new ToolTesterPage(page, toolName)
      await tester.waitFor()
      return tester
    }

    async function openTester(page: Page, toolName: string): Promise<ToolTesterPage> {
      await page.getByRole('link', { name: `Try ${toolName}`, exact: true }).click()
      const tester = new ToolTesterPage(page, toolName)
      await tester.waitFor()
      return tester
    }

    it('runs echo from the form, follows a long call to the end, cancels one, and finds them all in the history', async () => {
      const { page, errors } = await signedInWithServer()
      await new ServersPage(page).openTools('everything')

      // echo: the form generated from its schema, kept in step with the JSON editor.
      const echo = await openTester(page, 'echo')
      await echo.field('message').fill('hello from the form')
      await echo.modeButton('JSON').click()
      await expect
        .poll(() => echo.jsonEditor().inputValue())
        .toContain('"message": "hello from the form"')
      await echo.jsonEditor().fill('{ "message": ')
      await expect.poll(() => echo.describedBy(echo.jsonEditor())).toMatch(/not valid JSON/)
      await echo.modeButton('Form').click()
      await expect.poll(() => page.getByText(/Fix the JSON first/).isVisible()).toBe(true)
      await echo.jsonEditor().fill('{ "message": "hello from JSON" }')
      await echo.modeButton('Form').click()
      expect(await echo.field('message').inputValue()).toBe('hello from JSON')
      await screenshot(page, 'tester-echo-form')

      await echo.run()
      await expect.poll(() => echo.status(), { timeout: 15_000 }).toBe('succeeded')
      await expect.poll(() => echo.result().textContent()).toContain('Echo: hello from JSON')
      await expect.poll(() => echo.toast(/echo finished in/).isVisible()).toBe(true)
      await screenshot(page, 'tester-echo-result')

      // The server refuses arguments that miss a required field, and says which one.
      await echo.field('message').fill('')
      await echo.run()
      await expect
        .poll(() => echo.field('message').getAttribute('aria-invalid'), { timeout: 10_000 })
        .toBe('true')
      expect(await echo.describedBy(echo.field('message'))).toMatch(/^Message to echo Required\.$/)
      await expect
        .poll(() => echo.form().getByRole('alert').first().textContent())
        .toMatch(/^The arguments do not match what “echo” expects\. Correct the marked fields\.$/)
      await screenshot(page, 'tester-echo-invalid')

      // The long-running tool: the bar fills as the server reports each step.
      await page.getByRole('link', { name: 'Back to everything' }).click()
      await page.waitForURL(/\/servers\/[0-9a-f-]{36}$/)
      const long = await openTester(page, LONG)
      expect(await long.field('duration').inputValue()).toBe('10')
      expect(await long.field('steps').inputValue()).toBe('5')
      await long.field('duration').fill('4')
      await long.field('steps').fill('4')
      await long.run()
      const seen = new Set<number>()
      await expect
        .poll(
          async () => {
            const value = await long.progressValue()
            if (value !== null) seen.add(value)
            return seen.size >= 2 || (await long.status()) === 'succeeded'
          },
          { timeout: 20_000, interval: 100 },
        )
        .toBe(true)
      await screenshot(page, 'tester-long-progress')
      await expect.poll(() => long.status(), { timeout: 20_000 }).toBe('succeeded')
      await expect
        .poll(() => long.result().textContent())
        .toContain('Long running operation completed')
      expect(seen.size).toBeGreaterThanOrEqual(2)
      expect(Math.max(...seen)).toBeGreaterThan(Math.min(...seen))

      // Cancel: a long run stopped after its first step.
      await long.field('duration').fill('30')
      await long.field('steps').fill('10')
      await long.run()
      await expect
        .poll(async () => (await long.progressValue()) ?? 0, { timeout: 15_000 })
        .toBeGreaterThanOrEqual(1)
      await long.cancelButton().click()
      await expect.poll(() => long.status(), { timeout: 15_000 }).toBe('cancelled')
      await expect.poll(() => long.toast(/was cancelled/).isVisible()).toBe(true)
      await screenshot(page, 'tester-long-cancelled')

      // The history: every call, live charts, one call's details and back to the tester.
      const calls = new ToolCallsPage(page)
      await new AppShell(page).goTo('Tool calls')
      await expect.poll(() => calls.rows('echo', 'succeeded').count(), { timeout: 10_000 }).toBe(1)
      await expect.poll(() => calls.rows(LONG, 'succeeded').count(), { timeout: 10_000 }).toBe(1)
      await expect.poll(() => calls.rows(LONG, 'cancelled').count(), { timeout: 10_000 }).toBe(1)
      await expect.poll(() => calls.charts().count(), { timeout: 15_000 }).toBe(3)
      await expect.poll(() => calls.charts().locator('.recharts-wrapper').count()).toBe(3)
      await screenshot(page, 'tool-calls')

      await calls.filter('Status').selectOption('cancelled')
      await page.waitForURL(/status=cancelled/)
      await expect.poll(() => calls.list().locator('[data-call-id]').count()).toBe(1)
      await calls.clearFiltersButton().click()
      await expect.poll(() => calls.list().locator('[data-call-id]').count()).toBe(3)

      await calls.rows('echo', 'succeeded').click()
      const detail = calls.detail('echo')
      await detail.waitFor()
      await expect.poll(() => detail.textContent()).toContain('"message": "hello from JSON"')
      await expect
        .poll(() => detail.getByRole('region', { name: 'Tool result' }).textContent())
        .toContain('Echo: hello from JSON')
      await screenshot(page, 'tool-calls-detail')
      await page.keyboard.press('Escape')
      await detail.waitFor({ state: 'hidden' })
      expect(page.url()).not.toMatch(/call=/)

      await calls.rows('echo', 'succeeded').click()
      await detail.getByRole('link', { name: 'Open in tester' }).click()
      const again = new ToolTesterPage(page, 'echo')
      await again.waitFor()
      expect(await again.field('message').inputValue()).toBe('hello from JSON')

      // Phone width: the history still reads, one call per row.
      await new AppShell(page).goTo('Tool calls')
      await page.setViewportSize({ width: 390, height: 844 })
      await calls.rows('echo').first().waitFor()
      await screenshot(page, 'tool-calls-phone')

      // The refused run answers 400 on purpose; a 401 may come from the session probe.
      expect(errors.filter((e) => !/401|Unauthorized|status of 400/i.test(e))).toEqual([])
    }, 120_000)

    it('renders images, structured content, resources, links and tool errors', async () => {
      const { page, errors } = await signedInWithServer()
      await new ServersPage(page).openTools('everything')
      const serverPath = new URL(page.url()).pathname

      // No input at all: the form says so, and the image comes back as a picture.
      const image = await gotoTester(page, serverPath, 'get-tiny-image')
      await expect
        .poll(() => image.form().getByText('This tool takes no input').isVisible())
        .toBe(true)
      await image.run()
      await expect.poll(() => image.status(), { timeout: 15_000 }).toBe('succeeded')
      const picture = image
        .result()
        .getByRole('img', { name: 'Image returned by the tool (image/png)' })
        .first()
      await expect
        .poll(() => picture.evaluate((img) => (img as HTMLImageElement).naturalWidth))
        .toBeGreaterThan(0)

      // An enum is a choice, a boolean a switch; both reach the tool.
      const annotated = await gotoTester(page, serverPath, 'get-annotated-message')
      await annotated.field('messageType').selectOption('success')
      await annotated
        .form()
        .getByRole('switch', { name: /includeImage/ })
        .click()
      await annotated.modeButton('JSON').click()
      expect(JSON.parse(await annotated.jsonEditor().inputValue())).toEqual({
        messageType: 'success',
        includeImage: true,
      })
      await annotated.run()
      await expect.poll(() => annotated.status(), { timeout: 15_000 }).toBe('succeeded')
      await expect.poll(() => annotated.result().getByRole('img').count()).toBe(1)
      await expect.poll(() => annotated.result().textContent()).toContain('Operation completed')

      const structured = await gotoTester(page, serverPath, 'get-structured-content')
      await structured.field('location').selectOption('Chicago')
      await structured.run()
      await expect.poll(() => structured.status(), { timeout: 15_000 }).toBe('succeeded')
      const data = structured.result().locator('[data-block="structured"]')
      await expect.poll(() => data.textContent()).toContain('"temperature"')
      await screenshot(page, 'tester-structured')

      const links = await gotoTester(page, serverPath, 'get-resource-links')
      await links.field('count').fill('2')
      await links.run()
      await expect.poll(() => links.status(), { timeout: 15_000 }).toBe('succeeded')
      await expect
        .poll(() => links.result().locator('[data-block="resource_link"]').count())
        .toBe(2)

      const resource = await gotoTester(page, serverPath, 'get-resource-reference')
      await resource.run()
      await expect.poll(() => resource.status(), { timeout: 15_000 }).toBe('succeeded')
      await expect.poll(() => resource.result().locator('[data-block="resource"]').count()).toBe(1)
      await screenshot(page, 'tester-resource')

      // The tool throws for id 0: its error result is framed as an error, not a success.
      await resource.field('resourceId').fill('0')
      await resource.run()
      await expect
        .poll(() => resource.result().getAttribute('data-result'), { timeout: 15_000 })
        .toBe('error')
      await expect.poll(() => resource.result().textContent()).toContain('Invalid resourceId')
      await screenshot(page, 'tester-tool-error')

      expect(errors.filter((e) => !/401|Unauthorized/i.test(e))).toEqual([])
    }, 120_000)
  },
)
