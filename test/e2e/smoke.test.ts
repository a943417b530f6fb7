import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type BrowserApp, HAS_CHROMIUM, screenshot, startBrowserApp } from './browser.ts'
import { AppShell } from './pages/app-shell.ts'
import { AuthPages } from './pages/auth-pages.ts'

let app: BrowserApp

describe.skipIf(!HAS_CHROMIUM)('web app in Chromium', () => {
  beforeAll(async () => {
    app = await startBrowserApp()
  }, 180_000)

  afterAll(() => app?.close())

  const newPage = () => app.newPage()

  it('registers, signs out, signs in again and finds the shell after a reload', async () => {
    const { page, errors } = await newPage()
    const auth = new AuthPages(page)
    const shell = new AppShell(page)
    const email = `e2e-${Date.now()}@example.test`
    const password = 'correct horse battery staple'

    await page.goto('/')
    await page.waitForURL(/\/login/)
    await screenshot(page, 'login')
    await auth.register(email, password)
    await page.waitForURL(/\/chat$/)
    await expect.poll(() => page.getByText(email).first().isVisible()).toBe(true)
    await screenshot(page, 'chat')

    for (const name of ['Servers', 'Tool calls', 'Settings'] as const) {
      await shell.goTo(name)
      await screenshot(page, name.toLowerCase().replace(' ', '-'))
    }

    await shell.signOut()
    await page.waitForURL(/\/login/)
    await auth.signIn(email, 'wrong password here')
    await expect
      .poll(() => page.getByRole('alert').first().textContent())
      .toMatch(/email or password/i)
    await auth.signIn(email, password)
    await page.waitForURL(/\/chat$/)

    await page.reload()
    await expect.poll(() => shell.nav('Servers').isVisible()).toBe(true)
    expect(page.url()).toMatch(/\/chat$/)
    // 401s from probing the session before sign-in are expected; nothing else may fail
    expect(errors.filter((e) => !/401|Unauthorized/i.test(e))).toEqual([])
  })

  it('sends a signed-out visitor to the sign-in page and back where they wanted to go', async () => {
    const { page } = await newPage()
    await page.goto('/settings')
    await page.waitForURL(/\/login/)
    const email = `e2e-return-${Date.now()}@example.test`
    await new AuthPages(page).register(email, 'correct horse battery staple')
    await page.waitForURL(/\/settings$/)
  })
})
