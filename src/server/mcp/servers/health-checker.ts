import { randomUUID } from 'node:crypto'
import {
  claimDueServers,
  heartbeat,
  leaveHealthChecks,
  placeUnscheduled,
} from '../../db/check-schedule.ts'
import { listEnabledServers, type McpServerRow } from '../../db/mcp-servers.ts'
import type { HealthCheckMetrics } from '../../observability/metrics.ts'
import { OPERATOR_SESSION, refreshServer, type SessionDeps } from './sessions.ts'

/** Checks run on the servers' pooled sessions; what they find is counted. */
export interface HealthCheckDeps extends SessionDeps {
  metrics: { healthChecks: HealthCheckMetrics }
}

export interface HealthCheckOptions {
  /** Each server is checked about this often by the whole fleet; 0 turns the schedule off. */
  intervalMs: number
  /** How often the servers of a user away (see `idleAfterMs`) are checked. */
  idleIntervalMs?: number
  /** A user who has not used Switchboard for this long is away. */
  idleAfterMs?: number
  /** At most this many checks at once on this instance. */
  maxConcurrency?: number
  /** Checks the shared servers from switchboard.yaml at once instead of at their turn. */
  checkSharedAtStart?: boolean
  /** This instance's name in the schedule (tests give two checkers one database). */
  owner?: string
  /** False: no timer, the caller ticks (tests that move the clock themselves). */
  timer?: boolean
}

export interface HealthChecker {
  /** Checks every enabled server now (users' and shared), whatever the schedule says. */
  runOnce(): Promise<void>
  /** Claims and checks what is due now (what the timer does); resolves when those are checked. */
  tick(): Promise<void>
  /** Checks the shared servers now (what start-up does: they are nobody's to test by hand). */
  checkShared(): Promise<void>
  /** Checks running on this instance now. */
  inFlight(): number
  /** No more claims; the other instances share this one's servers from their next tick. */
  stop(): Promise<void>
}

/**
 * Keeps every enabled server's status and tool cache current without anyone opening the page,
 * with the work shared by all instances on one database:
 * - each server has a place in the schedule (`next_check_at`), random within the interval at
 *   first, so checks spread evenly over it instead of coming in a burst;
 * - every tick an instance claims the servers due (`FOR UPDATE SKIP LOCKED`) and moves them a
 *   full interval on, so the fleet checks each about once per interval, whatever its size;
 * - the live instances (each says so every tick) split the servers by a hash of their id, so a
 *   server stays with the instance that has its session pooled while the fleet stays the same;
 *   one that stops leaves at once, one that dies after three ticks, and a server left a whole
 *   interval late is taken by whichever instance gets to it;
 * - concurrency follows the work due: claims refill as checks finish, up to `maxConcurrency`;
 * - the servers of users away for a while are checked less often, and at once when they return
 *   (auth/user-activity.ts).
 * A check pings on the pooled session and re-lists tools only when the server says they may have
 * changed; it is tried even while calls back off (circuit open), so a recovered server is seen at
 * once. Status changes are logged and pushed to the owner where they are recorded (state.ts).
 */
