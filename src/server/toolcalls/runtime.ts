import type { Redis } from 'ioredis'
import type { Config } from '../config/config.ts'
import type { Db } from '../db/database.ts'
import { markInterrupted } from '../db/mcp-tool-calls.ts'
import type { AppError } from '../errors.ts'
import type { EventBus } from '../events/event-bus.ts'
import type { Logger } from '../log.ts'
import type { RelayedInputRequired } from '../mcp/client/relay.ts'
import type { RateLimitMetrics } from '../observability/metrics.ts'
import { type CallLimits, createCallLimits } from './call-limits.ts'
import { type CallLog, createCallLog } from './call-log.ts'
import type { IdleTimer } from './call-upstream.ts'
import type { PendingElicitation } from './elicitations.ts'
import type { CallState } from './tool-call-views.ts'
import { recordOf, viewOfRow } from './tool-call-views.ts'
import { type ArgumentValidator, createArgumentValidator } from './validate-arguments.ts'

/** A call running in this process. */
export interface RunningCall {
  state: CallState
  controller: AbortController
  /** Its no-progress timer: held while the server waits on the user (elicitation). */
  idle: IdleTimer
  /** Settles with the final state, once it is in the log (or `lost`); never rejects. */
  done: Promise<CallState>
  /** Set when not even a failure could be written for the call: answer with this instead. */
  lost?: AppError
  /** The server's questions for the caller's client, when it relays them (`ToolCallInput.relay`). */
  inputRequired?: RelayedInputRequired
  /** The server refused it for want of client capabilities (`-32021`): these. */
  missingCapabilities?: Record<string, unknown>
}

/** What the tool-call service keeps for the life of the process (part of AppDeps). */
export interface ToolCallRuntime {
  log: CallLog
  limits: CallLimits
  validator: ArgumentValidator
  /** Calls running in this instance, by id (cancel reaches them here). */
  running: Map<string, RunningCall>
  /** Servers' questions waiting for the user's answer in this instance, by id. */
  elicitations: Map<string, PendingElicitation>
  /**
   * Marks `pending`/`running` calls whose instance stopped as interrupted: those silent for
   * three heartbeats, or (`all`, at the start of the only process) every one not running here.
   * Runs every heartbeat by itself; returns how many it marked.
   */
  sweep(options?: { all?: boolean }): Promise<number>
  close(): Promise<void>
}

/** A call silent this many heartbeats has lost its instance. */
const STALE_AFTER_HEARTBEATS = 3

export function createToolCallRuntime(deps: {
  config: Pick<Config, 'toolCalls'>
  db: Db
  log: Logger
  redis: Redis | null
  events: EventBus
  now: () => Date
  /** Counts the calls the limits refuse. */
  metrics?: { rateLimits: RateLimitMetrics }
}): ToolCallRuntime {
  const { heartbeatMs } = deps.config.toolCalls
  const running = new Map<string, RunningCall>()
  const elicitations = new Map<string, PendingElicitation>()
  const log = createCallLog(deps)
  const limits = createCallLimits(deps.config, deps.redis, deps.metrics?.rateLimits)

  const sweep = async (options: { all?: boolean } = {}) => {
    const now = deps.now()
    const staleBefore = options.all
      ? now
      : new Date(now.getTime() - STALE_AFTER_HEARTBEATS * heartbeatMs)
    const swept = await markInterrupted(deps.db, {
      now,
      staleBefore,
      exceptIds: [...running.keys()],
    })
    if (swept.length === 0) return 0
    deps.log.warn({ count: swept.length }, 'tool calls whose instance stopped marked interrupted')
    // Pages following these calls hear that they ended, as they would from the instance.
    for (const row of swept) {
      deps.events.publish(row.user_id, { type: 'tool-call.updated', call: viewOfRow(row) })
    }
    return swept.length
  }

  // Tells the others this instance is alive: its running calls' rows are touched (written
  // behind) and their in-flight slots renewed. A killed instance stops doing this, and within
  // a few heartbeats any instance sweeps its calls and its slots expire.
  let sweeping = false
  const beat = () => {
    const now = deps.now()
    const calls = [...running.values()]
    for (const call of calls) {
      call.state.updatedAt = now
      log.write(recordOf(call.state))
    }
    const slots = calls.map((call) => ({ userId: call.state.userId, callId: call.state.id }))
    if (slots.length > 0) {
      limits.renew(slots).catch((err) => deps.log.error({ err }, 'in-flight slots not renewed'))
    }
    if (sweeping) return
    sweeping = true
    sweep()
      .catch((err) => deps.log.error({ err }, 'sweep of interrupted tool calls failed'))
      .finally(() => {
        sweeping = false
      })
  }
  const heartbeat = setInterval(() => {
    try {
      beat()
    } catch (err) {
      deps.log.error({ err }, 'tool-call heartbeat failed')
    }
  }, heartbeatMs)
  heartbeat.unref()

  return {
    log,
    limits,
    validator: createArgumentValidator(),
    running,
    elicitations,
    sweep,
    async close() {
      clearInterval(heartbeat)
      for (const question of elicitations.values()) question.finish({ action: 'cancel' }, 'cancel')
      for (const call of running.values()) call.controller.abort(new ShutdownError())
      await Promise.all([...running.values()].map((call) => call.done))
      await log.close()
    },
  }
}

/** The process is shutting down under a running call. */
export class ShutdownError extends Error {
  override name = 'ShutdownError'
  constructor() {
    super('Switchboard shut down while the call was running')
  }
}
