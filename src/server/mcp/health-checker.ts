import { listEnabledServers } from '../db/mcp-servers.ts'
import type { Deps } from '../deps.ts'
import { OPERATOR_SESSION, refreshServer } from './server-sessions.ts'

export interface HealthChecker {
  /** One pass over every enabled server (users' and shared); resolves when all are checked. */
  runOnce(): Promise<void>
  stop(): void
}

/**
 * Every `intervalMs`, pings each enabled server on its pooled session and re-lists its tools, so
 * status and tool cache stay current without anyone opening the page. A server in back-off
 * (circuit open) fails fast. Passes never overlap; a few servers are checked at a time so one
 * slow server does not hold up the rest.
 */
export function startHealthChecks(
  deps: Pick<Deps, 'db' | 'box' | 'config' | 'log' | 'now' | 'events' | 'pool' | 'toolAccess'>,
  options: { intervalMs: number; concurrency?: number },
): HealthChecker {
  const concurrency = options.concurrency ?? 4
  let running: Promise<void> | null = null

  const pass = async () => {
    const queue = await listEnabledServers(deps.db)
    const worker = async () => {
      for (let row = queue.shift(); row; row = queue.shift()) {
        const userId = row.user_id ?? OPERATOR_SESSION
        const result = await refreshServer(deps, { userId, row })
        if (!result.ok)
          deps.log.debug({ serverId: row.id, failure: result.failure }, 'health check failed')
      }
    }
    await Promise.all(Array.from({ length: concurrency }, worker))
  }

  const runOnce = () => {
    running ??= pass()
      .catch((err) => deps.log.error({ err }, 'health check pass failed'))
      .finally(() => {
        running = null
      })
    return running
  }

  const timer =
    options.intervalMs > 0 ? setInterval(() => void runOnce(), options.intervalMs) : null
  timer?.unref()
  return {
    runOnce,
    stop: () => {
      if (timer) clearInterval(timer)
    },
  }
}
