import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'

// A PDF's text, read by unpdf (Mozilla's PDF.js, built for servers) in a worker thread: a PDF is
// untrusted input that can take seconds of CPU or a lot of memory to parse, and the server's
// event loop serves everyone. The worker has a memory cap and a deadline and is ended after each
// file; PDF.js's polyfills (it adds `navigator` and friends to the global object) stay in it.

const require = createRequire(import.meta.url)

/** How long one PDF may take to read. */
export const PDF_DEADLINE_MS = 30_000
const WORKER_HEAP_MB = 256

// Plain CommonJS, run with `eval: true`: the worker needs no TypeScript loader, however the
// server was started (tsx, vitest, a bundle). `isEvalSupported: false` keeps PDF.js from
// compiling a PDF's functions into JavaScript (the path of CVE-2024-4367).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
;(async () => {
  const { extractText, getDocumentProxy } = require(workerData.unpdf)
  const pdf = await getDocumentProxy(workerData.bytes, {
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    verbosity: 0,
  })
  const { totalPages, text } = await extractText(pdf, { mergePages: false })
  parentPort.postMessage({ pages: totalPages, text })
})().catch((error) => {
  parentPort.postMessage({ error: String((error && error.message) || error) })
})
`

export interface PdfText {
  pages: number
  /** The text of each page. */
  text: string[]
}

/** Thrown when the PDF could not be read (damaged, encrypted, too large to parse, too slow). */
export class PdfReadError extends Error {
  override name = 'PdfReadError'
}

/** Reads the text of every page of a PDF. Throws `PdfReadError`. */
export function readPdfText(
  bytes: Uint8Array,
  options: { deadlineMs?: number } = {},
): Promise<PdfText> {
  const deadlineMs = options.deadlineMs ?? PDF_DEADLINE_MS
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      // A copy: the caller keeps its bytes (transferring would detach them).
      workerData: { unpdf: require.resolve('unpdf'), bytes: new Uint8Array(bytes) },
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
      stdout: true,
      stderr: true,
    })
    // PDF.js warns about odd files on the console; nobody reads a worker's console.
    worker.stdout.resume()
    worker.stderr.resume()
    let settled = false
    const finish = (outcome: () => void) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      void worker.terminate()
      outcome()
    }
    const timer = setTimeout(
      () =>
        finish(() =>
          reject(new PdfReadError(`reading it took longer than ${deadlineMs / 1000} s`)),
        ),
      deadlineMs,
    )
    worker.on('message', (message: { pages?: number; text?: string[]; error?: string }) => {
      if (message.error !== undefined || !Array.isArray(message.text)) {
        finish(() => reject(new PdfReadError(message.error ?? 'no text came back')))
        return
      }
      const text = message.text
      finish(() => resolve({ pages: message.pages ?? text.length, text }))
    })
    worker.on('error', (error) => finish(() => reject(new PdfReadError(error.message))))
    worker.on('exit', () => finish(() => reject(new PdfReadError('the reader stopped'))))
  })
}
