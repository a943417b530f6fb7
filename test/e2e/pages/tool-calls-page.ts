import type { Locator, Page } from 'playwright-core'

/** The tool call history: charts, filters, the list and the detail sheet. */
export class ToolCallsPage {
  constructor(private readonly page: Page) {}

  charts(): Locator {
    return this.page.locator('figure[data-chart]')
  }

  list(): Locator {
    return this.page.getByRole('list', { name: 'Tool calls, newest first' })
  }

  /** The rows of one tool, newest first; `status` narrows them to one status. */
  rows(toolName: string, status?: string): Locator {
    const rows = this.list()
      .locator('[data-call-id]')
      .filter({ has: this.page.getByText(toolName, { exact: true }) })
    return status ? rows.filter({ has: this.page.locator(`[data-status="${status}"]`) }) : rows
  }

  filter(label: 'Server' | 'Tool' | 'Status' | 'Conversation' | 'From' | 'To'): Locator {
    return this.page.getByRole('search').getByLabel(label, { exact: true })
  }

  clearFiltersButton(): Locator {
    return this.page.getByRole('search').getByRole('button', { name: 'Clear filters' })
  }

  detail(toolName: string): Locator {
    return this.page.getByRole('dialog', { name: toolName })
  }
}
