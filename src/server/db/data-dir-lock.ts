import { randomBytes } from 'node:crypto'
import { linkSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { setTimeout as sleep } from 'node:timers/promises'
import { z } from 'zod'

/**
 * An exclusive lock on an embedded database directory. Two PGlite processes on one directory
 * each keep their own copy of the state in memory and overwrite each other's files: writes are
 * lost and the files can be corrupted. PostgreSQL needs none of this.
 *
 * The lock is a file beside the directory (`<dir>.lock`) naming its holder. It is created with
 * link(2), which is atomic and fails when the file exists, so of two processes starting at once
 * exactly one wins, and nobody ever reads a half-written record. A holder that died without
 * releasing it (SIGKILL, power loss) is recognised by its pid: no such process on this host, or a
 * different process under a reused pid, and the next process takes the lock over.
 */
export interface DataDirLock {
  lockPath: string
  /** Idempotent; also runs on process exit. */
  release(): void
}

const LockHolderSchema = z.object({
  pid: z.number().int().positive(),
  hostname: z.string(),
  /** Linux: the process's start time in clock ticks since boot, which tells a reused pid apart. */
  procStart: z.string().nullable(),
  acquiredAt: z.iso.datetime(),
  /** Makes every record unique, so "is it still the record I judged stale?" has a sure answer. */
  nonce: z.string(),
})
export type LockHolder = z.infer<typeof LockHolderSchema>

export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError'

  constructor(
    readonly dir: string,
    readonly lockPath: string,
    readonly holder: LockHolder,
  ) {
    super(
      isForeign(holder)
        ? `${dir} is locked by process ${holder.pid} on host ${holder.hostname}: if Switchboard ` +
            `is not running there any more, delete ${lockPath}`
        : `${dir} is in use by another Switchboard process (pid ${holder.pid})`,
    )
  }

  /** The holder runs on another host (a shared volume): its pid cannot be checked from here. */
  get foreign(): boolean {
    return isForeign(this.holder)
  }
}

/** A guard older than this belongs to a process that died while breaking a stale lock. */
const GUARD_STALE_MS = 10_000
const GIVE_UP_MS = 30_000

/** Takes the lock on `dir` or throws DataDirLockedError naming the live holder. */
export async function lockDataDir(dir: string): Promise<DataDirLock> {
  const lockPath = `${dir}.lock`
  const record = JSON.stringify(ownRecord())
  const deadline = Date.now() + GIVE_UP_MS
  while (Date.now() < deadline) {
    if (tryCreate(lockPath, record)) return holdLock(lockPath, record)
    const raw = readIfExists(lockPath)
    if (raw === null) continue // released between our attempt and the read
    const holder = parseHolder(raw)
    // An unreadable record cannot come from link(2); it is damage, and nobody can hold it.
    if (holder && isAlive(holder)) throw new DataDirLockedError(dir, lockPath, holder)
    await breakStaleLock(lockPath, raw)
  }
  throw new Error(
    `could not lock ${dir}: another process keeps creating ${lockPath}.break; ` +
      'if no Switchboard is starting, delete it',
  )
}

function ownRecord(): LockHolder {
  return {
    pid: process.pid,
    hostname: hostname(),
    procStart: processStart(process.pid) ?? null,
    acquiredAt: new Date().toISOString(),
    nonce: randomBytes(8).toString('hex'),
  }
}

function tryCreate(lockPath: string, record: string): boolean {
  const tmp = `${lockPath}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
  writeFileSync(tmp, record, { mode: 0o644 })
  try {
    linkSync(tmp, lockPath)
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw error
  } finally {
    rmSync(tmp, { force: true })
  }
}

function holdLock(lockPath: string, record: string): DataDirLock {
  const release = () => {
    process.off('exit', release)
    // Remove only our own record: never a lock someone else took after judging us dead.
    if (readIfExists(lockPath) === record) rmSync(lockPath, { force: true })
  }
  process.on('exit', release)
  return { lockPath, release }
}

/**
 * Removes a stale lock under a guard file, so of several processes that found the same dead
 * holder only one removes it; the others would otherwise delete the fresh lock the first one just
 * took. Under the guard the record is read again and removed only if it is still the stale one.
 */
async function breakStaleLock(lockPath: string, staleRaw: string): Promise<void> {
  const guard = `${lockPath}.break`
  try {
    writeFileSync(guard, String(process.pid), { flag: 'wx' })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    if (ageMs(guard) > GUARD_STALE_MS) rmSync(guard, { force: true })
    await sleep(20 + Math.random() * 30)
    return
  }
  try {
    if (readIfExists(lockPath) === staleRaw) unlinkSync(lockPath)
  } finally {
    rmSync(guard, { force: true })
  }
}

function isForeign(holder: LockHolder): boolean {
  return holder.hostname !== hostname()
}

/** True unless the holder is known to be gone. Another host's holder counts as alive. */
function isAlive(holder: LockHolder): boolean {
  if (isForeign(holder)) return true
  if (!pidExists(holder.pid)) return false
  const start = processStart(holder.pid)
  if (start === undefined) return false // a zombie: killed, not yet reaped by its parent
  // Linux: same pid and same start time is the holder itself. A container restart reuses pids,
  // often the very pid the holder had.
  if (start !== null && holder.procStart !== null) return start === holder.procStart
  if (holder.pid === process.pid) {
    // Elsewhere: our own pid holds the lock only if it was taken during this life of the pid.
    const startedAt = Date.now() - process.uptime() * 1000
    return Date.parse(holder.acquiredAt) >= startedAt - 1000
  }
  return true
}

function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0) // signal 0: checks only that the process exists
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM' // exists, owned by another user
  }
}

/**
 * The start time of a process from /proc/<pid>/stat (field 22), undefined for a zombie, null
 * where there is no /proc to read.
 */
function processStart(pid: number): string | null | undefined {
  let stat: string
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  } catch {
    return null
  }
  // Field 2, the command name, may hold spaces and parentheses: count from after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  if (fields[0] === 'Z' || fields[0] === 'X') return undefined
  return fields[19] ?? null
}

function parseHolder(raw: string): LockHolder | null {
  try {
    return LockHolderSchema.parse(JSON.parse(raw))
  } catch {
    return null
  }
}

function readIfExists(path: string): string | null {
  try {
    return readFileSync(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw error
  }
}

function ageMs(path: string): number {
  try {
    return Date.now() - statSync(path).mtimeMs
  } catch {
    return 0
  }
}
