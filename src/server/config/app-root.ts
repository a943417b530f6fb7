import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * The folder of Switchboard's own `package.json`, found upwards from this module: the same from
 * the TypeScript sources (src/server/config) and from the server bundle (dist/server), which
 * sit at different depths.
 */
export function appRoot(): string {
  root ??= findRoot(dirname(fileURLToPath(import.meta.url)))
  return root
}

let root: string | undefined

function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const file = join(dir, 'package.json')
    if (existsSync(file) && isOurs(file)) return dir
    if (dirname(dir) === dir) throw new Error(`Switchboard's package.json not found above ${from}`)
  }
}

function isOurs(file: string): boolean {
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown }).name === 'switchboard'
  } catch {
    return false
  }
}
