import type { Locator, Page } from 'playwright-core'

export type ThemeName = 'Light' | 'Dark' | 'System'

/** Settings: the account, appearance (theme, language), API tokens and activity, by their names. */
export class SettingsPage {
  constructor(private readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.goto('/settings')
    await this.page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor()
  }

  theme(name: ThemeName): Locator {
    return this.page.getByRole('radiogroup', { name: 'Theme' }).getByRole('radio', { name })
  }

  async chooseTheme(name: ThemeName): Promise<void> {
    await this.theme(name).click()
    await this.page.waitForFunction(
      (expected) => window.localStorage.getItem('switchboard.theme') === expected,
      name.toLowerCase(),
    )
  }

  /** The signed-in email in the Account card. */
  accountEmail(email: string): Locator {
    return this.page.locator('dd').filter({ hasText: email })
  }

  /** In English or German: the tests switch languages here. */
  language(): Locator {
    return this.page.getByLabel(/^(Language|Sprache)$/)
  }

  tokenName(): Locator {
    return this.page.getByLabel('Token name', { exact: true })
  }

  createTokenButton(): Locator {
    return this.page.getByRole('button', { name: 'Create token' })
  }

  toast(text: RegExp): Locator {
    return this.page.locator('[data-sonner-toast]').filter({ hasText: text })
  }
}
