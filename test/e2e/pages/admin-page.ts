import type { Locator, Page } from 'playwright-core'

/** The admin page: overview tiles, charts, the users table and everyone's audit log. */
export class AdminPage {
  constructor(private readonly page: Page) {}

  heading(): Locator {
    return this.page.getByRole('heading', { level: 1, name: 'Admin' })
  }

  /** The value of an overview tile ("Users", "Servers", "Tool calls", "Failed calls"). */
  tile(label: string): Locator {
    return this.page
      .getByRole('region', { name: 'Overview' })
      .locator('div', { has: this.page.locator('dt', { hasText: label }) })
      .locator('dd')
      .first()
  }

  users(): Locator {
    return this.page.getByRole('table', { name: 'Users' })
  }

  audit(): Locator {
    return this.page.getByRole('table', { name: 'Audit log entries' })
  }

  period(): Locator {
    return this.page.getByLabel('Period')
  }

  auditUser(): Locator {
    return this.page.getByLabel('User', { exact: true })
  }

  forbidden(): Locator {
    return this.page.getByRole('main').getByText('Administrators only', { exact: true })
  }
}
