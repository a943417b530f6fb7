import type { Db } from '../db/database.ts'
import { type ToolCallRecord, upsertToolCalls } from '../db/mcp-tool-calls.ts'
import type { Logger } from '../log.ts'

/**
 * The tool-call log, written behind the calls: a call never waits for the database unless it
 * asks to (`written`). States queue up and are flushed together, one batch at a time, the
 * latest state of each call replacing any earlier one not yet written. A failed flush keeps its
 * rows (unless a newer state arrived meanwhile) and tries again, so a burst loses nothing;
 * `close` writes everything that is left.
 */
export interface CallLog {
  /** Queue this state of the call (the whole record: later states replace earlier ones). */
  write(record: ToolCallRecord): void
  /** Resolves once the call's latest queued state is in the database. */
  written(id: string): Promise<void>
  /** The latest state not yet written, if any (reads see it before the database does). */
  pending(id: string): ToolCallRecord | undefined
  /** Waits for everything queued so far. */
  flush(): Promise<void>
  close(): Promise<void>
}

export interface CallLogOptions {
  /**
   * Wait at most this long before writing a batch (default 100 ms). Most calls end within it,
   * so a call is usually one row written once, in a batch with its neighbours: on PGlite every
   * statement blocks the event loop, and one upsert per state cost the proxy a third of its
   * latency. Someone waiting for a row (`written`) does not wait for the timer.
   */
  flushAfterMs?: number
  /** Write at once when this many calls are queued. */
  maxBatch?: number
  /** After a failed write, wait this long before retrying (doubling up to 5 s). */
  retryAfterMs?: number
}

interface Waiter {
  id: string
  resolve: () => void
}

export function createCallLog(
  deps: { db: Db; log: Logger },
  options: CallLogOptions = {},
): CallLog {
  const flushAfterMs = options.flushAfterMs ?? 100
  const maxBatch = options.maxBatch ?? 500
  const baseRetryMs = options.retryAfterMs ?? 100
  let queue = new Map<string, ToolCallRecord>()
  let inFlight: Map<string, ToolCallRecord> | null = null
  let waiters: Waiter[] = []
  let timer: NodeJS.Timeout | null = null
  let running: Promise<void> | null = null
  let retryMs = baseRetryMs
  let closed = false

  const schedule = (delayMs: number) => {
    if (timer || running) return
    timer = setTimeout(() => {
      timer = null
      running = drain().finally(() => {
        running = null
        if (queue.size > 0) schedule(retryMs === baseRetryMs ? 0 : retryMs)
      })
    }, delayMs)
  }

  const drain = async () => {
    while (queue.size > 0) {
      const batch = queue
      queue = new Map()
      inFlight = batch
      try {
        await upsertToolCalls(deps.db, [...batch.values()])
        retryMs = baseRetryMs
      } catch (err) {
        // Keep the rows: put back every call that has no newer state queued, and retry later.
        for (const [id, record] of batch) if (!queue.has(id)) queue.set(id, record)
        deps.log.error({ err, rows: batch.size, retryInMs: retryMs }, 'tool-call log write failed')
        const wait = retryMs
        retryMs = Math.min(retryMs * 2, 5_000)
        inFlight = null
        if (closed) throw err
        await new Promise((resolve) => setTimeout(resolve, wait))
        continue
      } finally {
        inFlight = null
      }
      const settled = waiters.filter((w) => !queue.has(w.id))
      waiters = waiters.filter((w) => queue.has(w.id))
      for (const waiter of settled) waiter.resolve()
    }
  }

  return {
    write(record) {
      queue.set(record.id, record)
      schedule(queue.size >= maxBatch ? 0 : flushAfterMs)
    },
    written(id) {
      if (!queue.has(id) && !inFlight?.has(id)) return Promise.resolve()
      if (timer && queue.has(id)) {
        // someone needs this row now (an async call's 202, a reader on another instance)
        clearTimeout(timer)
        timer = null
        schedule(0)
      }
      return new Promise((resolve) => {
        waiters.push({ id, resolve })
      })
    },
    pending(id) {
      return queue.get(id) ?? inFlight?.get(id)
    },
    async flush() {
      while (queue.size > 0 || running || timer) {
        if (timer) {
          clearTimeout(timer)
          timer = null
          running = drain().finally(() => {
            running = null
          })
        }
        await running
      }
    },
    async close() {
      closed = true
      await this.flush()
    },
  }
}
