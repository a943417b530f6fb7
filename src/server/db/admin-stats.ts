import { sql } from 'kysely'
import type { Db } from './database.ts'
import { containing } from './mcp-tool-calls.ts'
import type { McpServerStatus, ToolCallStatus, UserRow } from './schema.ts'

// Installation-wide counts for the admin page. These read every user's rows on purpose.

export interface TimeWindow {
  from: Date
  to: Date
}

export async function countUsers(db: Db): Promise<{ total: number; admins: number }> {
  const row = await db
    .selectFrom('users')
    .select([
      sql<number>`count(*)::int`.as('total'),
      sql<number>`(count(*) filter (where role = 'admin'))::int`.as('admins'),
    ])
    .executeTakeFirstOrThrow()
  return { total: row.total, admins: row.admins }
}

export async function countServersByStatus(
  db: Db,
): Promise<{ status: McpServerStatus; count: number }[]> {
  return db
    .selectFrom('mcp_servers')
    .select(['status', sql<number>`count(*)::int`.as('count')])
    .groupBy('status')
    .execute()
}

export async function countCallsByStatus(
  db: Db,
  window: TimeWindow,
): Promise<{ status: ToolCallStatus; count: number }[]> {
  return db
    .selectFrom('mcp_tool_calls')
    .select(['status', sql<number>`count(*)::int`.as('count')])
    .where('created_at', '>=', window.from)
    .where('created_at', '<', window.to)
    .groupBy('status')
    .execute()
}

export interface ServerCallsRow {
  server_id: string | null
  server_name: string
  calls: number
  failed: number
  p50_ms: number | null
  p95_ms: number | null
}

/**
 * Calls per server in the window, busiest first, with latency percentiles over the calls that
 * recorded a duration. A server's current name wins over the one logged with the call; calls of
 * deleted servers (server_id null) are grouped by the name they were logged with.
 */
export async function callsPerServer(db: Db, window: TimeWindow): Promise<ServerCallsRow[]> {
  const rows = await db
    .selectFrom('mcp_tool_calls as c')
    .leftJoin('mcp_servers as s', 's.id', 'c.server_id')
    .select([
      'c.server_id',
      sql<string>`coalesce(max(s.name), max(c.server_name))`.as('server_name'),
      sql<number>`count(*)::int`.as('calls'),
      sql<number>`(count(*) filter (where c.status in ('failed', 'timeout', 'interrupted')))::int`.as(
        'failed',
      ),
      sql<number | null>`percentile_cont(0.5) within group (order by c.duration_ms)`.as('p50_ms'),
      sql<number | null>`percentile_cont(0.95) within group (order by c.duration_ms)`.as('p95_ms'),
    ])
    .where('c.created_at', '>=', window.from)
    .where('c.created_at', '<', window.to)
    .groupBy(['c.server_id', sql`case when c.server_id is null then c.server_name end`])
    .orderBy('calls', 'desc')
    .orderBy('server_name')
    .execute()
  // percentile_cont is double precision; pg may hand it over as a string.
  return rows.map((row) => ({
    ...row,
    p50_ms: row.p50_ms === null ? null : Number(row.p50_ms),
    p95_ms: row.p95_ms === null ? null : Number(row.p95_ms),
  }))
}

export type UserWithCountsRow = UserRow & { server_count: number; call_count: number }

export interface UserFilter {
  id?: string | undefined
  /** Part of the email or name, in any case. */
  q?: string | undefined
  role?: 'admin' | 'user' | undefined
  status?: 'active' | 'disabled' | undefined
}

/** Every account (or those the filter matches), oldest first, with its servers and calls. */
export async function listUsersWithCounts(
  db: Db,
  window: TimeWindow,
  filter: UserFilter = {},
): Promise<UserWithCountsRow[]> {
  let query = db.selectFrom('users as u')
  if (filter.q) {
    const pattern = containing(filter.q)
    query = query.where((eb) =>
      eb.or([eb('u.email', 'ilike', pattern), eb('u.name', 'ilike', pattern)]),
    )
  }
  if (filter.id) query = query.where('u.id', '=', filter.id)
  if (filter.role) query = query.where('u.role', '=', filter.role)
  if (filter.status) query = query.where('u.banned', '=', filter.status === 'disabled')
  return query
    .selectAll('u')
    .select([
      sql<number>`(select count(*)::int from mcp_servers s where s.user_id = u.id)`.as(
        'server_count',
      ),
      sql<number>`(select count(*)::int from mcp_tool_calls c
        where c.user_id = u.id and c.created_at >= ${window.from} and c.created_at < ${window.to})`.as(
        'call_count',
      ),
    ])
    .orderBy('u.created_at')
    .orderBy('u.id')
    .execute()
}
