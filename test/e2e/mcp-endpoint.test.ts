import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type BrowserApp, HAS_CHROMIUM, screenshot, startBrowserApp } from './browser.ts'
import { AuthPages } from './pages/auth-pages.ts'

// The personal MCP endpoint in Settings (issue 15): where clients connect and how to set one up.

let app: BrowserApp

describe.skipIf(!HAS_CHROMIUM)('the MCP endpoint in Settings, in Chromium', () => {
  beforeAll(async () => {
    app = await startBrowserApp()
  }, 180_000)
  afterAll(async () => {
    await app?.close()
  })

  it('shows the endpoint address and a configuration for each client', async () => {
    const { page, errors } = await app.newPage()
    await page.goto('/login')
    await new AuthPages(page).register(
      `e2e-endpoint-${Date.now()}@example.test`,
      'correct horse battery staple',
    )
    await page.waitForURL(/\/chat$/)
    await page.goto('/settings')
    const card = page.getByRole('region', { name: 'Your tools in other apps' })
    const address = card.getByRole('textbox', { name: 'MCP endpoint' })
    await address.waitFor()
    expect(await address.inputValue()).toBe(`${app.url}/mcp`)
    const config = card.getByTestId('endpoint-config')
    expect(await config.textContent()).toContain('"mcpServers"')
    await card.getByRole('radio', { name: 'VS Code' }).click()
    expect(await config.textContent()).toContain('"type": "http"')
    await card.getByRole('radio', { name: 'Claude Desktop' }).click()
    expect(await config.textContent()).toContain('mcp-remote')

    // A profile of its own address, and a token that works there only.
    await card.getByRole('textbox', { name: 'Profile name' }).fill('coding')
    await card.getByRole('button', { name: 'Create profile' }).click()
    const profiles = card.getByRole('list', { name: 'Profiles' })
    await profiles.getByText(`${app.url}/mcp/p/coding`).waitFor()
    await page.getByLabel('Works with').selectOption({ label: 'only coding' })
    await page.getByRole('textbox', { name: 'Token name' }).fill('cursor')
    await page.getByRole('button', { name: 'Create token' }).click()
    const secretDialog = page.getByRole('dialog')
    await secretDialog.waitFor()
    await secretDialog
      .getByRole('button', { name: /done|close/i })
      .first()
      .click()
    const tokens = page.getByRole('table', { name: /tokens/i })
    await tokens.getByText('only coding').waitFor()
    await card.scrollIntoViewIfNeeded()
    await screenshot(page, 'settings-mcp-endpoint')

    // Deleting the profile deletes its token.
    await profiles.getByRole('button', { name: 'Delete the profile coding' }).click()
    await page.getByRole('alertdialog').getByRole('button', { name: 'Delete' }).click()
    await profiles.waitFor({ state: 'detached' })
    await tokens.getByText('only coding').waitFor({ state: 'detached' })
    expect(errors.filter((error) => !/status of 401/.test(error))).toEqual([])
  }, 60_000)
})
