import type { Locator, Page } from 'playwright-core'

/** The chat's model picker: a button that opens a searchable list of models, favourites first. */
export class ModelPicker {
  constructor(private readonly page: Page) {}

  /** Its accessible name is "Model: <the model's name>". */
  button(): Locator {
    return this.page.getByRole('button', { name: /^Model: / })
  }

  /** The id of the model picked. */
  value(): Promise<string | null> {
    return this.button().getAttribute('data-model-id')
  }

  search(): Locator {
    return this.page.getByRole('combobox', { name: 'Search models' })
  }

  async open(): Promise<void> {
    if (!(await this.search().isVisible())) await this.button().click()
    await this.search().waitFor()
  }

  async close(): Promise<void> {
    await this.search().press('Escape')
    await this.search().waitFor({ state: 'hidden' })
  }

  /** The models listed (after the search), by id, in the order shown. */
  async listedIds(): Promise<string[]> {
    const ids = await this.page
      .locator('[cmdk-item]')
      .evaluateAll((items) => items.map((item) => item.getAttribute('data-model-id') ?? ''))
    return ids
  }

  option(id: string): Locator {
    return this.page.locator(`[cmdk-item][data-model-id="${id}"]`)
  }

  /** A group of the list: "Favourites", "Other models" or "All models". */
  group(name: string): Locator {
    return this.page.getByRole('group', { name, exact: true })
  }

  /** The star of a model, by its name as listed. */
  star(label: string): Locator {
    return this.page.getByRole('button', { name: `Add ${label} to favourites`, exact: true })
  }

  unstar(label: string): Locator {
    return this.page.getByRole('button', { name: `Remove ${label} from favourites`, exact: true })
  }

  /** Opens the picker, searches for `id` and picks it. */
  async pick(id: string): Promise<void> {
    await this.open()
    await this.search().fill(id)
    await this.option(id).click()
    await this.search().waitFor({ state: 'hidden' })
  }
}
