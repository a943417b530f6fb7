import type { Locator, Page } from 'playwright-core'

/** The signed-in shell: navigation and the account controls. */
export class AppShell {
  constructor(private readonly page: Page) {}

  nav(name: 'Chat' | 'Servers' | 'Tool calls' | 'Settings') {
    return this.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name })
  }

  async goTo(name: 'Chat' | 'Servers' | 'Tool calls' | 'Settings'): Promise<void> {
    await this.nav(name).click()
    await this.page.waitForURL(new RegExp(`/${name.toLowerCase().replace(' ', '-')}$`))
    await this.page.getByRole('heading', { level: 1, name }).waitFor()
  }

  async signOut(): Promise<void> {
    await this.page.getByRole('button', { name: 'Sign out' }).click()
  }

  header(): Locator {
    return this.page.getByRole('banner')
  }

  /** The phone's menu button (below md the links live in the menu). */
  menuButton(): Locator {
    return this.header().getByRole('button', { name: 'Menu', exact: true })
  }

  menu(): Locator {
    return this.page.getByRole('dialog', { name: 'Menu' })
  }

  async openMenu(): Promise<void> {
    await this.menuButton().click()
    await this.menu().waitFor()
  }
}
