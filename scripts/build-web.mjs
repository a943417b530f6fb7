#!/usr/bin/env node
// Builds the web app into dist/web. With --if-needed (what `npm start` passes) it skips the
// build when dist/web is newer than every source file, so restarts stay instant.
//
// The build goes to a folder of its own first, is precompressed there (precompress-web.mjs),
// and then takes dist/web's place in one rename. A server running meanwhile never sees a half
// written dist/web, and the hashed files of the build before stay one more build: a page
// loaded before the swap still finds the chunks it loads later (the Markdown renderer, the
// charts).
import {
  copyFileSync,
  existsSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { precompress } from './precompress-web.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))
const target = join(root, 'dist/web')
const stamp = join(target, 'index.html')
// The hashed files the build in dist/web made (not those it carried over): the next carries
// only these, so one generation stays, not all of them.
const record = join(root, 'dist/web-assets.json')
const sources = [
  'src/web',
  'src/shared',
  'vite.config.ts',
  'package-lock.json',
  'scripts/build-web.mjs',
  'scripts/precompress-web.mjs',
]

function newestMtime(path) {
  if (!existsSync(path)) return 0
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.mtimeMs
  return Math.max(0, ...readdirSync(path).map((name) => newestMtime(join(path, name))))
}

const ifNeeded = process.argv.includes('--if-needed')
const built = existsSync(stamp) ? statSync(stamp).mtimeMs : 0
if (ifNeeded && built > Math.max(...sources.map((s) => newestMtime(join(root, s))))) {
  process.exit(0)
}
console.log('building the web app (dist/web)…')
// Per process: two builds at once (two test runs) must not write into each other's folder.
const staging = join(root, `dist/.web-${process.pid}`)
const retired = join(root, `dist/.web-old-${process.pid}`)
rmSync(staging, { recursive: true, force: true })
// What a build that died left behind (an hour is longer than any build takes).
for (const name of existsSync(join(root, 'dist')) ? readdirSync(join(root, 'dist')) : []) {
  const path = join(root, 'dist', name)
  if (name.startsWith('.web-') && statSync(path).mtimeMs < Date.now() - 3_600_000) {
    rmSync(path, { recursive: true, force: true })
  }
}
const { build } = await import('vite')
await build({
  configFile: join(root, 'vite.config.ts'),
  logLevel: 'warn',
  build: { outDir: staging, emptyOutDir: true },
})

// What index.html loads (scripts, preloads, the stylesheet) is the first page's critical path.
const index = readFileSync(join(staging, 'index.html'), 'utf8')
const initial = new Set(
  [...index.matchAll(/(?:src|href)="\/(assets\/[^"]+)"/g)].map((match) => join(staging, match[1])),
)
await precompress(staging, {
  critical: (path) => initial.has(path) || path === join(staging, 'index.html'),
})

const fresh = readdirSync(join(staging, 'assets'))
const previous = existsSync(record) ? JSON.parse(readFileSync(record, 'utf8')).assets : []
for (const name of previous) {
  const from = join(target, 'assets', name)
  const to = join(staging, 'assets', name)
  if (existsSync(from) && !existsSync(to)) copyFileSync(from, to)
}

if (existsSync(target)) renameSync(target, retired)
renameSync(staging, target)
rmSync(retired, { recursive: true, force: true })
writeFileSync(record, JSON.stringify({ assets: fresh }))
