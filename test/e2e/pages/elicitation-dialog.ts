import type { Locator, Page } from 'playwright-core'

const FIELD_ROLES = ['textbox', 'combobox', 'checkbox', 'switch'] as const

/**
 * The dialog in which a server asks the user for input (MCP elicitation), on any page: a form,
 * or a link to open (URL mode).
 */
export class ElicitationDialog {
  constructor(
    private readonly page: Page,
    private readonly serverName: string,
  ) {}

  dialog(): Locator {
    return this.page.getByRole('dialog', { name: `${this.serverName} asks for your input` })
  }

  form(): Locator {
    return this.dialog().getByRole('form', { name: `Your answer to ${this.serverName}` })
  }

  /** A field by its accessible name: the schema's title, plus "(required)" where it is. */
  field(name: string): Locator {
    const form = this.form()
    return FIELD_ROLES.map((role) => form.getByRole(role, { name, exact: true })).reduce((a, b) =>
      a.or(b),
    )
  }

  /** Which of the user's running calls the question came during. */
  asker(): Locator {
    return this.dialog().getByText(/^Asked while running /)
  }

  /** "Question 1 of 2" when more than one is waiting. */
  position(): Locator {
    return this.dialog().getByText(/^Question \d+ of \d+$/)
  }

  button(name: 'Submit' | 'Decline' | 'Cancel' | 'Close'): Locator {
    return this.dialog().getByRole('button', { name, exact: true })
  }

  /** The dialog of a question in URL mode: the server asks the user to open a link. */
  linkDialog(): Locator {
    return this.page.getByRole('dialog', { name: `${this.serverName} asks you to open a link` })
  }

  /** Where the link goes, as shown large before the user clicks. */
  linkHost(): Locator {
    return this.linkDialog().getByTestId('elicitation-host')
  }

  /** The link's whole address. */
  linkUrl(): Locator {
    return this.linkDialog().getByTestId('elicitation-url')
  }

  openLink(): Locator {
    return this.linkDialog().getByRole('link', { name: 'Open link', exact: true })
  }

  linkButton(name: 'Decline' | 'Close'): Locator {
    return this.linkDialog().getByRole('button', { name, exact: true })
  }

  /** The message wired to a control through aria-describedby, as a screen reader hears it. */
  async describedBy(control: Locator): Promise<string> {
    const ids = (await control.getAttribute('aria-describedby'))?.split(' ') ?? []
    const texts = await Promise.all(
      ids.map((id) => this.page.locator(`[id="${id}"]`).textContent()),
    )
    return texts.filter(Boolean).join(' ')
  }
}
