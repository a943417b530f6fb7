/**
 * The web app as a browser on a slow line gets it. Two parts:
 *
 * - **Sizes**: every JS and CSS file of the build, raw and as sent (brotli, gzip: the copies
 *   scripts/build-web.mjs stores), split into what index.html makes the first page load and
 *   what loads later, on demand.
 * - **Loads**: real Chromium, the line throttled through the DevTools protocol
 *   (`Network.emulateNetworkConditions`, default 1.6 Mbit/s down, 750 kbit/s up, 150 ms RTT),
 *   cache off unless said. For each page: the time until it can be used (its main control
 *   shows and takes input), the bytes that crossed the line by then, and which chunks came.
 *   Pages: sign-in (cold, cold with compression refused, warm: the second visit), the chat with
 *   no conversation open, and a conversation holding MARKDOWN_ANSWER (until the composer
 *   works, and until the diagram has been drawn, so until Shiki, KaTeX and Mermaid are in).
 *
 *   npm run bench:web [-- --runs 3 --kbps 1600 --rtt 150 --web-dir /path/to/dist/web]
 *
 * `--web-dir` measures another build (another commit's `dist/web`: the sign-in page only, since
 * the API of this tree may not match its UI); `--label` names the result:
 * bench/results/web-load-<label>-<date>.json (label `current` by default).
 */

import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { get as httpGet } from 'node:http'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { brotliCompressSync, gzipSync } from 'node:zlib'
import type { BrowserContext, Page } from 'playwright-core'
import { startBrowserApp, WEB_DIR } from '../test/e2e/browser.ts'
import { ChatPage } from '../test/e2e/pages/chat-page.ts'
import {
  MARKDOWN_ANSWER,
  startFakeOpenRouter,
  textInChunks,
} from '../test/fixtures/llm/fake-openrouter.ts'
import { testConfig } from '../test/helpers/test-config.ts'

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    kbps: { type: 'string', default: '1600' },
    rtt: { type: 'string', default: '150' },
    'web-dir': { type: 'string' },
    label: { type: 'string', default: 'current' },
  },
})
const RUNS = Number(values.runs)
const KBPS = Number(values.kbps)
const RTT = Number(values.rtt)
const webDir = values['web-dir'] ?? WEB_DIR
const onlySignIn = values['web-dir'] !== undefined
const root = new URL('..', import.meta.url).pathname
const PASSWORD = 'correct horse battery staple'

// ---- sizes ------------------------------------------------------------------------------------

interface FileSize {
  file: string
  raw: number
  gzip: number
  br: number
}

function sizeOf(path: string, file: string): FileSize {
  const raw = readFileSync(path)
  const stored = (suffix: string, make: () => Buffer) =>
    existsSync(`${path}${suffix}`) ? statSync(`${path}${suffix}`).size : make().length
  return {
    file,
    raw: raw.length,
    gzip: stored('.gz', () => gzipSync(raw, { level: 9 })),
    br: stored('.br', () => brotliCompressSync(raw)),
  }
}

function buildSizes(dir: string) {
  const index = readFileSync(join(dir, 'index.html'), 'utf8')
  const initialNames = new Set(
    [...index.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]),
  )
  // build-web.mjs keeps the build before's hashed files one more build; they are not this one.
  const record = join(dir, '..', 'web-assets.json')
  const own = existsSync(record)
    ? new Set<string>(JSON.parse(readFileSync(record, 'utf8')).assets)
    : undefined
  const files = readdirSync(join(dir, 'assets'))
    .filter((name) => /\.(?:js|css)$/.test(name) && (!own || own.has(name)))
    .map((name) => sizeOf(join(dir, 'assets', name), `assets/${name}`))
  const initial = files.filter((f) => initialNames.has(f.file)).sort((a, b) => b.raw - a.raw)
  const lazy = files.filter((f) => !initialNames.has(f.file)).sort((a, b) => b.raw - a.raw)
  const total = (list: FileSize[]) => ({
    files: list.length,
    raw: sum(list.map((f) => f.raw)),
    gzip: sum(list.map((f) => f.gzip)),
    br: sum(list.map((f) => f.br)),
  })
  return {
    initial,
    initialTotal: total(initial),
    largestLazy: lazy.slice(0, 12),
    lazyTotal: total(lazy),
  }
}

// ---- loads ------------------------------------------------------------------------------------

interface Load {
  page: string
  /** Until the page's main control shows and takes input. */
  interactiveMs: number
  /** Bytes over the line until then (headers included, as DevTools counts them). */
  transferred: number
  /** For the conversation: until the diagram is drawn (every lazy part in). */
  completeMs?: number
  transferredComplete?: number
  chunks: string[]
}

