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
  /** This instance (recorded as the server's `check_owner`). */
  owner: string
  now: Date
  limit: number
  /** Next check after this, for shared servers and servers of users active since `idleSince`. */
  intervalMs: number
  /** Next check after this for the servers of users away since before `idleSince`. */
  idleIntervalMs: number
  idleSince: Date
  /** This instance's share: servers whose id hashes to `index` among `of` live instances. */
  share: { index: number; of: number }
  /** Any instance takes a server due since before this (its instance died, or lags far). */
  takeOverBefore: Date
}

/**
 * Says this instance is checking now, and returns its share of the servers: its place among the
 * instances seen since `liveSince` (ordered by id) and how many there are. Instances not seen for
 * an hour are forgotten.
 */
export async function heartbeat(
  db: Db,
  input: { instance: string; now: Date; liveSince: Date },
): Promise<{ index: number; of: number }> {
  await db
    .insertInto('health_check_instances')
    .values({ id: input.instance, seen_at: input.now })
    .onConflict((oc) => oc.column('id').doUpdateSet({ seen_at: input.now }))
    .execute()
  const live = await db
    .selectFrom('health_check_instances')
    .select('id')
    .where('seen_at', '>=', input.liveSince)
    .orderBy('id')
    .execute()
  await db
    .deleteFrom('health_check_instances')
    .where('seen_at', '<', new Date(input.now.getTime() - 3_600_000))
    .execute()
  const index = live.findIndex((row) => row.id === input.instance)
  return index === -1 ? { index: 0, of: 1 } : { index, of: live.length }
}

/** This instance stops checking: the others share its servers from their next tick. */
export async function leaveHealthChecks(db: Db, input: { instance: string }): Promise<void> {
  await db.deleteFrom('health_check_instances').where('id', '=', input.instance).execute()
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
          eb(
            sql<number>`(hashtext(s.id::text) & 2147483647) % ${input.share.of}`,
            '=',
            input.share.index,
          ),
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
