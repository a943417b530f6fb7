import type { Page } from 'playwright-core'

/** The sign-in and registration screens, by their accessible names. */
export class AuthPages {
  constructor(private readonly page: Page) {}

  async register(email: string, password: string): Promise<void> {
    await this.page.getByRole('link', { name: /create an account/i }).click()
    await this.page.getByLabel('Email').fill(email)
    await this.page.getByLabel('Password').fill(password)
    await this.page.getByRole('button', { name: 'Create account' }).click()
  }

  async signIn(email: string, password: string): Promise<void> {
    await this.page.getByLabel('Email').fill(email)
    await this.page.getByLabel('Password').fill(password)
    await this.page.getByRole('button', { name: 'Sign in' }).click()
  }

  heading() {
    return this.page.getByRole('heading', { level: 1 })
  }
}
