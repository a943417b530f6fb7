import type { Locator, Page } from 'playwright-core'

/** The Servers list, the add/edit dialog and a server's tools page, by their accessible names. */
export class ServersPage {
  constructor(private readonly page: Page) {}

  heading(): Locator {
    return this.page.getByRole('heading', { level: 1 })
  }

  emptyState(): Locator {
    return this.page.getByText('No servers yet')
  }

  /** The page's "Add server" button (in the empty state, or beside the heading). */
  addButton(): Locator {
    return this.page.getByRole('main').getByRole('button', { name: 'Add server' })
  }

  dialog(): Locator {
    return this.page.getByRole('dialog')
  }

  async openAddDialog(): Promise<void> {
    await this.addButton().click()
    await this.dialog().getByRole('heading', { name: 'Add an MCP server' }).waitFor()
  }

  async fillServer(input: { name: string; url: string }): Promise<void> {
    const dialog = this.dialog()
    await dialog.getByLabel('Name', { exact: true }).fill(input.name)
    await dialog.getByLabel('URL', { exact: true }).fill(input.url)
  }

  async submitAdd(): Promise<void> {
    await this.dialog().getByRole('button', { name: 'Add server' }).click()
  }

  /** The message wired to the URL input through aria-describedby, as a screen reader hears it. */
  async urlError(): Promise<string | null> {
    const input = this.dialog().getByLabel('URL', { exact: true })
    const ids = (await input.getAttribute('aria-describedby'))?.split(' ') ?? []
    const texts = await Promise.all(
      ids.map((id) => this.page.locator(`[id="${id}"]`).textContent()),
    )
    return texts.filter(Boolean).join(' ') || null
  }

  urlInvalid(): Promise<string | null> {
    return this.dialog().getByLabel('URL', { exact: true }).getAttribute('aria-invalid')
  }

  saveAnywayButton(): Locator {
    return this.dialog().getByRole('button', { name: 'Save anyway' })
  }

  async openEditDialog(name: string): Promise<void> {
    await this.card(name)
      .getByRole('button', { name: `Edit ${name}` })
      .click()
    await this.dialog()
      .getByRole('heading', { name: `Edit ${name}` })
      .waitFor()
  }

  /** The notice that the stored credentials will not go to a changed URL. */
  secretsStayBehindNotice(): Locator {
    return this.dialog().getByText(/stay with the old address/)
  }

  tokenField(): Locator {
    return this.dialog().getByLabel('Token', { exact: true })
  }

  card(name: string): Locator {
    return this.page.getByRole('article', { name, exact: true })
  }

  status(name: string): Promise<string | null> {
    return this.card(name).locator('[data-status]').first().textContent()
  }

  toolCount(name: string): Promise<string | null> {
    return this.card(name).locator('[data-fact="tools"]').textContent()
  }

  lastError(name: string): Locator {
    return this.card(name).getByText(/connection refused/i)
  }

  async openTools(name: string): Promise<void> {
    await this.card(name)
      .getByRole('link', { name: `Tools of ${name}` })
      .click()
    await this.page.waitForURL(/\/servers\/[0-9a-f-]{36}$/)
    await this.page.getByRole('heading', { level: 1, name }).waitFor()
  }

  async backToList(): Promise<void> {
    await this.page.getByRole('link', { name: 'All servers' }).click()
    await this.page.waitForURL(/\/servers$/)
  }

  toolSwitch(toolName: string): Locator {
    return this.page.getByRole('switch', { name: `Enable ${toolName}`, exact: true })
  }

  toolsSummary(): Promise<string | null> {
    return this.page.getByTestId('tools-summary').textContent()
  }

  async testConnection(name: string): Promise<void> {
    await this.card(name)
      .getByRole('button', { name: `Test connection to ${name}` })
      .click()
  }

  toast(text: RegExp): Locator {
    return this.page.locator('[data-sonner-toast]').filter({ hasText: text })
  }

  async deleteServer(name: string): Promise<void> {
    await this.card(name)
      .getByRole('button', { name: `Delete ${name}` })
      .click()
    const confirm = this.page.getByRole('alertdialog', { name: `Delete “${name}”?` })
    await confirm.waitFor()
    await confirm.getByRole('button', { name: 'Delete server' }).click()
  }
}
