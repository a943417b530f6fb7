import type { Redis } from 'ioredis'
import type { AppDeps } from './app-deps.ts'
import { createAuth } from './auth/auth.ts'
import { createLoginLimiter } from './auth/login-limiter.ts'
import { createTokenCache, watchRevokedTokens } from './auth/token-cache.ts'
import { createUserActivity } from './auth/user-activity.ts'
import { createModelDirectory, watchModelSignals } from './chat/model-directory.ts'
import { createTurnLocks } from './chat/turn-lock.ts'
import type { Config } from './config/config.ts'
import { createSecretBox } from './crypto/secret-box.ts'
import { type DatabaseHandle, openDatabase } from './db/database.ts'
import { migrateToLatest } from './db/migrator.ts'
import { createLocalEventBus, createRedisEventBus } from './events/event-bus.ts'
import type { ClientPrincipal } from './gateway/mcp-clients.ts'
import type { OAuthProviderOptions } from './gateway/oauth-provider.ts'
import { createLogger, type Logger } from './log.ts'
import { createToolAccessCache, watchToolAccessSignals } from './mcp/catalog/access-cache.ts'
import { createConnectionPool } from './mcp/client/connection-pool.ts'
import { createUpstreamHttp } from './mcp/client/upstream-http.ts'
import { onSessionLost, onToolsListChanged } from './mcp/servers/sessions.ts'
import { syncSharedServers } from './mcp/servers/shared.ts'
import { createMetrics } from './observability/metrics.ts'
import { createTracing } from './observability/tracing.ts'
import { askUser, watchElicitationAnswers } from './toolcalls/elicitations.ts'
import { createToolCallRuntime } from './toolcalls/runtime.ts'
import { watchCancelSignals } from './toolcalls/tool-call-service.ts'

export interface BuiltDeps {
  deps: AppDeps
  close(): Promise<void>
}

export interface BuildDepsOptions {
  log?: Logger
  /** Run pending migrations before returning (what `serve` does). */
  migrate?: boolean
  /** Use an already-open database (tests share one per file). */
  database?: DatabaseHandle
  /**
   * How OAuth Client ID Metadata Documents are fetched; default: public HTTPS hosts only, DNS
   * resolved once (tests serve documents of made-up hosts).
   */
  fetchClientMetadata?: OAuthProviderOptions['fetchClientMetadata']
  /** false: deps for a one-shot command, which serves nothing over the web (auth/auth.ts). */
  web?: boolean
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
  const upstreamHttp = createUpstreamHttp(config.ssrf)
  const metrics = createMetrics(
    {
      openSessions: () => pool.size(),
      eventSubscribers: () => events.subscriberCount(),
      databaseClients: handle.clients ?? null,
    },
    { processMetrics: config.metrics.enabled },
  )
  const box = createSecretBox({ current: config.secretKey })
  const deps: AppDeps = {
    config,
    db: handle.db,
    dbKind: handle.kind,
    auth: createAuth({
      db: handle.db,
      config,
      log,
      fetchClientMetadata: options.fetchClientMetadata,
      web: options.web,
    }),
    box,
    log,
    events,
    pool,
    upstreamHttp,
    now,
    loginLimiter: createLoginLimiter(config, redis, metrics.rateLimits),
    redis,
    toolCalls: createToolCallRuntime({ config, db: handle.db, log, redis, events, now, metrics }),
    toolAccess: createToolAccessCache(),
    tokenCache: createTokenCache(),
    clientTokenCache: createTokenCache<ClientPrincipal>(),
    activity: createUserActivity(
      { db: handle.db, log, now },
      { idleAfterMs: config.mcp.userIdleAfterMs },
    ),
    chatTurns: createTurnLocks(redis),
    modelDirectory: createModelDirectory({ db: handle.db, box, config, log, now, upstreamHttp }),
    metrics,
    tracing: await createTracing(config, log),
  }
  // Each module hears the signals it sends (one per module, next to its `signalInstances`).
  const signalWatchers = [
    watchCancelSignals(deps),
    watchToolAccessSignals(deps),
    watchElicitationAnswers(deps),
    watchRevokedTokens(deps),
    watchModelSignals(deps),
  ]
  if (options.migrate) await recoverInterruptedCalls(deps)
  return {
    deps,
    close: async () => {
      for (const stop of signalWatchers) stop()
      await deps.activity.close()
      await deps.toolCalls.close()
      await pool.closeAll()
      await upstreamHttp.close()
      await deps.events.close()
      await redis?.quit().catch(() => redis.disconnect())
      if (!options.database) await handle.close()
      // Last: the spans of everything above are sent before the process goes.
      await deps.tracing.close()
    },
  }
}

async function connectRedis(url: string, log: Logger): Promise<Redis> {
  // Loaded only when configured: an instance without Redis never holds the client in memory.
  const { Redis } = await import('ioredis')
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
async function recoverInterruptedCalls(deps: AppDeps): Promise<void> {
  await deps.toolCalls.sweep({ all: deps.dbKind === 'pglite' })
}
