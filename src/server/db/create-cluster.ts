import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'

// Plain CommonJS, run with `eval: true`: the worker needs no TypeScript loader, however the
// server was started (tsx, vitest, the bundle).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const { PGlite } = require(workerData.pglite)
;(async () => {
  const pglite = await PGlite.create(workerData.dataDir, { startParams: workerData.startParams })
  await pglite.close()
})().then(
  () => parentPort.postMessage({ ok: true }),
  (error) => parentPort.postMessage({ ok: false, message: String((error && error.message) || error) }),
)
`

/**
 * Creates PGlite's cluster (`initdb`) in `dataDir` on a thread of its own, if there is none yet.
 * `initdb` grows PGlite's WebAssembly memory to ~600 MB, and WebAssembly memory never shrinks:
 * run in the server's own thread, a first start stayed that large until restarted. The thread's
 * memory goes when it ends, and the server then opens the new cluster at its usual size.
 */
export async function createClusterIfMissing(dataDir: string, startParams: string[]) {
  if (existsSync(join(dataDir, 'PG_VERSION'))) return
  const pglite = createRequire(import.meta.url).resolve('@electric-sql/pglite')
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { pglite, dataDir, startParams },
  })
  try {
    const outcome = await new Promise<{ ok: boolean; message?: string }>((resolve, reject) => {
      worker.once('message', resolve)
      worker.once('error', reject)
      worker.once('exit', (code) => reject(new Error(`the thread exited with code ${code}`)))
    })
    if (!outcome.ok) throw new Error(outcome.message)
  } catch (error) {
    throw new Error(
      `could not create the embedded database in ${dataDir}: ${(error as Error).message}`,
      {
        cause: error,
      },
    )
  } finally {
    await worker.terminate()
  }
}
