import type { Page } from 'playwright-core'

/** The test OpenID Connect provider's own pages (oidc-provider's development sign-in and consent). */
export class IdentityProviderPages {
  constructor(private readonly page: Page) {}

  async waitForSignIn(): Promise<void> {
    await this.page.waitForURL(/\/interaction\//)
    await this.page.getByRole('heading', { name: 'Sign-in' }).waitFor()
  }

  /** Any password is accepted: the login names the person. */
  async signIn(login: string): Promise<void> {
    await this.page.getByPlaceholder('Enter any login').fill(login)
    await this.page.getByPlaceholder('and password').fill('any password')
    await this.page.getByRole('button', { name: 'Sign-in' }).click()
    await this.page.getByRole('heading', { name: 'Authorize' }).waitFor()
  }

  async allow(): Promise<void> {
    await this.page.getByRole('button', { name: 'Continue' }).click()
  }

  async deny(): Promise<void> {
    await this.page.getByRole('link', { name: '[ Cancel ]' }).click()
  }
}
