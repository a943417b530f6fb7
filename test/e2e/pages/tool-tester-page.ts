import type { Locator, Page } from 'playwright-core'

/** The tool tester (/servers/:id/tools/:name/try), by accessible names. */
export class ToolTesterPage {
  constructor(
    private readonly page: Page,
    private readonly toolName: string,
  ) {}

  async waitFor(): Promise<void> {
    await this.page.waitForURL(/\/servers\/[0-9a-f-]{36}\/tools\/[^/]+\/try/)
    await this.page.getByRole('heading', { level: 1, name: this.toolName, exact: true }).waitFor()
  }

  form(): Locator {
    return this.page.getByRole('form', { name: `Arguments for ${this.toolName}` })
  }

  field(name: string): Locator {
    return this.form().getByLabel(name)
  }

  modeButton(mode: 'Form' | 'JSON'): Locator {
    return this.form().getByRole('button', { name: mode, exact: true })
  }

  jsonEditor(): Locator {
    return this.form().getByLabel('Arguments (JSON)')
  }

  /** The message wired to a control through aria-describedby, as a screen reader hears it. */
  async describedBy(control: Locator): Promise<string> {
    const ids = (await control.getAttribute('aria-describedby'))?.split(' ') ?? []
    const texts = await Promise.all(
      ids.map((id) => this.page.locator(`[id="${id}"]`).textContent()),
    )
    return texts.filter(Boolean).join(' ')
  }

  async run(): Promise<void> {
    await this.form().getByRole('button', { name: 'Run', exact: true }).click()
  }

  panel(): Locator {
    return this.page.getByTestId('tester-run')
  }

  status(): Promise<string | null> {
    return this.panel().locator('[data-status]').first().getAttribute('data-status')
  }

  progressBar(): Locator {
    return this.panel().getByRole('progressbar', { name: `Progress of ${this.toolName}` })
  }

  async progressValue(): Promise<number | null> {
    const bar = this.progressBar()
    if (!(await bar.isVisible())) return null
    const now = await bar.getAttribute('aria-valuenow')
    return now === null ? null : Number(now)
  }

  cancelButton(): Locator {
    return this.panel().getByRole('button', { name: 'Cancel call' })
  }

  /**
   * The result. `behindDialog`: while a modal dialog is open the page behind it is hidden from
   * assistive technology (aria-hidden), so find it there too.
   */
  result(options: { behindDialog?: boolean } = {}): Locator {
    return this.panel().getByRole('region', {
      name: 'Tool result',
      ...(options.behindDialog ? { includeHidden: true } : {}),
    })
  }

  toast(text: RegExp): Locator {
    return this.page.locator('[data-sonner-toast]').filter({ hasText: text })
  }
}
