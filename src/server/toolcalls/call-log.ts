import { FINAL_TOOL_CALL_STATUSES } from '../../shared/tool-calls.ts'
import type { Db } from '../db/database.ts'
import { type ToolCallRecord, upsertToolCalls } from '../db/mcp-tool-calls.ts'
import type { Logger } from '../log.ts'

/**
 * The tool-call log. A call the caller was told about is durable (DESIGN.md): its `running` row
 * is committed before the upstream sees the call, and its final row before the caller hears the
 * result. Progress and heartbeats are written behind.
 *
 * Rows are written in batches, one batch at a time (group commit): while one is being written,
 * everything that arrives waits and goes into the next, together. Someone waiting on a row
 * (`commit`, `written`) starts a batch at once; rows written behind wait up to `flushAfterMs`.
 * The latest state of each call replaces any earlier one not yet written.
 *
 * When the database fails (down, unreachable), every row is kept and retried with backoff. When
 * it refuses rows for their data (SQLSTATE classes 22 and 23), the batch is split until the
 * refused rows stand alone, so the others are written at once. A row refused because its
 * conversation, server or tool was deleted meanwhile is written without that reference (the log
 * outlives them); any other refused row is retried a few times, then dropped with an error log,
 * and whoever waits on it is rejected with a CallLogError. `close` writes every row it can and
 * always returns.
 */
export interface CallLog {
  /** Queue this state of the call (the whole record: later states replace earlier ones). */
  write(record: ToolCallRecord): void
  /** Queue this state and resolve once it (or a newer one) is in the database. */
  commit(record: ToolCallRecord): Promise<void>
  /** Resolves once the call's latest queued state is in the database; rejects if it was dropped. */
  written(id: string): Promise<void>
  /** The latest state not yet written, if any (reads see it before the database does). */
  pending(id: string): ToolCallRecord | undefined
  /** Waits for everything queued so far (rows waiting to retry after a refusal excepted). */
  flush(): Promise<void>
  close(): Promise<void>
}

/** The database would not take the call's row: it was dropped from the log. */
export class CallLogError extends Error {
  override name = 'CallLogError'
}

export interface CallLogOptions {
  /**
   * Wait at most this long before writing rows nobody waits on (default 100 ms): progress and
   * heartbeats. On PGlite every statement blocks the event loop, so these ride along with the
   * next batch instead of costing a statement each.
   */
  flushAfterMs?: number
  /** Write at once when this many calls are queued. */
  maxBatch?: number
  /** The first wait before a retry (doubling; up to 5 s while the database is down). */
  retryAfterMs?: number
  /** Tries of a refused row before it is dropped; failed batches while closing before giving up. */
  maxAttempts?: number
}

interface Waiter {
  resolve: () => void
  reject: (error: Error) => void
}

/** A batch the database failed to write (not refused): the rows are kept for a retry. */
interface Outage {
  error: unknown
  unwritten: ToolCallRecord[]
}

/** References that may vanish while a call runs (ON DELETE SET NULL for rows already written). */
const REFERENCES = ['conversation_id', 'server_id', 'tool_id'] as const
type Reference = (typeof REFERENCES)[number]

