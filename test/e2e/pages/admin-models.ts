import type { Locator, Page } from 'playwright-core'

/** Admin → Models and Usage: providers, their test, the models on offer, the usage charts. */
export class AdminModels {
  constructor(private readonly page: Page) {}

  section(): Locator {
    return this.page.locator('#admin-models')
  }

  usage(): Locator {
    return this.page.locator('#admin-usage')
  }

  dialog(): Locator {
    return this.page.getByRole('dialog')
  }

  provider(name: string): Locator {
    return this.page.getByRole('region', { name: new RegExp(`^${name}`) })
  }

  async addProvider(input: { name: string; baseUrl: string; apiKey?: string }): Promise<void> {
    await this.section().getByRole('button', { name: 'Add provider' }).click()
    const dialog = this.dialog()
    await dialog.getByLabel('Name').fill(input.name)
    await dialog.getByLabel('Base URL').fill(input.baseUrl)
    if (input.apiKey) await dialog.getByLabel('API key').fill(input.apiKey)
    await dialog.getByRole('button', { name: 'Add provider' }).click()
    await dialog.waitFor({ state: 'hidden' })
  }

  toast(text: string | RegExp): Locator {
    return this.page.locator('[data-sonner-toast]').filter({ hasText: text })
  }
}
