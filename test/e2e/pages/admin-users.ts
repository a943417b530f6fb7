import type { Locator, Page } from 'playwright-core'

/** The admin page's Users and Registration cards, by their accessible names. */
export class AdminUsersPage {
  constructor(private readonly page: Page) {}

  table(): Locator {
    return this.page.getByRole('table', { name: 'Users' })
  }

  row(email: string): Locator {
    return this.table().locator(`tr[data-user-email="${email}"]`)
  }

  async action(email: string, item: string): Promise<void> {
    await this.page.getByRole('button', { name: `Actions for ${email}` }).click()
    await this.page.getByRole('menuitem', { name: item }).click()
  }

  dialog(): Locator {
    return this.page.getByRole('dialog')
  }

  /** The link shown in the link dialog, after copying it with its button. */
  async copyShownLink(): Promise<string> {
    const dialog = this.page.getByRole('dialog')
    await dialog.getByRole('button', { name: 'Copy the link' }).click()
    const url = await dialog.getByLabel('Link', { exact: true }).inputValue()
    await dialog.getByRole('button', { name: 'Done' }).click()
    return url
  }

  async invite(email: string): Promise<void> {
    await this.page.getByRole('button', { name: 'Invite', exact: true }).click()
    const dialog = this.dialog()
    await dialog.getByLabel('Email').fill(email)
    await dialog.getByRole('button', { name: 'Make link' }).click()
    await this.page.getByRole('dialog', { name: 'Invitation link' }).waitFor()
  }

  /** Creates an account with a suggested temporary password; returns the password. */
  async create(email: string): Promise<string> {
    await this.page.getByRole('button', { name: 'Create user' }).click()
    const dialog = this.dialog()
    await dialog.getByLabel('Email').fill(email)
    await dialog.getByRole('button', { name: 'Suggest one' }).click()
    const password = await dialog.getByLabel('Temporary password').inputValue()
    await dialog.getByRole('button', { name: 'Create account' }).click()
    await dialog.waitFor({ state: 'detached' })
    return password
  }

  toast(text: string | RegExp): Locator {
    return this.page.locator('[data-sonner-toast]', { hasText: text })
  }

  registrationMode(label: string): Locator {
    return this.page.getByRole('radio', { name: label })
  }

  /** The registration form's Save (the admin page has other forms with a Save of their own). */
  saveRegistration(): Locator {
    return this.page
      .locator('form', { has: this.registrationMode('Invitation only') })
      .getByRole('button', { name: 'Save' })
  }
}