export function createCallLog(
  deps: { db: Db; log: Logger },
  options: CallLogOptions = {},
): CallLog {
  const flushAfterMs = options.flushAfterMs ?? 100
  const maxBatch = options.maxBatch ?? 500
  const baseRetryMs = options.retryAfterMs ?? 100
  const maxAttempts = options.maxAttempts ?? 3
  let queue = new Map<string, ToolCallRecord>()
  let inFlight: Map<string, ToolCallRecord> | null = null
  /** Rows the database refused, until their next try. */
  const parked = new Map<string, { record: ToolCallRecord; due: number }>()
  const refusals = new Map<string, number>()
  /** Per call, the references found deleted: its later states are written without them too. */
  const detached = new Map<string, Set<Reference>>()
  const waiters = new Map<string, Waiter[]>()
  let timer: NodeJS.Timeout | null = null
  let immediate: NodeJS.Immediate | null = null
  let retryTimer: NodeJS.Timeout | null = null
  let running: Promise<void> | null = null
  let outageRetryMs = baseRetryMs
  let closing = false

  const isQueued = (id: string) => queue.has(id) || Boolean(inFlight?.has(id)) || parked.has(id)

  const clearTimers = () => {
    if (timer) clearTimeout(timer)
    if (immediate) clearImmediate(immediate)
    timer = null
    immediate = null
  }

  const start = () => {
    clearTimers()
    if (running) return
    running = drain()
      .catch((err) => deps.log.error({ err }, 'tool-call log writer failed'))
      .finally(() => {
        running = null
        if (queue.size > 0) schedule(hasWaiters())
      })
  }

  /** Starts a batch: now (on the next turn, so writers of the same turn share it) or soon. */
  const schedule = (urgent: boolean) => {
    // A batch in flight: the loop takes what is queued as soon as it is done (group commit).
    if (running || immediate) return
    if (urgent) {
      if (timer) clearTimeout(timer)
      timer = null
      immediate = setImmediate(start)
    } else if (!timer) {
      timer = setTimeout(start, flushAfterMs)
    }
  }

  const hasWaiters = () => [...queue.keys()].some((id) => waiters.has(id))

  const drain = async () => {
    let failures = 0
    while (queue.size > 0) {
      const batch = queue
      queue = new Map()
      inFlight = batch
      let outage: Outage | null
      try {
        outage = await writeRows([...batch.values()])
      } finally {
        inFlight = null
      }
      if (outage) {
        // Keep the rows: put back every call that has no newer state queued meanwhile.
        for (const record of outage.unwritten)
          if (!queue.has(record.id)) queue.set(record.id, record)
        failures += 1
        if (closing && failures >= maxAttempts) {
          const lost = queue
          queue = new Map()
          for (const record of lost.values()) drop(record, outage.error)
          break
        }
        deps.log.error(
          { err: describe(outage.error), rows: outage.unwritten.length, retryInMs: outageRetryMs },
          'tool-call log write failed: retrying',
        )
        await sleep(outageRetryMs)
        outageRetryMs = Math.min(outageRetryMs * 2, 5_000)
      } else {
        failures = 0
        outageRetryMs = baseRetryMs
      }
      if (closing) unpark(true)
      settle()
    }
    settle()
  }

  /** Writes the rows, isolating any the database refuses. Returns what an outage left unwritten. */
  const writeRows = async (rows: ToolCallRecord[]): Promise<Outage | null> => {
    try {
      await upsertToolCalls(deps.db, rows)
      if (refusals.size > 0 || detached.size > 0) for (const row of rows) forget(row)
      return null
    } catch (error) {
      if (!isRefusal(error)) return { error, unwritten: rows }
      const [only] = rows
      if (rows.length === 1 && only) return refused(only, error)
      // Halve until the refused rows stand alone: the others are written now, not after them.
      const half = Math.ceil(rows.length / 2)
      const first = await writeRows(rows.slice(0, half))
      if (first) return { error: first.error, unwritten: [...first.unwritten, ...rows.slice(half)] }
      return writeRows(rows.slice(half))
    }
  }

  const refused = async (record: ToolCallRecord, error: unknown): Promise<Outage | null> => {
    const column = deletedReference(record, error)
    if (column) {
      deps.log.warn(
        { callId: record.id, column },
        'tool-call log: what the call refers to was deleted; writing the call without it',
      )
      const gone = detached.get(record.id) ?? new Set()
      detached.set(record.id, gone.add(column))
      return writeRows([{ ...record, [column]: null }])
    }
    const tries = (refusals.get(record.id) ?? 0) + 1
    if (tries >= maxAttempts) {
      drop(record, error)
      return null
    }
    refusals.set(record.id, tries)
    // A newer state queued meanwhile replaces this one; it gets the remaining tries.
    if (!queue.has(record.id)) park(record, baseRetryMs * 2 ** (tries - 1))
    return null
  }

  /** Gives up on a row: said loudly (never its input or output), and its waiters are told. */
  const drop = (record: ToolCallRecord, error: unknown) => {
    deps.log.error(
      {
        err: describe(error),
        callId: record.id,
        userId: record.user_id,
        server: record.server_name,
        tool: record.tool_name,
        status: record.status,
      },
      'tool-call log: the database refused a call row again and again; dropped',
    )
    refusals.delete(record.id)
    detached.delete(record.id)
    parked.delete(record.id)
    if (queue.has(record.id)) return // a newer state is still to be written
    const list = waiters.get(record.id) ?? []
    waiters.delete(record.id)
    const failure = new CallLogError(
      `the call log could not store tool call ${record.id}: ${describe(error).message}`,
    )
    for (const waiter of list) waiter.reject(failure)
  }

  const forget = (record: ToolCallRecord) => {
    refusals.delete(record.id)
    if (FINAL_TOOL_CALL_STATUSES.includes(record.status)) detached.delete(record.id)
  }

  const park = (record: ToolCallRecord, delayMs: number) => {
    parked.set(record.id, { record, due: Date.now() + delayMs })
    armRetry()
  }

  /** One timer, for the refused row due first. */
  const armRetry = () => {
    if (retryTimer) clearTimeout(retryTimer)
    retryTimer = null
    if (parked.size === 0) return
    const next = Math.min(...[...parked.values()].map((entry) => entry.due))
    retryTimer = setTimeout(
      () => {
        retryTimer = null
        unpark(false)
        if (queue.size > 0) schedule(true)
        armRetry()
      },
      Math.max(0, next - Date.now()),
    )
  }

  /** Moves refused rows whose retry is due (or all of them) back into the queue. */
  const unpark = (all: boolean) => {
    const now = Date.now()
    for (const [id, entry] of parked) {
      if (!all && entry.due > now) continue
      parked.delete(id)
      if (!queue.has(id)) queue.set(id, entry.record)
    }
  }

  /** Resolves the waiters whose call has nothing left to write. */
  const settle = () => {
    for (const [id, list] of waiters) {
      if (isQueued(id)) continue
      waiters.delete(id)
      for (const waiter of list) waiter.resolve()
    }
  }

  const write = (record: ToolCallRecord) => {
    const gone = detached.get(record.id)
    const row = gone
      ? { ...record, ...Object.fromEntries([...gone].map((c) => [c, null])) }
      : record
    queue.set(row.id, row)
    parked.delete(row.id)
    schedule(queue.size >= maxBatch)
  }

  const written = (id: string) => {
    if (!isQueued(id)) return Promise.resolve()
    return new Promise<void>((resolve, reject) => {
      const list = waiters.get(id)
      if (list) list.push({ resolve, reject })
      else waiters.set(id, [{ resolve, reject }])
      // Someone needs this row now (a reply, a reader on another instance): no timer.
      if (queue.has(id)) schedule(true)
    })
  }

  const flush = async () => {
    while (queue.size > 0 || running) {
      if (!running) start()
      await running
    }
  }

  return {
    write,
    commit(record) {
      write(record)
      return written(record.id)
    },
    written,
    pending(id) {
      return queue.get(id) ?? inFlight?.get(id) ?? parked.get(id)?.record
    },
    flush,
    async close() {
      closing = true
      // Refused rows get their remaining tries now; each try counts, so this ends.
      while (parked.size > 0 || queue.size > 0 || running) {
        unpark(true)
        await flush()
      }
      if (retryTimer) clearTimeout(retryTimer)
      retryTimer = null
      clearTimers()
    },
  }
}

