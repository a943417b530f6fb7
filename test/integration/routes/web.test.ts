import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { precompress } from '../../../scripts/precompress-web.mjs'
import { startApp, type TestApp } from '../../helpers/start-app.ts'

// A built web app in miniature, precompressed by the build's own step: index.html, a hashed
// script and stylesheet, a font (stored compressed already), a root file, a tiny one.
const INDEX = `<!doctype html><html><head><title>Switchboard</title>
<script src="/theme.js"></script>
<script type="module" src="/assets/index-abc123.js"></script>
<link rel="stylesheet" href="/assets/index-def456.css"></head>
<body><div id="root"></div>${'<!-- padding so it is worth compressing -->\n'.repeat(20)}</body></html>`
const SCRIPT = `export const words = ${JSON.stringify(Array.from({ length: 400 }, (_, i) => `word ${i}`))}\n`
const STYLE = `${Array.from({ length: 100 }, (_, i) => `.c${i} { color: red; margin: ${i}px }`).join('\n')}\n`
const THEME = `;(() => { document.documentElement.classList.toggle('dark', false) })()\n${'// why\n'.repeat(100)}`

let t: TestApp
let webDir: string
let rows: Awaited<ReturnType<typeof precompress>>

beforeAll(async () => {
  webDir = mkdtempSync(join(tmpdir(), 'switchboard-web-'))
  mkdirSync(join(webDir, 'assets'))
  writeFileSync(join(webDir, 'index.html'), INDEX)
  writeFileSync(join(webDir, 'theme.js'), THEME)
  writeFileSync(join(webDir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>')
  writeFileSync(join(webDir, 'assets/index-abc123.js'), SCRIPT)
  writeFileSync(join(webDir, 'assets/index-def456.css'), STYLE)
  writeFileSync(join(webDir, 'assets/KaTeX_Main-Regular-xyz.woff2'), Buffer.alloc(2048, 7))
  rows = await precompress(webDir, { critical: (path) => path.endsWith('.js') })
  t = await startApp({ env: { SWITCHBOARD_WEB_DIR: webDir } })
})
afterAll(() => t.close())

const get = (path: string, encoding?: string, headers: Record<string, string> = {}) =>
  t.request(path, { headers: { ...(encoding ? { 'accept-encoding': encoding } : {}), ...headers } })

describe('precompress (scripts/build-web.mjs)', () => {
  it('stores .br and .gz copies beside compressible files, not beside fonts or tiny files', () => {
    for (const file of [
      'index.html',
      'theme.js',
      'assets/index-abc123.js',
      'assets/index-def456.css',
    ]) {
      expect(existsSync(join(webDir, `${file}.br`)), file).toBe(true)
      expect(existsSync(join(webDir, `${file}.gz`)), file).toBe(true)
    }
    expect(existsSync(join(webDir, 'assets/KaTeX_Main-Regular-xyz.woff2.br'))).toBe(false)
    expect(existsSync(join(webDir, 'favicon.svg.br'))).toBe(false)
    const script = rows.find((row) => row.file === 'assets/index-abc123.js')
    expect(script?.br).toBeLessThan((script?.raw ?? 0) / 3)
  })
})

describe('the web app (routes/web.ts)', () => {
  it('sends a hashed script brotli-compressed when the browser takes it, cached for a year', async () => {
    const res = await get('/assets/index-abc123.js', 'gzip, deflate, br, zstd')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-encoding')).toBe('br')
    expect(res.headers.get('vary')).toMatch(/accept-encoding/i)
    expect(res.headers.get('content-type')).toMatch(/javascript/)
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    const body = Buffer.from(await res.arrayBuffer())
    expect(Number(res.headers.get('content-length'))).toBe(body.length)
    expect(brotliDecompressSync(body).toString('utf8')).toBe(SCRIPT)
  })

  it('falls back to gzip, then to the file as it is, saying it varies by encoding either way', async () => {
    const gz = await get('/assets/index-def456.css', 'gzip, deflate')
    expect(gz.headers.get('content-encoding')).toBe('gzip')
    expect(gz.headers.get('content-type')).toMatch(/text\/css/)
    expect(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString('utf8')).toBe(STYLE)

    const plain = await get('/assets/index-def456.css')
    expect(plain.headers.get('content-encoding')).toBeNull()
    expect(plain.headers.get('vary')).toMatch(/accept-encoding/i)
    expect(plain.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    expect(await plain.text()).toBe(STYLE)

    // A font is compressed already: sent as it is, cached like every hashed file.
    const font = await get('/assets/KaTeX_Main-Regular-xyz.woff2', 'br, gzip')
    expect(font.headers.get('content-encoding')).toBeNull()
    expect(font.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    expect(Buffer.from(await font.arrayBuffer()).length).toBe(2048)
  })

  it('answers 404 for a missing asset instead of the page', async () => {
    const res = await get('/assets/index-gone999.js', 'br')
    expect(res.status).toBe(404)
    expect(res.headers.get('content-type')).not.toMatch(/html/)
  })

  it('serves index.html for app routes, compressed and revalidated on every load', async () => {
    for (const path of ['/', '/chat', '/chat/5b0c1c9e-8d5f-4c1e-9a53-0d5d3c8f1a2b', '/settings']) {
      const res = await get(path, 'br, gzip')
      expect(res.status, path).toBe(200)
      expect(res.headers.get('content-type')).toMatch(/text\/html/)
      expect(res.headers.get('content-encoding')).toBe('br')
      expect(res.headers.get('vary')).toMatch(/accept-encoding/i)
      expect(res.headers.get('cache-control')).toBe('no-cache')
      expect(brotliDecompressSync(Buffer.from(await res.arrayBuffer())).toString('utf8')).toBe(
        INDEX,
      )
    }
    const plain = await get('/chat')
    expect(plain.headers.get('cache-control')).toBe('no-cache')
    expect(await plain.text()).toBe(INDEX)
  })

  it('answers 304 to a revalidation of an unchanged page, per encoding', async () => {
    const first = await get('/chat', 'br')
    const tag = first.headers.get('etag')
    expect(tag).toBeTruthy()
    const again = await get('/chat', 'br', { 'if-none-match': tag as string })
    expect(again.status).toBe(304)
    expect(again.headers.get('cache-control')).toBe('no-cache')
    expect(await again.text()).toBe('')
    // The gzip copy is another representation: the brotli tag does not match it.
    const other = await get('/chat', 'gzip', { 'if-none-match': tag as string })
    expect(other.status).toBe(200)
    expect(other.headers.get('content-encoding')).toBe('gzip')

    const theme = await get('/theme.js', 'gzip')
    expect(theme.headers.get('cache-control')).toBe('no-cache')
    expect(theme.headers.get('content-encoding')).toBe('gzip')
    const themeAgain = await get('/theme.js', 'gzip', {
      'if-none-match': theme.headers.get('etag') as string,
    })
    expect(themeAgain.status).toBe(304)
  })

  it('serves a rebuilt index.html without a restart', async () => {
    const rebuilt = INDEX.replace('index-abc123.js', 'index-new789.js')
    try {
      writeFileSync(join(webDir, 'index.html'), rebuilt)
      await precompress(webDir)
      for (const encoding of ['br', undefined]) {
        const res = await get('/chat', encoding)
        const body = Buffer.from(await res.arrayBuffer())
        expect((encoding ? brotliDecompressSync(body) : body).toString('utf8')).toBe(rebuilt)
      }
    } finally {
      writeFileSync(join(webDir, 'index.html'), INDEX)
      await precompress(webDir)
    }
  })
})
