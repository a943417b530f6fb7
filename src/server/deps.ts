import { Redis } from 'ioredis'
import { type Auth, createAuth } from './auth/auth.ts'
import { createLoginLimiter, type LoginLimiter } from './auth/login-limiter.ts'
import { createTokenCache, type TokenCache, watchRevokedTokens } from './auth/token-cache.ts'
import { createModelCatalog, type ModelCatalog } from './chat/model-catalog.ts'
import { createTurnLocks, type TurnLocks } from './chat/turn-lock.ts'
import type { Config } from './config/config.ts'
import { createSecretBox, type SecretBox } from './crypto/secret-box.ts'
import { type DatabaseHandle, type Db, openDatabase } from './db/database.ts'
import { migrateToLatest } from './db/migrator.ts'
import { createLocalEventBus, createRedisEventBus, type EventBus } from './events/event-bus.ts'
import { createLogger, type Logger } from './log.ts'
import {
  createToolAccessCache,
  type ToolAccessCache,
  watchToolAccessSignals,
} from './mcp/catalog/access-cache.ts'
import { type ConnectionPool, createConnectionPool } from './mcp/client/connection-pool.ts'
import { onSessionLost, onToolsListChanged } from './mcp/servers/sessions.ts'
import { syncSharedServers } from './mcp/servers/shared.ts'
import { askUser, watchElicitationAnswers } from './toolcalls/elicitations.ts'
import { createToolCallRuntime, type ToolCallRuntime } from './toolcalls/runtime.ts'
import { watchCancelSignals } from './toolcalls/tool-call-service.ts'

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
  /** Shared state for many instances (REDIS_URL); null: everything in-process. */
  redis: Redis | null
  /** Call log, limits, argument validation and the calls running here. */
  toolCalls: ToolCallRuntime
  /** Recently authorized tools (dropped on every change to them). */
  toolAccess: ToolAccessCache
  /** Recently verified API tokens (dropped when one is revoked). */
  tokenCache: TokenCache
  /** One answer at a time per conversation (shared through Redis when set). */
  chatTurns: TurnLocks
  /** The model provider's catalogue, cached on this instance. */
  modelCatalog: ModelCatalog
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
      onElicitation: (key, params, signal) => askUser(deps, key, params, signal),
    },
  )
  const redis = config.redisUrl ? await connectRedis(config.redisUrl, log) : null
  const now = () => new Date()
  const events = redis ? await createRedisEventBus(redis, log) : createLocalEventBus(log)
  const deps: Deps = {
    config,
    db: handle.db,
    dbKind: handle.kind,
    auth: createAuth({ db: handle.db, config, log }),
    box: createSecretBox({ current: config.secretKey }),
    log,
    events,
    pool,
    now,
    loginLimiter: createLoginLimiter(config, redis),
    redis,
    toolCalls: createToolCallRuntime({ config, db: handle.db, log, redis, events, now }),
    toolAccess: createToolAccessCache(),
    tokenCache: createTokenCache(),
    chatTurns: createTurnLocks(redis),
    modelCatalog: createModelCatalog({ chat: config.chat, log, now }),
  }
  // Each module hears the signals it sends (one per module, next to its `signalInstances`).
  const signalWatchers = [
    watchCancelSignals(deps),
    watchToolAccessSignals(deps),
    watchElicitationAnswers(deps),
    watchRevokedTokens(deps),
  ]
  if (options.migrate) await recoverInterruptedCalls(deps)
  return {
    deps,
    close: async () => {
      for (const stop of signalWatchers) stop()
      await deps.toolCalls.close()
      await pool.closeAll()
      await deps.events.close()
      await redis?.quit().catch(() => redis.disconnect())
      if (!options.database) await handle.close()
    },
  }
}

async function connectRedis(url: string, log: Logger): Promise<Redis> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2 })
  redis.on('error', (err) => log.warn({ err: err.message }, 'redis error'))
  try {
    await redis.connect()
  } catch (error) {
    redis.disconnect()
    throw new Error(`cannot reach Redis at REDIS_URL: ${(error as Error).message}`, {
      cause: error,
    })
  }
  return redis
}

/**
 * Calls left running by a crash can never finish: mark them interrupted. On the embedded
 * database this process is the only one, so every unfinished call; on PostgreSQL other
 * instances may be running calls, so only those silent for three heartbeats (every instance
 * repeats this sweep each heartbeat, so a killed instance's calls are found without a restart).
 */
async function recoverInterruptedCalls(deps: Deps): Promise<void> {
  await deps.toolCalls.sweep({ all: deps.dbKind === 'pglite' })
}