/** SQLSTATE 22xxx (data exception) and 23xxx (integrity constraint): the row, not the database. */
function isRefusal(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('23'))
}

/** The reference a foreign-key refusal names, if the row has it set (it was deleted). */
function deletedReference(record: ToolCallRecord, error: unknown): Reference | null {
  const { code, constraint, detail } = (error ?? {}) as Record<string, unknown>
  if (code !== '23503') return null
  const named =
    typeof constraint === 'string'
      ? REFERENCES.find((column) => constraint === `mcp_tool_calls_${column}_fkey`)
      : undefined
  // "Key (conversation_id)=(…) is not present in table …" when the constraint is not named.
  const column =
    named ?? REFERENCES.find((c) => typeof detail === 'string' && detail.startsWith(`Key (${c})=`))
  return column && record[column] != null ? column : null
}

/**
 * What may be logged of a database error: never its `detail`, which for a refused row holds the
 * row itself ("Failing row contains (…)"), input and output included.
 */
function describe(error: unknown): { code?: string; constraint?: string; message: string } {
  const { code, constraint, message } = (error ?? {}) as Record<string, unknown>
  return {
    ...(typeof code === 'string' ? { code } : {}),
    ...(typeof constraint === 'string' ? { constraint } : {}),
    message: (typeof message === 'string' ? message : String(error)).slice(0, 300),
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
