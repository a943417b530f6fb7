import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { buildServer, currentServerBundle } from '../../../scripts/build-server.mjs'

const root = mkdtempSync(join(tmpdir(), 'server-bundle-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

function write(path: string, text: string) {
  mkdirSync(join(root, path, '..'), { recursive: true })
  writeFileSync(join(root, path), text)
}

describe('the server bundle bin/switchboard.js runs (scripts/build-server.mjs)', () => {
  write(
    'src/cli/index.ts',
    "import { answer } from '../server/answer.ts'\nexport const value: number = answer\n",
  )
  write('src/server/answer.ts', 'export const answer = 42\n')

  it('is run only while no source it was built from changed since', async () => {
    expect(currentServerBundle(root)).toBeNull()
    const bundle = await buildServer(root)
    expect(currentServerBundle(root)).toBe(bundle)
    const built = (await import(pathToFileURL(bundle).href)) as { value: number }
    expect(built.value).toBe(42)

    // An edit of any file the bundle holds, however deep: the sources run until it is rebuilt.
    await new Promise((resolve) => setTimeout(resolve, 20))
    write('src/server/answer.ts', 'export const answer = 43\n')
    expect(currentServerBundle(root)).toBeNull()
    await new Promise((resolve) => setTimeout(resolve, 20))
    await buildServer(root)
    expect(currentServerBundle(root)).toBe(bundle)
  })

  it('is not run when the record of its sources is missing (an interrupted build)', async () => {
    await buildServer(root)
    rmSync(join(root, 'dist/server/inputs.json'))
    expect(currentServerBundle(root)).toBeNull()
  })

  it('is not run when one of its sources is gone', async () => {
    await buildServer(root)
    write('src/server/extra.ts', 'export {}\n')
    rmSync(join(root, 'src/server/answer.ts'))
    expect(currentServerBundle(root)).toBeNull()
  })
})
