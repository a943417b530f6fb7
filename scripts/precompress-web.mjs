// Stores a brotli (.br) and a gzip (.gz) copy beside each compressible file of a built web app,
// for src/server/routes/web.ts to send by Accept-Encoding: compressed once at build time, at the
// best ratio, instead of on every request.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { promisify } from 'node:util'
import { brotliCompress, constants, gzip } from 'node:zlib'

const brotli = promisify(brotliCompress)
const gzipAsync = promisify(gzip)

// What compresses. woff2, images and media are compressed formats already.
export const COMPRESSIBLE =
  /\.(?:js|mjs|css|html|svg|json|txt|map|ttf|otf|eot|wasm|xml|webmanifest)$/i
// Below this, the saving does not pay for the extra file and lookup.
const MIN_BYTES = 512

function filesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    return entry.isDirectory() ? filesUnder(path) : [path]
  })
}

/**
 * Compresses every compressible file under `dir`. `critical(path)` says which files the first
 * page loads: those get brotli's best quality (11, slow: seconds per megabyte); the rest, most of
 * which no browser ever asks for (Shiki's 300 grammars, Mermaid's diagram types), quality 5,
 * about 10 % larger and 25 times faster. A copy that would not be smaller is not written.
 * Returns one row per file: its path relative to `dir` and its sizes.
 */
export async function precompress(dir, { critical = () => false } = {}) {
  const files = filesUnder(dir).filter(
    (path) => COMPRESSIBLE.test(path) && statSync(path).size >= MIN_BYTES,
  )
  return Promise.all(
    files.map(async (path) => {
      const raw = readFileSync(path)
      const quality = critical(path) ? 11 : 5
      const [br, gz] = await Promise.all([
        brotli(raw, {
          params: {
            [constants.BROTLI_PARAM_QUALITY]: quality,
            [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
          },
        }),
        gzipAsync(raw, { level: 9 }),
      ])
      if (br.length < raw.length) writeFileSync(`${path}.br`, br)
      if (gz.length < raw.length) writeFileSync(`${path}.gz`, gz)
      return { file: relative(dir, path), raw: raw.length, br: br.length, gzip: gz.length }
    }),
  )
}
