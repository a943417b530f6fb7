import type { Locator, Page } from 'playwright-core'

/** A conversation's instructions and servers, edited in their dialog from the thread's header. */
export class InstructionsDialog {
  constructor(private readonly page: Page) {}

  /** The header's button: "…for this conversation", with "(set)" once anything is set. */
  button(): Locator {
    return this.page.getByRole('button', {
      name: /^Instructions and servers for this conversation/,
    })
  }

  dialog(): Locator {
    return this.page.getByRole('dialog', { name: 'Instructions for this conversation' })
  }

  async open(): Promise<void> {
    await this.button().click()
    await this.dialog().waitFor()
  }

  instructions(): Locator {
    return this.dialog().getByLabel('Instructions', { exact: true })
  }

  async onlyServers(...names: string[]): Promise<void> {
    await chooseServers(this.dialog(), names)
  }

  async save(): Promise<void> {
    await this.dialog().getByRole('button', { name: 'Save', exact: true }).click()
    await this.dialog().waitFor({ state: 'hidden' })
  }
}

/** Settings → Presets: the list, and the dialog that adds or edits one. */
export class PresetsSettings {
  constructor(private readonly page: Page) {}

  card(): Locator {
    return this.page.getByRole('region', { name: 'Presets', exact: true })
  }

  list(): Locator {
    return this.card().getByRole('list', { name: 'Presets', exact: true })
  }

  row(name: string): Locator {
    return this.list().getByRole('listitem').filter({ hasText: name })
  }

  dialog(): Locator {
    return this.page.getByRole('dialog')
  }

  async create(input: {
    name: string
    model?: string
    instructions?: string
    servers?: string[]
  }): Promise<void> {
    await this.card().getByRole('button', { name: 'New preset', exact: true }).click()
    const dialog = this.dialog()
    await dialog.getByRole('heading', { name: 'New preset' }).waitFor()
    await dialog.getByLabel('Name', { exact: true }).fill(input.name)
    if (input.model) await dialog.getByLabel('Model', { exact: true }).selectOption(input.model)
    if (input.instructions) {
      await dialog.getByLabel('Instructions', { exact: true }).fill(input.instructions)
    }
    if (input.servers) await chooseServers(dialog, input.servers)
  }

  async submit(): Promise<void> {
    await this.dialog().getByRole('button', { name: 'Save preset', exact: true }).click()
    await this.dialog().waitFor({ state: 'hidden' })
  }
}

/** "Only the servers I choose", then exactly those ticked. */
async function chooseServers(scope: Locator, names: string[]): Promise<void> {
  await scope.getByRole('radio', { name: 'Only the servers I choose' }).check()
  const list = scope.getByRole('list', { name: 'Servers', exact: true })
  await list.waitFor()
  for (const box of await list.getByRole('checkbox').all()) {
    const label =
      (await box.evaluate((el) => (el as HTMLInputElement).labels?.[0]?.textContent)) ?? ''
    const want = names.some((name) => label.trim().startsWith(name))
    if ((await box.isChecked()) !== want) await box.setChecked(want)
  }
}
