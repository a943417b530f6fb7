import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { auth, Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MemoryOAuthProvider } from '../helpers/endpoint-oauth.ts'
import { LOOPBACK_POLICY, type RunningHttp, startEverything } from '../helpers/mcp-servers.ts'
import { type BrowserApp, HAS_CHROMIUM, screenshot, startBrowserApp } from './browser.ts'
import { AppShell } from './pages/app-shell.ts'
import { AuthPages } from './pages/auth-pages.ts'
import { ServersPage } from './pages/servers-page.ts'

// The personal MCP endpoint in Settings (issue 15): where clients connect and how to set one up,
// and an MCP client signing in with OAuth: sign-in, the consent page, Connected apps, Revoke.

let app: BrowserApp
const PASSWORD = 'correct horse battery staple'
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

  it('an MCP client signs in with OAuth: sign-in, consent with a profile, then Revoke in Settings', async () => {
    // The client's loopback redirect, as a desktop app listens for it.
    const codes: URL[] = []
    const callback = createServer((req, res) => {
      codes.push(new URL(req.url ?? '/', 'http://127.0.0.1'))
      res.end('You can close this window.')
    })
    await new Promise<void>((resolve) => callback.listen(0, '127.0.0.1', resolve))
    const redirect = `http://127.0.0.1:${(callback.address() as AddressInfo).port}/callback`
    try {
      const email = `e2e-oauth-${Date.now()}@example.test`
      const setup = await app.newPage()
      await setup.page.goto('/login')
      await new AuthPages(setup.page).register(email, PASSWORD)
      await setup.page.waitForURL(/\/chat$/)
      await setup.page.request.post('/api/user/mcp-profiles', {
        data: { name: 'reading', serverIds: [] },
      })

      const provider = new MemoryOAuthProvider('Desk App')
      Object.defineProperty(provider, 'redirectUrl', { get: () => redirect })
      Object.defineProperty(provider, 'clientMetadata', {
        get: () => ({
          client_name: 'Desk App',
          redirect_uris: [redirect],
          grant_types: ['authorization_code', 'refresh_token'],
          response_types: ['code'],
          token_endpoint_auth_method: 'none',
        }),
      })
      const serverUrl = `${app.url}/mcp/p/reading`
      expect(await auth(provider, { serverUrl })).toBe('REDIRECT')

      // A browser that is not signed in: sign in first, then the consent page.
      const { page, errors } = await app.newPage()
      await page.goto(String(provider.authorizationUrl))
      await page.waitForURL(/\/login\?/)
      await new AuthPages(page).signIn(email, PASSWORD)
      await page.waitForURL(/\/oauth\/consent\?/)
      await page.getByRole('heading', { name: 'Let Desk App use your tools?' }).waitFor()
      await page.getByText(/Switchboard cannot confirm that it is “Desk App”/).waitFor()
      await page.getByText(/back to an app on this computer/).waitFor()
      await page.getByLabel('What it gets').selectOption({ label: 'Only the profile “reading”' })
      await screenshot(page, 'oauth-consent')
      await page.getByRole('button', { name: 'Allow' }).click()
      await expect.poll(() => codes.length, { timeout: 10_000 }).toBe(1)
      const answer = codes[0] as URL
      expect(
        await auth(provider, {
          serverUrl,
          authorizationCode: answer.searchParams.get('code') as string,
          iss: answer.searchParams.get('iss') ?? undefined,
        }),
      ).toBe('AUTHORIZED')
      const client = new Client({ name: 'desk-app', version: '1.0.0' })
      await client.connect(
        new StreamableHTTPClientTransport(new URL(serverUrl), { authProvider: provider }),
      )
      expect((await client.listTools()).tools).toEqual([])
      await client.close()

      // Settings lists it with its profile; Revoke stops it at once.
      await page.goto('/settings')
      const card = page.getByRole('list', { name: 'Connected apps' })
      await card.getByText('Desk App').waitFor()
      await card.getByText(/only reading/).waitFor()
      await card.scrollIntoViewIfNeeded()
      await screenshot(page, 'settings-connected-apps')
      await card.getByRole('button', { name: 'Revoke Desk App' }).click()
      await page.getByRole('alertdialog').getByRole('button', { name: 'Revoke' }).click()
      await page.getByText('No app has signed in yet').waitFor()
      const refused = await fetch(serverUrl, {
        method: 'POST',
        headers: { authorization: `Bearer ${provider.tokens()?.access_token}` },
      })
      expect(refused.status).toBe(401)
      expect(errors.filter((error) => !/status of 401/.test(error))).toEqual([])
    } finally {
      callback.close()
    }
  }, 90_000)

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
