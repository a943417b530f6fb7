import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type BrowserApp,
  HAS_CHROMIUM,
  SCREENSHOT_DIR,
  screenshot,
  startBrowserApp,
} from './browser.ts'
import { AdminUsersPage } from './pages/admin-users.ts'
import { AuthPages } from './pages/auth-pages.ts'

const PASSWORD = 'correct horse battery staple'

// Every admin action on accounts, clicked through in Chromium, each checked from the other
// side: the invited person registers in a browser of their own, the reset link is opened
// there, a disabled user is refused at sign-in.
describe.skipIf(!HAS_CHROMIUM)('managing users on the admin page', () => {
  let app: BrowserApp
  let admin: { page: Page; errors: string[] }
  let users: AdminUsersPage
  const stamp = Date.now()

  beforeAll(async () => {
    app = await startBrowserApp()
    admin = await app.newPage()
    await admin.page.context().grantPermissions(['clipboard-read', 'clipboard-write'])
    await admin.page.goto('/')
    await new AuthPages(admin.page).register(`admin-${stamp}@example.test`, PASSWORD)
    await admin.page.waitForURL(/\/chat$/)
    await admin.page.goto('/admin')
    users = new AdminUsersPage(admin.page)
    await users.table().waitFor()
  }, 180_000)

  afterAll(() => app?.close())

  async function signIn(email: string, password: string) {
    const visitor = await app.newPage()
    await visitor.page.goto('/login')
    await new AuthPages(visitor.page).signIn(email, password)
    return visitor
  }

  it('invites by a copied one-time link that registers in another browser', async () => {
    const email = `invited-${stamp}@example.test`
    await users.invite(email)
    await screenshot(admin.page, 'admin-users-invite-link')
    const url = await users.copyShownLink()
    expect(await admin.page.evaluate(() => navigator.clipboard.readText())).toBe(url)
    await admin.page.getByRole('list', { name: 'Pending invitations' }).getByText(email).waitFor()

    const guest = await app.newPage()
    await guest.page.goto(url)
    await guest.page.getByRole('heading', { name: 'You are invited' }).waitFor()
    expect(await guest.page.getByLabel('Email').inputValue()).toBe(email)
    await guest.page.getByLabel('Password').fill(PASSWORD)
    await screenshot(guest.page, 'admin-users-invited-register')
    await guest.page.getByRole('button', { name: 'Create account' }).click()
    await guest.page.waitForURL(/\/chat$/)
    // Used once: the link now says so.
    const again = await app.newPage()
    await again.page.goto(url)
    await again.page.getByRole('heading', { name: 'This invitation does not work' }).waitFor()
    // Someone else's sign-up reaches the admin's page with its next load.
    await admin.page.reload()
    await users.row(email).waitFor()
    await admin.page.getByText('No pending invitations.').waitFor()
  }, 60_000)

  it('creates an account with a temporary password, changes its role, and resets it', async () => {
    const email = `created-${stamp}@example.test`
    const password = await users.create(email)
    await users.toast(`Account ${email} created`).waitFor()
    const member = await signIn(email, password)
    await member.page.waitForURL(/\/chat$/)

    await users.action(email, 'Make administrator')
    await users.toast(`${email} is now Administrator`).waitFor()
    await users.row(email).getByText('Administrator').waitFor()
    await users.action(email, 'Make member')
    await users.toast(`${email} is now User`).waitFor()

    await users.action(email, 'Password-reset link')
    await admin.page.getByRole('dialog', { name: 'Password-reset link' }).waitFor()
    const url = await users.copyShownLink()
    const visitor = await app.newPage()
    await visitor.page.goto(url)
    await visitor.page.getByLabel('New password', { exact: true }).fill('a fresh new password')
    await visitor.page.getByLabel('Repeat the new password').fill('a fresh new password')
    await screenshot(visitor.page, 'admin-users-reset-password')
    await visitor.page.getByRole('button', { name: 'Set password' }).click()
    await visitor.page.waitForURL(/\/login$/)
    await new AuthPages(visitor.page).signIn(email, 'a fresh new password')
    await visitor.page.waitForURL(/\/chat$/)
  }, 60_000)

  it('disables (the user is signed out and refused) and enables again', async () => {
    const email = `disabled-${stamp}@example.test`
    const password = await users.create(email)
    const member = await signIn(email, password)
    await member.page.waitForURL(/\/chat$/)

    await users.action(email, 'Disable')
    const dialog = admin.page.getByRole('alertdialog')
    await dialog.getByText('signed out everywhere').waitFor()
    await dialog.getByLabel('Reason (optional, in the activity log)').fill('left the team')
    await screenshot(admin.page, 'admin-users-disable-confirm')
    await dialog.getByRole('button', { name: 'Disable account' }).click()
    await users.row(email).getByText('Disabled', { exact: true }).waitFor()

    // Their open page is signed out at once (its event stream ends); reloading shows sign-in.
    await member.page.waitForURL(/\/login/, { timeout: 10_000 })
    const refused = await signIn(email, password)
    await refused.page.getByText('This account is disabled. Ask an administrator.').waitFor()
    await screenshot(refused.page, 'admin-users-disabled-sign-in')

    await users.action(email, 'Enable')
    await users.toast(`${email} can sign in again`).waitFor()
    const back = await signIn(email, password)
    await back.page.waitForURL(/\/chat$/)
  }, 60_000)

  it('deletes after a confirm dialog that says what goes', async () => {
    const email = `deleted-${stamp}@example.test`
    await users.create(email)
    await users.action(email, 'Delete')
    const dialog = admin.page.getByRole('alertdialog', { name: `Delete ${email}?` })
    await dialog.getByText(/conversations and attachments, tool-call history, API tokens/).waitFor()
    await screenshot(admin.page, 'admin-users-delete-confirm')
    await dialog.getByRole('button', { name: 'Delete account' }).click()
    await users.toast(`${email} is deleted`).waitFor()
    await users.row(email).waitFor({ state: 'detached' })
    // The last admin (oneself) has no disable or delete in their menu.
    await admin.page
      .getByRole('button', { name: `Actions for admin-${stamp}@example.test` })
      .click()
    expect(await admin.page.getByRole('menuitem', { name: 'Delete' }).count()).toBe(0)
    await admin.page.keyboard.press('Escape')
  }, 60_000)

  it('sets the registration policy: invitation only, then a domain list', async () => {
    await users.registrationMode('Invitation only').click()
    await users.saveRegistration().click()
    await users.toast('Registration policy saved').waitFor()
    const visitor = await app.newPage()
    await visitor.page.goto('/register')
    await visitor.page.getByText('Registration is closed', { exact: false }).first().waitFor()

    await users.registrationMode('Email domains').click()
    await admin.page.getByLabel('Domains that may sign up').fill('Example.ORG\nnot a domain')
    await users.saveRegistration().click()
    await admin.page
      .getByText('“not a domain” is not a domain name. Write it like example.com.')
      .waitFor()
    await screenshot(admin.page, 'admin-users-bad-domain')
    await admin.page.getByLabel('Domains that may sign up').fill('example.org')
    await users.saveRegistration().click()
    await users.toast('Registration policy saved').waitFor()
    await visitor.page.goto('/register')
    await visitor.page.getByText('Only addresses at example.org can sign up here.').waitFor()
    await visitor.page.getByLabel('Email').fill(`someone-${stamp}@example.test`)
    await visitor.page.getByLabel('Password').fill(PASSWORD)
    await visitor.page.getByRole('button', { name: 'Create account' }).click()
    await visitor.page
      .getByText('Accounts with this email domain cannot be created here', { exact: false })
      .first()
      .waitFor()

    // The page as an admin sees it: desktop, phone, dark.
    await admin.page.reload()
    await users.table().waitFor()
    await screenshot(admin.page, 'admin-users')
    await admin.page.setViewportSize({ width: 390, height: 844 })
    await admin.page.emulateMedia({ colorScheme: 'dark' })
    await users.table().waitFor()
    await screenshot(admin.page, 'admin-users-phone-dark')
    await admin.page.getByRole('heading', { name: 'Users', exact: true }).scrollIntoViewIfNeeded()
    await admin.page.screenshot({ path: `${SCREENSHOT_DIR}/admin-users-phone-dark-list.png` })
    expect(admin.errors.filter((e) => !/401|403|Unauthorized|Forbidden/i.test(e))).toEqual([])
  }, 90_000)
})
