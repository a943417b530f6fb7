import type { Redis } from 'ioredis'
import type { Auth } from './auth/auth.ts'
import type { LoginLimiter } from './auth/login-limiter.ts'
import type { TokenCache } from './auth/token-cache.ts'
import type { UserActivity } from './auth/user-activity.ts'
import type { ModelDirectory } from './chat/model-directory.ts'
import type { TurnLocks } from './chat/turn-lock.ts'
import type { Config } from './config/config.ts'
import type { SecretBox } from './crypto/secret-box.ts'
import type { DatabaseHandle, Db } from './db/database.ts'
import type { EventBus } from './events/event-bus.ts'
import type { ClientPrincipal } from './gateway/mcp-clients.ts'
import type { Logger } from './log.ts'
import type { ToolAccessCache } from './mcp/catalog/access-cache.ts'
import type { ConnectionPool } from './mcp/client/connection-pool.ts'
import type { UpstreamHttp } from './mcp/client/upstream-http.ts'
import type { Metrics } from './observability/metrics.ts'
import type { Tracing } from './observability/tracing.ts'
import type { ToolCallRuntime } from './toolcalls/runtime.ts'

/**
 * Everything the app is assembled from, built once by `buildDeps` (deps.ts) and passed down;
 * nothing is a module singleton. Only the HTTP layer and the CLI hold all of it: services
 * declare the few parts they use (`ConversationDeps`, `ToolCallDeps`, …).
 */
export interface AppDeps {
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
  /** The one HTTP stack to MCP servers and their authorization servers (SSRF guard, caps). */
  upstreamHttp: UpstreamHttp
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
  /** Recently verified OAuth access tokens of MCP clients (dropped on every revocation). */
  clientTokenCache: TokenCache<ClientPrincipal>
  /** Who is using Switchboard (their servers are health-checked more often). */
  activity: UserActivity
  /** One answer at a time per conversation (shared through Redis when set). */
  chatTurns: TurnLocks
  /** The model providers (environment's and admin's) and settings, cached on this instance. */
  modelDirectory: ModelDirectory
  /** This app's Prometheus registry and what reports to it (`GET /metrics`). */
  metrics: Metrics
  /** OpenTelemetry traces, exported when an OTLP endpoint is set; else pass-throughs. */
  tracing: Tracing
}
