import { listEnabledServers, type McpServerRow } from '../../db/mcp-servers.ts'
import type { HealthCheckMetrics } from '../../observability/metrics.ts'
import { OPERATOR_SESSION, refreshServer, type SessionDeps } from './sessions.ts'

/** Checks run on the servers' pooled sessions; what they find is counted. */
export interface HealthCheckDeps extends SessionDeps {
  metrics: { healthChecks: HealthCheckMetrics }
}

export interface HealthChecker {
  /** One pass over every enabled server (users' and shared); resolves when all are checked. */
  runOnce(): Promise<void>
  /** Checks the shared servers now (what start-up does: they are nobody's to test by hand). */
  checkShared(): Promise<void>
  stop(): void
}

/**
 * Every `intervalMs`, pings each enabled server on its pooled session and re-lists its tools, so
 * status and tool cache stay current without anyone opening the page. A check is tried even
 * while calls to the server back off (circuit open), so a recovered server is seen at once.
 * Passes never overlap; a few servers are checked at a time so one slow server does not hold
 * up the rest. With `checkSharedAtStart`, the shared servers from switchboard.yaml are checked
 * at once instead of showing `unknown` until the first pass.
 */
export function startHealthChecks(
  deps: HealthCheckDeps,
  options: { intervalMs: number; concurrency?: number; checkSharedAtStart?: boolean },
): HealthChecker {
  const concurrency = options.concurrency ?? 4
  let running: Promise<void> | null = null

  const check = (rows: McpServerRow[]) => checkAll(deps, rows, concurrency)
  const pass = async () => {
    const started = performance.now()
    await check(await listEnabledServers(deps.db))
    deps.metrics.healthChecks.passFinished(performance.now() - started)
  }
  const runOnce = () => {
    running ??= pass()
      .catch((err) => deps.log.error({ err }, 'health check pass failed'))
      .finally(() => {
        running = null
      })
    return running
  }
  const checkShared = () =>
    listEnabledServers(deps.db)
      .then((rows) => check(rows.filter((row) => row.user_id === null)))
      .catch((err) => deps.log.error({ err }, 'checking the shared servers failed'))

  const timer =
    options.intervalMs > 0 ? setInterval(() => void runOnce(), options.intervalMs) : null
  timer?.unref()
  if (options.checkSharedAtStart) void checkShared()
  return {
    runOnce,
    checkShared,
    stop: () => {
      if (timer) clearInterval(timer)
    },
  }
}

async function checkAll(deps: HealthCheckDeps, rows: McpServerRow[], concurrency: number) {
  const queue = [...rows]
  const worker = async () => {
    for (let row = queue.shift(); row; row = queue.shift()) {
      const userId = row.user_id ?? OPERATOR_SESSION
      // refreshServer records upstream failures itself; anything else is logged, not thrown.
      const result = await refreshServer(deps, { userId, row, routine: true }).catch(
        (err: unknown) => {
          deps.log.error({ err, serverId: row?.id }, 'health check failed')
          return null
        },
      )
      deps.metrics.healthChecks.checked(
        result ? (result.ok ? 'online' : result.failure.status) : 'error',
      )
      // A change of status is logged at info where it is recorded (state.ts): a server that
      // stays down does not repeat itself there every pass.
      if (result && !result.ok) {
        deps.log.debug({ serverId: row.id, failure: result.failure }, 'health check failed')
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
}
