import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { type Browser, chromium, type Page } from 'playwright-core'
import { createApp } from '../../src/server/app.ts'
import type { AppDeps } from '../../src/server/app-deps.ts'
import type { Config } from '../../src/server/config/config.ts'
import { buildDeps } from '../../src/server/deps.ts'
import { closedPortUrl } from '../helpers/closed-port.ts'
import { listen } from '../helpers/listen.ts'
import { testConfig } from '../helpers/test-config.ts'
import { openTestDatabase } from '../helpers/test-db.ts'

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
export const HAS_CHROMIUM = existsSync(CHROMIUM)
const ROOT = fileURLToPath(new URL('../..', import.meta.url))
export const SCREENSHOT_DIR = `${ROOT}test-results/screenshots`

if (!HAS_CHROMIUM) {
  if (process.env.REQUIRE_E2E) throw new Error(`REQUIRE_E2E is set but there is no ${CHROMIUM}`)
  console.warn(`browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)`)
}

/** Builds dist/web unless it is already newer than its sources (what npm start does). */
export function ensureWebBuild(): void {
  execFileSync(process.execPath, [`${ROOT}scripts/build-web.mjs`, '--if-needed'], {
    cwd: ROOT,
    stdio: 'inherit',
  })
}

export const WEB_DIR = `${ROOT}dist/web`

/**
 * Debian's Chromium, headless. The flags keep it from phoning home: this machine's network is
 * closed and those connections would fail noisily.
 */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}

/** Collects console errors and failed page loads, so a test can assert there were none. */
export function watchConsole(page: Page): string[] {
  const errors: string[] = []
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text())
  })
  page.on('pageerror', (error) => errors.push(error.message))
  return errors
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true })
  await page.screenshot({ path: `${SCREENSHOT_DIR}/${name}.png`, fullPage: true })
}

export interface BrowserApp {
  /** Where the real app listens (built SPA + API). */
  url: string
  browser: Browser
  /** The app's parts (its database, for a test that changes what the UI cannot). */
  deps: AppDeps
  /** A fresh browser context and page on the app, with console errors collected. */
  newPage(): Promise<{ page: Page; errors: string[] }>
  close(): Promise<void>
}

/**
 * The whole product for a browser test: dist/web built if stale, the real app on a fresh
 * database and a free port, and Chromium. One per test file (beforeAll); close() in afterAll.
 */
export async function startBrowserApp(overrides: Partial<Config> = {}): Promise<BrowserApp> {
  ensureWebBuild()
  const database = await openTestDatabase()
  // The public URL must be where the browser really finds the app: OAuth sends it back there.
  const port = Number(new URL(await closedPortUrl()).port)
  const config = testConfig(
    { SWITCHBOARD_WEB_DIR: WEB_DIR, SWITCHBOARD_PUBLIC_URL: `http://127.0.0.1:${port}` },
    overrides,
  )
  const built = await buildDeps(config, { database, migrate: true })
  const server = await listen(createApp(built.deps), port)
  const browser = await launchBrowser()
  return {
    url: server.url,
    browser,
    deps: built.deps,
    newPage: async () => {
      const context = await browser.newContext({ baseURL: server.url })
      const page = await context.newPage()
      return { page, errors: watchConsole(page) }
    },
    close: async () => {
      await browser.close()
      await server.close()
      await built.close()
      await database.close()
    },
  }
}
