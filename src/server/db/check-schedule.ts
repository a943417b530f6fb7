import { sql } from 'kysely'
import type { Db } from './database.ts'
import type { McpServerRow } from './mcp-servers.ts'

const ms = (value: number) => sql<Date>`${value} * interval '1 millisecond'`

/**
 * Gives every enabled server that has no place in the schedule yet a random one within the
 * interval, so the fleet's checks spread over it instead of coming all at once.
 */
export async function placeUnscheduled(
  db: Db,
  input: { now: Date; intervalMs: number },
): Promise<number> {
  const result = await db
    .updateTable('mcp_servers')
    .set({
      next_check_at: sql`${input.now}::timestamptz + random() * ${ms(input.intervalMs)}`,
    })
    .where('enabled', '=', true)
    .where('next_check_at', 'is', null)
    .executeTakeFirst()
  return Number(result.numUpdatedRows)
}

export interface ClaimedServer {
  row: McpServerRow
  /** When its check fell due (how late it starts is the schedule's lag). */
  dueAt: Date
}

export interface ClaimInput {
  /** This instance (its checks keep its sessions pooled, so it keeps its servers). */
  owner: string
  now: Date
  limit: number
  /** Next check after this, for shared servers and servers of users active since `idleSince`. */
  intervalMs: number
  /** Next check after this for the servers of users away since before `idleSince`. */
  idleIntervalMs: number
  idleSince: Date
  /** Servers of another instance are taken once due since before this (it died, or lags). */
  takeOverBefore: Date
}

/**
 * Claims up to `limit` due servers for this instance and moves each one's next check a full
 * interval on, in one transaction: rows another instance is claiming are skipped, not waited
 * for (`SKIP LOCKED`), and a claim is just that future time, so nothing is held if this instance
 * dies. Most overdue first.
 */
export async function claimDueServers(db: Db, input: ClaimInput): Promise<ClaimedServer[]> {
  if (input.limit <= 0) return []
  return db.transaction().execute(async (trx) => {
    const due = await trx
      .selectFrom('mcp_servers as s')
      .leftJoin('user_activity as a', 'a.user_id', 's.user_id')
      .select(['s.id', 's.user_id', 's.next_check_at', 'a.active_at'])
      .where('s.enabled', '=', true)
      .where('s.next_check_at', '<=', input.now)
      .where((eb) =>
        eb.or([
          eb('s.check_owner', 'is', null),
          eb('s.check_owner', '=', input.owner),
          eb('s.next_check_at', '<=', input.takeOverBefore),
        ]),
      )
      .orderBy('s.next_check_at')
      .limit(input.limit)
      .forUpdate('s')
      .skipLocked()
      .execute()
    const away = (row: (typeof due)[number]) =>
      row.user_id !== null && (row.active_at === null || row.active_at < input.idleSince)
    const claim = async (ids: string[], afterMs: number) =>
      ids.length === 0
        ? []
        : trx
            .updateTable('mcp_servers')
            .set({
              next_check_at: new Date(input.now.getTime() + afterMs),
              check_owner: input.owner,
            })
            .where('id', 'in', ids)
            .returningAll()
            .execute()
    const active = due.filter((row) => !away(row)).map((row) => row.id)
    const idle = due.filter(away).map((row) => row.id)
    const dueAt = new Map(due.map((row) => [row.id, row.next_check_at ?? input.now]))
    const claimed = [
      ...(await claim(active, input.intervalMs)),
      ...(await claim(idle, input.idleIntervalMs)),
    ]
    return claimed.map((row) => ({ row, dueAt: dueAt.get(row.id) ?? input.now }))
  })
}

/** A user is back: their servers checked less often while they were away are due now. */
export async function wakeUserServers(db: Db, input: { userId: string; now: Date }) {
  await db
    .updateTable('mcp_servers')
    .set({ next_check_at: input.now })
    .where('user_id', '=', input.userId)
    .where('enabled', '=', true)
    .where('next_check_at', '>', input.now)
    .execute()
}