async function throttle(context: BrowserContext, page: Page, options: { cache: boolean }) {
  const cdp = await context.newCDPSession(page)
  await cdp.send('Network.enable')
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: !options.cache })
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: RTT,
    downloadThroughput: (KBPS * 1000) / 8,
    uploadThroughput: (750 * 1000) / 8,
  })
  let bytes = 0
  cdp.on('Network.loadingFinished', (event) => {
    bytes += event.encodedDataLength
  })
  return { transferred: () => bytes, cdp }
}

async function chunksOf(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    performance
      .getEntriesByType('resource')
      .map((entry) => new URL(entry.name).pathname)
      .filter((path) => path.startsWith('/assets/'))
      .map((path) => path.slice('/assets/'.length)),
  )
}

/** Bytes on the wire of a few API answers, plain and gzipped (routes/middleware/compress-api.ts). */
async function apiSizes(conversationPath: string, cookies: { name: string; value: string }[]) {
  const cookie = cookies.map((c) => `${c.name}=${c.value}`).join('; ')
  const id = conversationPath.split('/').at(-1) ?? ''
  const paths = ['/api/openapi.json', '/api/conversations', `/api/conversations/${id}`]
  const onWire = (path: string, encoding: string) =>
    new Promise<number>((resolve, reject) => {
      const request = httpGet(
        `${app.url}${path}`,
        { headers: { cookie, 'accept-encoding': encoding } },
        (res) => {
          let bytes = 0
          res.on('data', (chunk: Buffer) => {
            bytes += chunk.length
          })
          res.on('end', () => resolve(bytes))
        },
      )
      request.on('error', reject)
    })
  const rows = []
  for (const path of paths) {
    rows.push({ path, raw: await onWire(path, 'identity'), gzip: await onWire(path, 'gzip') })
  }
  return rows
}

const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)] ?? 0
const sum = (list: number[]) => list.reduce((a, b) => a + b, 0)

const fake = await startFakeOpenRouter()
const { chat } = testConfig({ OPENROUTER_API_KEY: 'bench-key', OPENROUTER_BASE_URL: fake.baseUrl })
const app = await startBrowserApp({ chat, webDir })

