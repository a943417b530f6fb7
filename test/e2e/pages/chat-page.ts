import type { Locator, Page } from 'playwright-core'

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

  modelPicker(): Locator {
    return this.page.getByLabel('Model', { exact: true })
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
}
