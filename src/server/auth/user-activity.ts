import { wakeUserServers } from '../db/check-schedule.ts'
import type { Db } from '../db/database.ts'
import { touchUserActivity } from '../db/user-activity.ts'
import type { Logger } from '../log.ts'

/** Who is using Switchboard: the health checks look at their servers more often. */
export interface UserActivity {
  /** The user made a request; recorded now and then, never awaited by the request. */
  seen(userId: string): void
  /** Waits for the writes under way and records nothing more (before the database closes). */
  close(): Promise<void>
}

/**
 * Writes a user's activity at most once per `everyMs` per instance (a request must not cost a
 * write). A user back after `idleAfterMs` or more has their servers checked at once, since
 * they were checked less often while away (health-checker.ts).
 */
export function createUserActivity(
  deps: { db: Db; log: Logger; now: () => Date },
  options: { idleAfterMs: number; everyMs?: number },
): UserActivity {
  const everyMs = options.everyMs ?? Math.min(60_000, Math.round(options.idleAfterMs / 4))
  const written = new Map<string, number>()
  const pending = new Set<Promise<void>>()
  let closed = false
  return {
    seen(userId) {
      if (closed) return
      const now = deps.now()
      const last = written.get(userId)
      if (last !== undefined && now.getTime() - last < everyMs) return
      // Bounded: users not seen for a while are forgotten here (the database remembers).
      if (written.size >= 100_000) written.clear()
      written.set(userId, now.getTime())
      const write = touchUserActivity(deps.db, { userId, now })
        .then(async (before) => {
          const away = before === null || now.getTime() - before.getTime() >= options.idleAfterMs
          if (away) await wakeUserServers(deps.db, { userId, now })
        })
        .catch((err) => {
          written.delete(userId)
          deps.log.warn({ err, userId }, 'recording user activity failed')
        })
        .finally(() => pending.delete(write))
      pending.add(write)
    },
    async close() {
      closed = true
      await Promise.all([...pending])
    },
  }
}
