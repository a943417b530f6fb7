import type { Redis } from 'ioredis'
import type { Health, Readiness } from '../shared/health.ts'
import type { Config } from './config/config.ts'
import { type DatabaseHandle, type Db, pingDatabase } from './db/database.ts'
import { migrationStatus } from './db/migrator.ts'
import type { Logger } from './log.ts'

export interface HealthDeps {
  db: Db
  dbKind: DatabaseHandle['kind']
  config: Pick<Config, 'version'>
  log: Logger
}

export async function checkHealth(deps: HealthDeps): Promise<Health> {
  const database: Health['database'] = { kind: deps.dbKind, reachable: false }
  try {
    database.latencyMs = await pingDatabase(deps.db)
    database.reachable = true
  } catch (error) {
    deps.log.error({ err: error }, 'health check: database unreachable')
  }
  return { status: database.reachable ? 'ok' : 'degraded', version: deps.config.version, database }
}

/** Readiness reaches the database and Redis (when configured), and reads the migrations. */
export interface ReadinessDeps {
  db: Db
  redis: Redis | null
  log: Logger
}

/** A load balancer's probe gets an answer, not a hang, from a store that stopped answering. */
const READINESS_TIMEOUT_MS = 3_000

/**
 * Whether this instance can serve: the database and Redis answer, and no migration this version
 * knows is pending (an instance started with `migrate` applies them; one whose database was
 * migrated down, or not yet migrated by another instance, is not ready).
 */
export async function checkReadiness(deps: ReadinessDeps): Promise<Readiness> {
  const { redis } = deps
  const [database, redisState] = await Promise.all([
    probe(deps, 'database', () => pingDatabase(deps.db)),
    redis ? probe(deps, 'redis', () => pingRedis(redis)) : null,
  ])
  const migrations = database.reachable ? await pendingMigrations(deps) : null
  const ready =
    database.reachable && (redisState?.reachable ?? true) && (migrations?.upToDate ?? false)
  return { status: ready ? 'ready' : 'not_ready', database, redis: redisState, migrations }
}

async function probe(
  deps: Pick<ReadinessDeps, 'log'>,
  what: string,
  ping: () => Promise<number>,
): Promise<{ reachable: boolean; latencyMs?: number }> {
  try {
    return { reachable: true, latencyMs: await withDeadline(ping(), READINESS_TIMEOUT_MS, what) }
  } catch (error) {
    deps.log.warn({ err: error }, `readiness: ${what} unreachable`)
    return { reachable: false }
  }
}

async function pingRedis(redis: Redis): Promise<number> {
  const started = performance.now()
  await redis.ping()
  return Math.round((performance.now() - started) * 10) / 10
}

async function pendingMigrations(deps: ReadinessDeps): Promise<Readiness['migrations']> {
  try {
    const status = await withDeadline(migrationStatus(deps.db), READINESS_TIMEOUT_MS, 'migrations')
    const pending = status.filter((migration) => !migration.applied).map((m) => m.name)
    return { upToDate: pending.length === 0, pending }
  } catch (error) {
    deps.log.warn({ err: error }, 'readiness: migrations could not be read')
    return null
  }
}

function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer in ${ms} ms`)), ms)
  })
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer))
}
