import { mkdirSync } from 'node:fs'
import v8 from 'node:v8'
import { PGlite } from '@electric-sql/pglite'
import { Kysely, PGliteDialect, PostgresDialect, sql } from 'kysely'
import type pg from 'pg'
import type { Config } from '../config/config.ts'
import { createClusterIfMissing } from './create-cluster.ts'
import { type DataDirLock, lockDataDir } from './data-dir-lock.ts'
import type { Database } from './schema.ts'

export type Db = Kysely<Database>

export interface DatabaseHandle {
  db: Db
  kind: Config['database']['kind']
  /** PostgreSQL's pool (for metrics): clients open, idle, and queries waiting for one. */
  clients?(): { total: number; idle: number; waiting: number }
  close(): Promise<void>
}

/** Opens the configured database: embedded PGlite (files under the data dir) or PostgreSQL. */
export async function openDatabase(config: Pick<Config, 'database'>): Promise<DatabaseHandle> {
  const target = config.database
  if (target.kind === 'postgres') {
    // Loaded only for PostgreSQL: the embedded database's instances never hold the driver.
    const { default: pg } = await import('pg')
    const pool = new pg.Pool({ connectionString: target.url, max: 10 })
    // A client that loses its server (restart, terminated backend) must not crash the process:
    // the pool's handler covers idle clients, the per-client one a client the pool is already
    // ending (pg-pool drops its listener first). A query in flight still gets the error.
    pool.on('error', () => {})
    pool.on('connect', (client) => client.on('error', () => {}))
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
    return { db, kind: 'postgres', clients: () => clientsOf(pool), close: () => db.destroy() }
  }
  if (!target.dataDir) return openPglite(null, null)
  mkdirSync(target.dataDir, { recursive: true })
  // Before PGlite touches the files: a second process on them loses writes or corrupts them.
  // Throws DataDirLockedError while another process has the directory.
  const lock = await lockDataDir(target.dataDir)
  try {
    return await openPglite(target.dataDir, lock)
  } catch (error) {
    lock.release()
    throw error
  }
}

/**
 * PostgreSQL's memory settings for one laptop's data, not a server's: PGlite's defaults size
 * shared buffers at 160 MB, all of it in the process (its WebAssembly memory), and the app idled
 * at about 470 MB. A few hundred users' rows fit in 16 MB; what is not cached is a file read away.
 */
const PGLITE_START_PARAMS = [
  ...PGlite.defaultStartParams,
  ...['-c', 'shared_buffers=16MB', '-c', 'temp_buffers=2MB', '-c', 'work_mem=2MB'],
  ...['-c', 'maintenance_work_mem=16MB', '-c', 'wal_buffers=1MB'],
]

/**
 * V8 compiles WebAssembly with its baseline compiler (Liftoff) and then recompiles the hot
 * functions with its optimising one (TurboFan) in the background. For PGlite's PostgreSQL that
 * second copy is 50–90 MB of code and compiler memory, taken at a random time after start: the
 * idle server measured 232–254 MB with it and 161–195 MB without (bench/README.md). Without it
 * a tool call through the proxy is as fast (the statements are short), a large aggregate about
 * 30% slower. Process-wide, set before PGlite compiles; the HTTP parser's WebAssembly in undici
 * is compiled the same way.
 */
function compileWebAssemblyForMemory(): void {
  v8.setFlagsFromString('--liftoff-only')
}

async function openPglite(
  dataDir: string | null,
  lock: DataDirLock | null,
): Promise<DatabaseHandle> {
  compileWebAssemblyForMemory()
  if (dataDir) await createClusterIfMissing(dataDir, PGLITE_START_PARAMS)
  const pglite = await PGlite.create(dataDir ?? undefined, { startParams: PGLITE_START_PARAMS })
  const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) })
  return {
    db,
    kind: 'pglite',
    close: async () => {
      try {
        await db.destroy()
        if (!pglite.closed) await pglite.close()
      } finally {
        lock?.release()
      }
    },
  }
}

/** A pg pool's clients, as `DatabaseHandle.clients` reports them. */
export function clientsOf(pool: pg.Pool) {
  return { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }
}

/** Round trip to the database; throws when it cannot be reached. */
export async function pingDatabase(db: Db): Promise<number> {
  const started = performance.now()
  await sql`select 1`.execute(db)
  return Math.round((performance.now() - started) * 10) / 10
}

/** Runs fn in a transaction, joining the caller's when there is one (Kysely has no nesting). */
export function inTransaction<T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn)
}
