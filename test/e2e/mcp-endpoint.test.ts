import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LOOPBACK_POLICY, type RunningHttp, startEverything } from '../helpers/mcp-servers.ts'
import { type BrowserApp, HAS_CHROMIUM, screenshot, startBrowserApp } from './browser.ts'
import { AppShell } from './pages/app-shell.ts'
import { AuthPages } from './pages/auth-pages.ts'
import { ServersPage } from './pages/servers-page.ts'

// The personal MCP endpoint in Settings (issue 15): where clients connect and how to set one up.

let app: BrowserApp
let everything: RunningHttp

describe.skipIf(!HAS_CHROMIUM)('the MCP endpoint in Settings, in Chromium', () => {
  beforeAll(async () => {
    ;[app, everything] = await Promise.all([
      startBrowserApp({ ssrf: LOOPBACK_POLICY }),
      startEverything('streamableHttp'),
    ])
  }, 180_000)
  afterAll(async () => {
    await app?.close()
    await everything?.close()
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

  it('creates a search-mode profile of one tool with the keyboard, then edits it to the whole server', async () => {
    const { page, errors } = await app.newPage()
    await page.goto('/login')
    await new AuthPages(page).register(
      `e2e-profile-tools-${Date.now()}@example.test`,
      'correct horse battery staple',
    )
    await page.waitForURL(/\/chat$/)
    const servers = new ServersPage(page)
    await new AppShell(page).goTo('Servers')
    await servers.openAddDialog()
    await servers.fillServer({ name: 'everything', url: everything.url })
    await servers.submitAdd()
    await servers.dialog().waitFor({ state: 'hidden', timeout: 15_000 })
    await page.goto('/settings')
    const card = page.getByRole('region', { name: 'Your tools in other apps' })
    const form = card.getByRole('form', { name: 'New profile' })
    await form.getByRole('textbox', { name: 'Profile name' }).fill('agent')
    // The keyboard alone: Space picks the mode, opens the server's tools and ticks one.
    await form.getByRole('radio', { name: 'Search mode' }).focus()
    await page.keyboard.press('Space')
    await form.getByRole('button', { name: 'Choose tools of everything' }).focus()
    await page.keyboard.press('Enter')
    const echo = form.getByRole('checkbox', { name: 'echo', exact: true })
    await echo.focus()
    await page.keyboard.press('Space')
    expect(await echo.isChecked()).toBe(true)
    expect(
      await form.getByRole('checkbox', { name: 'everything' }).getAttribute('aria-checked'),
    ).toBe('mixed')
    await form.getByRole('button', { name: 'Create profile' }).click()
    const profiles = card.getByRole('list', { name: 'Profiles' })
    await profiles.getByText('everything / echo').waitFor()
    await profiles.getByText('Search mode').waitFor()

    await profiles.getByRole('button', { name: 'Edit the profile agent' }).click()
    const edit = card.getByRole('form', { name: 'Edit the profile “agent”' })
    const name = edit.getByRole('textbox', { name: 'Profile name' })
    expect(await name.inputValue()).toBe('agent')
    expect(await name.evaluate((input) => input === document.activeElement)).toBe(true)
    expect(await edit.getByRole('radio', { name: 'Search mode' }).isChecked()).toBe(true)
    await edit.getByRole('checkbox', { name: 'everything' }).check()
    await edit.getByRole('button', { name: 'Save profile' }).click()
    await card.getByRole('form', { name: 'New profile' }).waitFor()
    await profiles.getByText('everything / echo').waitFor({ state: 'detached' })
    const saved = await page.request.get('/api/user/mcp-profiles')
    const [profile] = ((await saved.json()) as { profiles: Record<string, unknown>[] }).profiles
    expect(profile).toMatchObject({ name: 'agent', toolMode: 'search', toolIds: [] })
    expect(profile?.serverIds).toHaveLength(1)
    await card.scrollIntoViewIfNeeded()
    await screenshot(page, 'settings-mcp-profile-tools')
    expect(errors.filter((error) => !/status of 401/.test(error))).toEqual([])
  }, 90_000)
})
