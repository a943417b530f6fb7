#!/usr/bin/env node
// Bundles the server (src/cli/index.ts and every source file it imports) into
// dist/server/switchboard.mjs, which `bin/switchboard.js` runs instead of the TypeScript sources
// while it is current. Packages stay external (loaded from node_modules as they are). Running
// from the bundle saves tsx's loader and every module's source with its inline source map: the
// idle server is ~130 MB smaller (bench/README.md, "Idle memory").
//
// With --if-needed (what `npm start` passes) it builds only when the bundle is missing or older
// than one of its sources, so restarts stay instant.
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const ROOT = fileURLToPath(new URL('..', import.meta.url))

/** Where the bundle of the checkout at `root` goes, and the record of what it was built from. */
function pathsOf(root) {
  const outDir = join(root, 'dist/server')
  return {
    outDir,
    bundle: join(outDir, 'switchboard.mjs'),
    /** When the build started, and the source files it read: for the staleness check. */
    inputsFile: join(outDir, 'inputs.json'),
  }
}

/**
 * The bundle's path if it is newer than every source file it was built from; otherwise null
 * (never built, or a source changed since: run the sources instead). A few hundred `stat`s.
 */
export function currentServerBundle(root = ROOT) {
  const { bundle, inputsFile } = pathsOf(root)
  try {
    const { startedAt, inputs } = JSON.parse(readFileSync(inputsFile, 'utf8'))
    statSync(bundle)
    // A source saved while the build ran may not be in it: newer than the start means stale.
    for (const input of inputs) if (statSync(join(root, input)).mtimeMs >= startedAt) return null
    return bundle
  } catch {
    return null
  }
}

export async function buildServer(root = ROOT) {
  const { outDir, bundle, inputsFile } = pathsOf(root)
  const { build } = await import('esbuild')
  mkdirSync(outDir, { recursive: true })
  const startedAt = Date.now()
  const partial = `${bundle}.${process.pid}.tmp`
  const result = await build({
    absWorkingDir: root,
    entryPoints: ['src/cli/index.ts'],
    outfile: partial,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    metafile: true,
    logLevel: 'warning',
  })
  const inputs = Object.keys(result.metafile.inputs).filter(
    (file) => !file.includes('node_modules'),
  )
  // No list while the bundle is replaced: an interrupted build leaves a bundle that is not current.
  rmSync(inputsFile, { force: true })
  renameSync(partial, bundle)
  writeFileSync(inputsFile, `${JSON.stringify({ startedAt, inputs })}\n`)
  return bundle
}

if (process.argv[1] && pathToFileURL(resolve(process.argv[1])).href === import.meta.url) {
  if (process.argv.includes('--if-needed') && currentServerBundle()) process.exit(0)
  const started = performance.now()
  await buildServer()
  console.log(
    `server bundle: dist/server/switchboard.mjs (${Math.round(performance.now() - started)} ms)`,
  )
}
