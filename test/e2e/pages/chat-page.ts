import type { Locator, Page } from 'playwright-core'
import { ModelPicker } from './model-picker.ts'

/** The chat: conversation list, thread, tool-call cards and composer, by accessible names. */
export class ChatPage {
  constructor(private readonly page: Page) {}

  /** The conversations beside the thread. */
  conversations(): Locator {
    return this.page.getByRole('list', { name: 'Conversations, most recent first' })
  }

  conversationLink(title: string | RegExp): Locator {
    return this.conversations().getByRole('link', { name: title })
  }

  newConversationButton(): Locator {
    return this.page.getByRole('main').getByRole('button', { name: 'New conversation' }).first()
  }

  async newConversation(): Promise<string> {
    await this.newConversationButton().click()
    await this.page.waitForURL(/\/chat\/[0-9a-f-]{36}$/)
    await this.composer().waitFor()
    return new URL(this.page.url()).pathname.split('/').at(-1) as string
  }

  threadTitle(): Locator {
    return this.page.locator('#chat-thread-title')
  }

  composer(): Locator {
    return this.page.getByRole('textbox', { name: 'Message', exact: true })
  }

  sendButton(): Locator {
    return this.page.getByRole('button', { name: 'Send', exact: true })
  }

  stopButton(): Locator {
    return this.page.getByRole('button', { name: 'Stop', exact: true })
  }

  async send(text: string): Promise<void> {
    await this.composer().fill(text)
    await this.composer().press('Enter')
  }

  modelPicker(): ModelPicker {
    return new ModelPicker(this.page)
  }

  messages(): Locator {
    return this.page.getByRole('list', { name: 'Messages' })
  }

  /** Answers of the model, oldest first. */
  answers(): Locator {
    return this.messages().locator('[data-role="assistant"]')
  }

  /** The cards of one tool of one server (English names), oldest first. */
  toolCards(tool: string, server = 'everything'): Locator {
    return this.page.getByRole('article', { name: `Tool call ${tool} on ${server}`, exact: true })
  }

  cardState(card: Locator): Promise<string | null> {
    return card.getAttribute('data-state')
  }

  /** A fold of a card ("Arguments", "Result"), opened or not. */
  fold(card: Locator, label: string): Locator {
    return card.locator('details').filter({ has: this.page.locator('summary', { hasText: label }) })
  }

  result(card: Locator): Locator {
    return card.getByRole('region', { name: 'Tool result' })
  }

  progressBar(card: Locator): Locator {
    return card.getByRole('progressbar')
  }

  async progressValue(card: Locator): Promise<number | null> {
    const bar = this.progressBar(card)
    if (!(await bar.count())) return null
    const value = await bar.getAttribute('aria-valuenow')
    return value === null ? null : Number(value)
  }

  toast(text: RegExp): Locator {
    return this.page.locator('[data-sonner-toast]').filter({ hasText: text })
  }

  providerBanner(): Locator {
    return this.page.locator('[data-banner="no-provider"]')
  }

  // ---- message actions (issue 11, item 2) ----

  /** Messages the user sent, oldest first. */
  questions(): Locator {
    return this.messages().locator('[data-role="user"]')
  }

  /** A message's action button by name ("Copy message", "Edit message", "Regenerate answer"). */
  action(message: Locator, name: string): Locator {
    return message.getByRole('button', { name, exact: true })
  }

  /** "‹ 2 / 3 ›" of a message with several versions: its text, e.g. "2 / 3" (null: none). */
  async version(message: Locator): Promise<string | null> {
    const group = message.getByRole('group', { name: 'Versions' })
    if (!(await group.count())) return null
    return group.getAttribute('data-branch')
  }

  async switchVersion(message: Locator, direction: 'Previous' | 'Next'): Promise<void> {
    await message.getByRole('button', { name: `${direction} version`, exact: true }).click()
  }

  /** The box a message is edited in. */
  editor(): Locator {
    return this.page.getByRole('textbox', { name: 'Edit your message', exact: true })
  }

  /** Regenerates an answer with another model, picked from the menu beside the button. */
  async regenerateWith(answer: Locator, modelLabel: string): Promise<void> {
    await this.action(answer, 'Regenerate with another model').click()
    await this.page.getByRole('menuitem', { name: modelLabel }).click()
  }

  // ---- the list (issue 11, item 5) ----

  searchBox(): Locator {
    return this.page.getByRole('searchbox', { name: 'Search conversations' })
  }

  searchResults(query: string): Locator {
    return this.page.getByRole('list', { name: `Conversations matching “${query}”` })
  }

  /** Opens a conversation's menu ("More for “title”") and picks an item. */
  async conversationAction(title: string | RegExp, item: string): Promise<void> {
    const name =
      typeof title === 'string' ? `More for “${title}”` : new RegExp(`^More for “${title.source}`)
    await this.page.getByRole('button', { name }).click()
    await this.page.getByRole('menuitem', { name: item, exact: true }).click()
  }

  /** Titles of the listed conversations, in order. */
  async listedTitles(): Promise<string[]> {
    const links = this.conversations().getByRole('link')
    const titles: string[] = []
    for (const link of await links.all()) {
      titles.push(((await link.locator('span.truncate').first().textContent()) ?? '').trim())
    }
    return titles
  }
}