export function startHealthChecks(
  deps: HealthCheckDeps,
  options: HealthCheckOptions,
): HealthChecker {
  const { intervalMs } = options
  const owner = options.owner ?? randomUUID()
  const maxConcurrency = options.maxConcurrency ?? 32
  const idleIntervalMs = Math.max(intervalMs, options.idleIntervalMs ?? intervalMs * 10)
  const idleAfterMs = options.idleAfterMs ?? 30 * 60_000
  // Ticks often enough that a check starts close to its time; claims also refill as checks end.
  const tickMs = Math.min(5_000, Math.max(100, Math.round(intervalMs / 20)))
  const liveMs = 3 * tickMs
  const running = new Set<Promise<void>>()
  let share = { index: 0, of: 1 }
  let beatAt = Number.NEGATIVE_INFINITY
  let claiming: Promise<void> | null = null
  let backlog = false
  let stopped = false

  const start = (row: McpServerRow) => {
    const check = checkServer(deps, row).finally(() => {
      running.delete(check)
      deps.metrics.healthChecks.inFlight(running.size)
      // The last claim took all it could: more may be due, so claim again as room frees up.
      if (backlog && !stopped && running.size <= maxConcurrency / 2) void claim(false)
    })
    running.add(check)
    deps.metrics.healthChecks.inFlight(running.size)
    return check
  }

  /** `tick`: the timer's (or `tick()`'s), which also places servers added since; else a refill. */
  const claimOnce = async (tick: boolean): Promise<void> => {
    const now = deps.now()
    if (now.getTime() - beatAt >= tickMs) {
      const liveSince = new Date(now.getTime() - liveMs)
      share = await heartbeat(deps.db, { instance: owner, now, liveSince })
      beatAt = now.getTime()
    }
    if (tick) await placeUnscheduled(deps.db, { now, intervalMs })
    const room = maxConcurrency - running.size
    const claimed = await claimDueServers(deps.db, {
      owner,
      now,
      limit: room,
      intervalMs,
      idleIntervalMs,
      idleSince: new Date(now.getTime() - idleAfterMs),
      share,
      takeOverBefore: new Date(now.getTime() - intervalMs),
    })
    backlog = room > 0 && claimed.length === room
    for (const { row, dueAt } of claimed) {
      deps.metrics.healthChecks.lag(Math.max(0, now.getTime() - dueAt.getTime()))
      void start(row)
    }
  }
  const claim = (tick: boolean) => {
    claiming ??= claimOnce(tick)
      .catch((err) => deps.log.error({ err }, 'claiming health checks failed'))
      .finally(() => {
        claiming = null
      })
    return claiming
  }

  const checkShared = () =>
    listEnabledServers(deps.db)
      .then((rows) =>
        checkEach(
          deps,
          rows.filter((row) => row.user_id === null),
        ),
      )
      .catch((err) => deps.log.error({ err }, 'checking the shared servers failed'))

  const timer =
    intervalMs > 0 && options.timer !== false ? setInterval(() => void claim(true), tickMs) : null
  timer?.unref()
  if (options.checkSharedAtStart) void checkShared()
  return {
    runOnce: () =>
      listEnabledServers(deps.db)
        .then((rows) => checkEach(deps, rows))
        .catch((err) => deps.log.error({ err }, 'health check of every server failed')),
    async tick() {
      await claim(true)
      await Promise.all([...running])
    },
    checkShared,
    inFlight: () => running.size,
    stop: async () => {
      stopped = true
      if (timer) clearInterval(timer)
      if (beatAt === Number.NEGATIVE_INFINITY) return
      await leaveHealthChecks(deps.db, { instance: owner }).catch((err) =>
        deps.log.warn({ err }, 'leaving the health-check fleet failed'),
      )
    },
  }
}

/** Checks the rows a few at a time (by hand: `runOnce`, the shared servers at start). */
async function checkEach(deps: HealthCheckDeps, rows: McpServerRow[], concurrency = 4) {
  const queue = [...rows]
  const worker = async () => {
    for (let row = queue.shift(); row; row = queue.shift()) await checkServer(deps, row)
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
}

/** One check; never throws (refreshServer records upstream failures, the rest is logged). */
async function checkServer(deps: HealthCheckDeps, row: McpServerRow): Promise<void> {
  const userId = row.user_id ?? OPERATOR_SESSION
  const result = await refreshServer(deps, { userId, row, routine: true }).catch((err: unknown) => {
    deps.log.error({ err, serverId: row.id }, 'health check failed')
    return null
  })
  deps.metrics.healthChecks.checked(
    result ? (result.ok ? 'online' : result.failure.status) : 'error',
  )
  // A change of status is logged at info where it is recorded (state.ts): a server that stays
  // down does not repeat itself here every interval.
  if (result && !result.ok) {
    deps.log.debug({ serverId: row.id, failure: result.failure }, 'health check failed')
  }
}
