import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type BrowserApp, HAS_CHROMIUM, screenshot, startBrowserApp } from './browser.ts'
import { AdminPage } from './pages/admin-page.ts'
import { AuthPages } from './pages/auth-pages.ts'

const PASSWORD = 'correct horse battery staple'

describe.skipIf(!HAS_CHROMIUM)('the admin page in Chromium', () => {
  let app: BrowserApp

  beforeAll(async () => {
    app = await startBrowserApp()
  }, 180_000)

  afterAll(() => app?.close())

  it('shows an admin every user, the stats and the audit log; others get a plain refusal', async () => {
    // The first account is the admin.
    const admin = await app.newPage()
    const adminEmail = `admin-${Date.now()}@example.test`
    await admin.page.goto('/')
    await new AuthPages(admin.page).register(adminEmail, PASSWORD)
    await admin.page.waitForURL(/\/chat$/)

    const member = await app.newPage()
    const memberEmail = `member-${Date.now()}@example.test`
    await member.page.goto('/')
    await new AuthPages(member.page).register(memberEmail, PASSWORD)
    await member.page.waitForURL(/\/chat$/)

    // A member is not offered the page, sees a refusal if they go there, and the API says 403.
    expect(await member.page.getByRole('link', { name: 'Admin' }).count()).toBe(0)
    await member.page.goto('/admin')
    const refused = new AdminPage(member.page)
    await refused.forbidden().waitFor()
    const status = await member.page.evaluate(async () => (await fetch('/api/admin/stats')).status)
    expect(status).toBe(403)

    await admin.page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Admin' })
      .click()
    await admin.page.waitForURL(/\/admin$/)
    const page = new AdminPage(admin.page)
    await page.heading().waitFor()
    await expect.poll(() => page.tile('Users').textContent(), { timeout: 10_000 }).toBe('2')
    await page.users().waitFor()
    await expect.poll(() => page.users().textContent()).toContain(memberEmail)
    expect(await page.users().textContent()).toContain(adminEmail)

    // Everyone's audit log, narrowed to the member: their account and sign-in are there.
    await page.audit().waitFor()
    await page.auditUser().selectOption({ label: memberEmail })
    await expect.poll(() => page.audit().textContent()).toContain('Account created')
    await expect.poll(() => page.audit().textContent()).not.toContain(adminEmail)

    await page.period().selectOption({ label: 'Last 7 days' })
    await expect.poll(() => page.tile('Users').textContent()).toBe('2')
    await screenshot(admin.page, 'admin')

    for (const errors of [admin.errors, member.errors]) {
      // The 403 above is on purpose; 401s come from probing the session before sign-in.
      expect(errors.filter((e) => !/401|403|Unauthorized|Forbidden/i.test(e))).toEqual([])
    }
  }, 120_000)
})
