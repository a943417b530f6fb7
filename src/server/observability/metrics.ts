/**
 * What an operator's Prometheus scrapes at `GET /metrics` (README: "Metrics"). One registry per
 * app, built by the composition root, never prom-client's global one: two apps in one process
 * (tests, benchmarks) count apart. Services get the one narrow part they report to
 * (`metrics.toolCalls`, `metrics.chat`…); the gauges are read from their owners at scrape time.
 *
 * @module
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client'
import type { ChatMessageMetadata, ChatMessageStatus } from '../../shared/chat.ts'
import type { ErrorReason } from '../../shared/error-reasons.ts'
import type { McpServerStatus } from '../../shared/mcp-servers.ts'
import type { ToolCallStatus } from '../../shared/tool-calls.ts'
import type { Config } from '../config/config.ts'
import { AppError } from '../errors.ts'

/** One answered HTTP request (the `httpMetrics` middleware). */
export interface HttpMetrics {
  /** `route` is the matched pattern (`/api/user/mcp-servers/:id`), never the raw path. */
  requestFinished(input: { method: string; route: string; status: number; ms: number }): void
}

/** A tool call that ended, however it ended (the tool-call proxy). */
export interface ToolCallMetrics {
  finished(input: {
    status: ToolCallStatus
    /** A user's own server, or one from the operator's config (`user_id` null). */
    server: { user_id: string | null; transport: string }
    /** Waiting on the server: connecting (when no session was open) and the call itself. */
    upstreamMs: number
    /** The whole call, its log writes included. */
    totalMs: number
  }): void
}

/** Periodic health checks of the servers. */
export interface HealthCheckMetrics {
  /** One server checked: the status the check found, or `error` when the check itself broke. */
  checked(status: Exclude<McpServerStatus, 'unknown'>): void
  /** A check started this long after it fell due (the schedule keeping up, or not). */
  lag(ms: number): void
  /** Checks running on this instance now. */
  inFlight(count: number): void
}

/** The budgets that answer 429 (or a refused tool call in chat). */
export type RateLimit =
  | 'tool_calls_per_user'
  | 'tool_calls_per_server'
  | 'tool_calls_running'
  | 'login'

export interface RateLimitMetrics {
  refused(limit: RateLimit): void
}

/** A chat answer that ended (the chat stream). */
export interface ChatMetrics {
  turnFinished(input: {
    model: string
    status: ChatMessageStatus
    usage: ChatMessageMetadata['usage']
    /** Why it failed; a model provider's failure has an `answer.provider.*` key. */
    failure: ErrorReason | undefined
  }): void
}

export interface Metrics {
  registry: Registry
  http: HttpMetrics
  toolCalls: ToolCallMetrics
  healthChecks: HealthCheckMetrics
  rateLimits: RateLimitMetrics
  chat: ChatMetrics
}

/** A PostgreSQL pool's clients (pg's `totalCount`, `idleCount`, `waitingCount`). */
export interface DatabaseClients {
  total: number
  idle: number
  /** Queries waiting for a client. */
  waiting: number
}

/** What the gauges read at scrape time, from the parts that own the numbers. */
export interface MetricSources {
  openSessions(): number
  eventSubscribers(): number
  /** null: the embedded database, which has no pool. */
  databaseClients: (() => DatabaseClients) | null
}

const PREFIX = 'switchboard_'
/** Tool calls run from milliseconds (a local tool) to minutes (a long task). */
const CALL_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300]
const LAG_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120]
const PROVIDER_FAILURE = 'answer.provider.'

/**
 * The app's registry and what reports to it. `processMetrics` adds prom-client's Node process
 * metrics (CPU, memory, event loop lag, GC): they start monitors of their own, so only when
 * metrics are served.
 */
