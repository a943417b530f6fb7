#!/usr/bin/env node
// Builds the web app into dist/web. With --if-needed (what `npm start` passes) it skips the
// build when dist/web is newer than every source file, so restarts stay instant.
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const stamp = join(root, 'dist/web/index.html')
const sources = ['src/web', 'src/shared', 'vite.config.ts', 'package-lock.json']

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
const { build } = await import('vite')
await build({ configFile: join(root, 'vite.config.ts'), logLevel: 'warn' })