try {
  // A user with a conversation holding the Markdown answer, made without throttling.
  const setup = await app.browser.newContext({ baseURL: app.url })
  const setupPage = await setup.newPage()
  const registered = await setupPage.request.post('/api/auth/register', {
    data: { email: `bench-web-${Date.now()}@example.test`, password: PASSWORD },
    headers: { origin: app.url },
  })
  if (registered.status() !== 201) throw new Error(`register: ${registered.status()}`)
  const cookies = await setup.cookies()
  let conversationPath = '/chat'
  if (!onlySignIn) {
    await setupPage.goto('/chat')
    const chatPage = new ChatPage(setupPage)
    await chatPage.newConversation()
    fake.enqueue(textInChunks(MARKDOWN_ANSWER, 200))
    await chatPage.send('The weekly report, please')
    await chatPage.answers().locator('[data-streamdown="mermaid"] svg').waitFor({ timeout: 60_000 })
    conversationPath = new URL(setupPage.url()).pathname
  }
  await setup.close()
  const api = onlySignIn ? [] : await apiSizes(conversationPath, cookies)

  /** One throttled load of `path`; `ready` resolves when the page can be used. */
  async function measure(
    label: string,
    path: string,
    ready: (page: Page) => Promise<unknown>,
    options: {
      signedIn?: boolean
      cache?: boolean
      identity?: boolean
      complete?: (page: Page) => Promise<unknown>
    } = {},
  ): Promise<Load> {
    const context = await app.browser.newContext({ baseURL: app.url })
    if (options.signedIn) await context.addCookies(cookies)
    const page = await context.newPage()
    if (options.cache) {
      // The first visit fills the cache; the measured one is the next.
      await page.goto(path)
      await ready(page)
    }
    const line = await throttle(context, page, { cache: options.cache ?? false })
    if (options.identity) {
      await line.cdp.send('Network.setExtraHTTPHeaders', {
        headers: { 'Accept-Encoding': 'identity' },
      })
    }
    const started = performance.now()
    await page.goto(path, { waitUntil: 'commit' })
    await ready(page)
    const interactiveMs = performance.now() - started
    const transferred = line.transferred()
    let complete: Pick<Load, 'completeMs' | 'transferredComplete'> = {}
    if (options.complete) {
      await options.complete(page)
      complete = {
        completeMs: performance.now() - started,
        transferredComplete: line.transferred(),
      }
    }
    const chunks = await chunksOf(page)
    await context.close()
    return { page: label, interactiveMs, transferred, ...complete, chunks }
  }

  const signInReady = async (page: Page) => {
    const button = page.getByRole('button', { name: 'Sign in', exact: true })
    await button.waitFor({ timeout: 120_000 })
    await page.getByLabel('Email').fill('someone@example.test')
  }
  const composerReady = async (page: Page) => {
    const composer = new ChatPage(page).composer()
    await composer.waitFor({ timeout: 120_000 })
    await composer.fill('typing works')
  }
  const chatReady = async (page: Page) =>
    page.getByRole('button', { name: 'New conversation' }).first().waitFor({ timeout: 120_000 })
  const diagramDrawn = (page: Page) =>
    page.locator('[data-streamdown="mermaid"] svg').waitFor({ timeout: 180_000 })

  const scenarios: Array<() => Promise<Load>> = [
    () => measure('sign-in, cold', '/login', signInReady),
    () => measure('sign-in, cold, no compression', '/login', signInReady, { identity: true }),
    () => measure('sign-in, second visit (cache)', '/login', signInReady, { cache: true }),
  ]
  if (!onlySignIn) {
    scenarios.push(
      () => measure('chat, nothing open, cold', '/chat', chatReady, { signedIn: true }),
      () =>
        measure('conversation with Markdown, cold', conversationPath, composerReady, {
          signedIn: true,
          complete: diagramDrawn,
        }),
    )
  }

  const results: Record<string, Load[]> = {}
  for (let run = 0; run < RUNS; run += 1) {
    for (const scenario of scenarios) {
      const load = await scenario()
      results[load.page] ??= []
      results[load.page]?.push(load)
    }
  }

  const sizes = buildSizes(webDir)
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`
  process.stdout.write(
    `first page: ${sizes.initialTotal.files} files, ${kb(sizes.initialTotal.raw)} raw, ` +
      `${kb(sizes.initialTotal.gzip)} gzip, ${kb(sizes.initialTotal.br)} brotli\n`,
  )
  for (const f of sizes.initial) {
    process.stdout.write(`  ${f.file}  ${kb(f.raw)}  gz ${kb(f.gzip)}  br ${kb(f.br)}\n`)
  }
  process.stdout.write(
    `later, on demand: ${sizes.lazyTotal.files} files, ${kb(sizes.lazyTotal.raw)} raw, ` +
      `${kb(sizes.lazyTotal.br)} brotli; largest:\n`,
  )
  for (const f of sizes.largestLazy) {
    process.stdout.write(`  ${f.file}  ${kb(f.raw)}  br ${kb(f.br)}\n`)
  }
  for (const row of api) {
    process.stdout.write(`  API ${row.path}: ${kb(row.raw)} as JSON, ${kb(row.gzip)} gzipped\n`)
  }
  process.stdout.write(`\nthrottled to ${KBPS} kbit/s, ${RTT} ms RTT; median of ${RUNS}\n`)
  const summary = Object.entries(results).map(([page, loads]) => {
    const row = {
      page,
      interactiveMs: Math.round(median(loads.map((l) => l.interactiveMs))),
      transferred: median(loads.map((l) => l.transferred)),
      completeMs: loads[0]?.completeMs
        ? Math.round(median(loads.map((l) => l.completeMs ?? 0)))
        : undefined,
      transferredComplete: loads[0]?.transferredComplete
        ? median(loads.map((l) => l.transferredComplete ?? 0))
        : undefined,
      chunks: loads[0]?.chunks ?? [],
    }
    process.stdout.write(
      `  ${page}: usable after ${row.interactiveMs} ms, ${kb(row.transferred)}` +
        (row.completeMs
          ? `; everything drawn after ${row.completeMs} ms, ${kb(row.transferredComplete ?? 0)}`
          : '') +
        `\n    chunks: ${row.chunks.join(' ')}\n`,
    )
    return row
  })
  const day = new Date().toISOString().slice(0, 10)
  const file = join(root, 'bench/results', `web-load-${values.label}-${day}.json`)
  writeFileSync(
    file,
    `${JSON.stringify(
      {
        date: new Date().toISOString(),
        node: process.version,
        webDir,
        line: { kbps: KBPS, rttMs: RTT, runs: RUNS },
        sizes,
        api,
        loads: summary,
      },
      null,
      2,
    )}\n`,
  )
  process.stdout.write(`\nwrote ${file}\n`)
} finally {
  await app.close()
  await fake.close()
}