export function createMetrics(
  sources: MetricSources,
  options: { processMetrics: boolean },
): Metrics {
  const registry = new Registry()
  const registers = [registry]
  if (options.processMetrics) collectDefaultMetrics({ register: registry })

  const httpRequests = new Counter({
    name: `${PREFIX}http_requests_total`,
    help: 'HTTP requests answered, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers,
  })
  const httpDuration = new Histogram({
    name: `${PREFIX}http_request_duration_seconds`,
    help: 'Time to answer an HTTP request (to the headers: a stream goes on after)',
    labelNames: ['method', 'route'] as const,
    registers,
  })
  const toolCalls = new Counter({
    name: `${PREFIX}tool_calls_total`,
    help: 'Tool calls that ended, by status, server kind (user, shared) and transport',
    labelNames: ['status', 'server_kind', 'transport'] as const,
    registers,
  })
  const toolCallDuration = new Histogram({
    name: `${PREFIX}tool_call_duration_seconds`,
    help: 'Whole tool calls, from the first log write to the result committed',
    labelNames: ['server_kind', 'transport'] as const,
    buckets: CALL_BUCKETS,
    registers,
  })
  const upstreamDuration = new Histogram({
    name: `${PREFIX}tool_call_upstream_duration_seconds`,
    help: 'The upstream part of tool calls: connecting when needed, and the call',
    labelNames: ['server_kind', 'transport'] as const,
    buckets: CALL_BUCKETS,
    registers,
  })
  const healthChecks = new Counter({
    name: `${PREFIX}health_checks_total`,
    help: 'Servers checked by the periodic health check, by the status found',
    labelNames: ['status'] as const,
    registers,
  })
  const healthLag = new Histogram({
    name: `${PREFIX}health_check_lag_seconds`,
    help: 'How late a scheduled health check started after it fell due',
    buckets: LAG_BUCKETS,
    registers,
  })
  const healthInFlight = new Gauge({
    name: `${PREFIX}health_checks_in_flight`,
    help: 'Health checks running on this instance',
    registers,
  })
  const refusals = new Counter({
    name: `${PREFIX}rate_limit_refusals_total`,
    help: 'Requests refused by a rate limit, by limit',
    labelNames: ['limit'] as const,
    registers,
  })
  const chatTurns = new Counter({
    name: `${PREFIX}chat_turns_total`,
    help: 'Chat answers that ended, by status (complete, awaiting-approval, error, aborted)',
    labelNames: ['status'] as const,
    registers,
  })
  const providerErrors = new Counter({
    name: `${PREFIX}model_provider_errors_total`,
    help: 'Chat answers the model provider failed, by reason (rateLimited, credentials…)',
    labelNames: ['reason'] as const,
    registers,
  })
  const tokens = new Counter({
    name: `${PREFIX}model_tokens_total`,
    help: 'Tokens the model provider reported for chat answers, by model and kind',
    labelNames: ['model', 'kind'] as const,
    registers,
  })
  new Gauge({
    name: `${PREFIX}upstream_sessions`,
    help: 'Open upstream MCP sessions (connecting ones included)',
    registers,
    collect() {
      this.set(sources.openSessions())
    },
  })
  new Gauge({
    name: `${PREFIX}event_bus_subscribers`,
    help: 'Listeners on this instance: open event streams and calls waiting for an event',
    registers,
    collect() {
      this.set(sources.eventSubscribers())
    },
  })
  const { databaseClients } = sources
  if (databaseClients) {
    new Gauge({
      name: `${PREFIX}db_pool_clients`,
      help: 'PostgreSQL pool: clients open (total), idle, and queries waiting for one',
      labelNames: ['state'] as const,
      registers,
      collect() {
        const clients = databaseClients()
        this.set({ state: 'total' }, clients.total)
        this.set({ state: 'idle' }, clients.idle)
        this.set({ state: 'waiting' }, clients.waiting)
      },
    })
  }

  return {
    registry,
    http: {
      requestFinished({ method, route, status, ms }) {
        httpRequests.inc({ method, route, status: String(status) })
        httpDuration.observe({ method, route }, ms / 1000)
      },
    },
    toolCalls: {
      finished({ status, server, upstreamMs, totalMs }) {
        const labels = {
          server_kind: server.user_id === null ? 'shared' : 'user',
          transport: server.transport,
        }
        toolCalls.inc({ ...labels, status })
        upstreamDuration.observe(labels, upstreamMs / 1000)
        toolCallDuration.observe(labels, totalMs / 1000)
      },
    },
    healthChecks: {
      checked: (status) => healthChecks.inc({ status }),
      lag: (ms) => healthLag.observe(ms / 1000),
      inFlight: (count) => healthInFlight.set(count),
    },
    rateLimits: {
      refused: (limit) => refusals.inc({ limit }),
    },
    chat: {
      turnFinished({ model, status, usage, failure }) {
        chatTurns.inc({ status })
        if (failure?.key.startsWith(PROVIDER_FAILURE)) {
          providerErrors.inc({ reason: failure.key.slice(PROVIDER_FAILURE.length) })
        }
        if (usage?.inputTokens) tokens.inc({ model, kind: 'input' }, usage.inputTokens)
        if (usage?.outputTokens) tokens.inc({ model, kind: 'output' }, usage.outputTokens)
      },
    },
  }
}

/**
 * The text Prometheus scrapes. Off (`metrics.enabled` false): not found. With `metrics.token`,
 * only for `Authorization: Bearer <token>`, compared in constant time.
 */
export async function scrapeMetrics(
  deps: { config: Pick<Config, 'metrics'>; metrics: Pick<Metrics, 'registry'> },
  authorization: string | undefined,
): Promise<{ text: string; contentType: string }> {
  const { enabled, token } = deps.config.metrics
  if (!enabled) throw new AppError('not_found', 'metrics are off (metrics.enabled)')
  if (token !== null && !isBearer(authorization, token)) {
    throw new AppError('unauthenticated', 'send the metrics token: Authorization: Bearer <token>')
  }
  const { registry } = deps.metrics
  return { text: await registry.metrics(), contentType: registry.contentType }
}

function isBearer(authorization: string | undefined, token: string): boolean {
  const [scheme, secret] = authorization?.split(' ', 2) ?? []
  if (scheme?.toLowerCase() !== 'bearer' || !secret) return false
  // Digests of equal length: timingSafeEqual then says nothing about the token's length either.
  const digest = (text: string) => createHash('sha256').update(text).digest()
  return timingSafeEqual(digest(secret), digest(token))
}
