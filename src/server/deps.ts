import { type Auth, createAuth } from './auth/auth.ts'
import { createLoginLimiter, type LoginLimiter } from './auth/login-limiter.ts'
import type { Config } from './config/config.ts'
import { createSecretBox, type SecretBox } from './crypto/secret-box.ts'
import { type DatabaseHandle, type Db, openDatabase } from './db/database.ts'
import { migrateToLatest } from './db/migrator.ts'
import { createLocalEventBus, type EventBus } from './events/event-bus.ts'
import { createLogger, type Logger } from './log.ts'
import { type ConnectionPool, createConnectionPool } from './mcp/connection-pool.ts'
import { onSessionLost, onToolsListChanged } from './mcp/server-sessions.ts'
import { syncSharedServers } from './mcp/shared-servers.ts'

/** Everything services need, built once (here) and passed down; nothing is a module singleton. */
export interface Deps {
  config: Config
  db: Db
  dbKind: DatabaseHandle['kind']
  auth: Auth
  /** Seals and opens secrets at rest (servers' tokens and headers, OAuth tokens). */
  box: SecretBox
  log: Logger
  /** Per-user live events (`GET /api/events`). */
  events: EventBus
  /** Upstream MCP sessions, one per (user, server). */
  pool: ConnectionPool
  now: () => Date
  loginLimiter: LoginLimiter
}

export interface BuiltDeps {
  deps: Deps
  close(): Promise<void>
}

export interface BuildDepsOptions {
  log?: Logger
  /** Run pending migrations before returning (what `serve` does). */
  migrate?: boolean
  /** Use an already-open database (tests share one per file). */
  database?: DatabaseHandle
}

export async function buildDeps(
  config: Config,
  options: BuildDepsOptions = {},
): Promise<BuiltDeps> {
  const log = options.log ?? createLogger(config)
  const handle = options.database ?? (await openDatabase(config))
  try {
    if (options.migrate) {
      const applied = await migrateToLatest(handle.db)
      if (applied.length) log.info({ applied }, 'database migrated')
      await syncSharedServers({ db: handle.db, config, log })
    }
  } catch (error) {
    if (!options.database) await handle.close()
    throw error
  }
  const pool = createConnectionPool(
    { log },
    {
      idleMs: config.mcp.sessionIdleMs,
      maxSessions: config.mcp.maxSessions,
      breaker: { threshold: 3, cooldownMs: 15_000, maxCooldownMs: 10 * 60_000 },
    },
    {
      // Hooks run later, once deps exists; failures are logged, never thrown into the pool.
      onToolsListChanged: (key) => {
        onToolsListChanged(deps, key).catch((err) => log.error({ err }, 'tools re-sync failed'))
      },
      onSessionLost: (key, failure) => {
        onSessionLost(deps, key, failure).catch((err) => log.error({ err }, 'status update failed'))
      },
    },
  )
  const deps: Deps = {
    config,
    db: handle.db,
    dbKind: handle.kind,
    auth: createAuth({ db: handle.db, config, log }),
    box: createSecretBox({ current: config.secretKey }),
    log,
    events: createLocalEventBus(),
    pool,
    now: () => new Date(),
    loginLimiter: createLoginLimiter(config),
  }
  return {
    deps,
    close: async () => {
      await pool.closeAll()
      if (!options.database) await handle.close()
    },
  }
}
