import type {
  AdminStats,
  AdminUserList,
  AdminUserListQuery,
  AdminUserView,
} from '../../shared/admin.ts'
import { MCP_SERVER_STATUSES } from '../../shared/mcp-servers.ts'
import { TOOL_CALL_STATUSES } from '../../shared/tool-calls.ts'
import {
  callsPerServer,
  countCallsByStatus,
  countServersByStatus,
  countUsers,
  listUsersWithCounts,
  type TimeWindow,
} from '../db/admin-stats.ts'
import type { Db } from '../db/database.ts'
import type { UserRow } from '../db/schema.ts'

type AdminDeps = { db: Db; now: () => Date }

/** Users, servers by status and tool calls of the last `hours` hours, across all users. */
export async function adminStats(deps: AdminDeps, input: { hours: number }): Promise<AdminStats> {
  const window = windowOf(deps, input.hours)
  const [users, servers, calls, perServer] = await Promise.all([
    countUsers(deps.db),
    countServersByStatus(deps.db),
    countCallsByStatus(deps.db, window),
    callsPerServer(deps.db, window),
  ])
  return {
    users,
    servers: { total: sum(servers), byStatus: zeroFilled(MCP_SERVER_STATUSES, servers) },
    calls: {
      total: sum(calls),
      byStatus: zeroFilled(TOOL_CALL_STATUSES, calls),
      perServer: perServer.map((row) => ({
        serverId: row.server_id,
        serverName: row.server_name,
        calls: row.calls,
        failed: row.failed,
        p50Ms: roundMs(row.p50_ms),
        p95Ms: roundMs(row.p95_ms),
      })),
    },
    window: windowView(window),
  }
}

/** Every account (or those matching the filters) with its servers and recent calls. */
export async function listAdminUsers(
  deps: AdminDeps,
  input: AdminUserListQuery,
): Promise<AdminUserList> {
  const window = windowOf(deps, input.hours)
  const rows = await listUsersWithCounts(deps.db, window, input)
  return { users: rows.map(toAdminUserView), window: windowView(window) }
}

/** One account as the list shows it (calls of the last 24 hours); undefined when it is gone. */
export async function findAdminUser(
  deps: AdminDeps,
  input: { id: string },
): Promise<AdminUserView | undefined> {
  const [row] = await listUsersWithCounts(deps.db, windowOf(deps, 24), { id: input.id })
  return row && toAdminUserView(row)
}

function toAdminUserView(
  row: UserRow & { server_count: number; call_count: number },
): AdminUserView {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    status: row.banned ? 'disabled' : 'active',
    createdAt: row.created_at.toISOString(),
    lastSignInAt: row.last_sign_in_at?.toISOString() ?? null,
    serverCount: row.server_count,
    callCount: row.call_count,
  }
}

function windowOf(deps: Pick<AdminDeps, 'now'>, hours: number): TimeWindow {
  const to = deps.now()
  return { from: new Date(to.getTime() - hours * 3_600_000), to }
}

function windowView(window: TimeWindow) {
  return { from: window.from.toISOString(), to: window.to.toISOString() }
}

/** Interpolated percentiles carry float noise (87.99999…): a tenth of a millisecond is plenty. */
function roundMs(ms: number | null): number | null {
  return ms === null ? null : Math.round(ms * 10) / 10
}

function sum(rows: { count: number }[]): number {
  return rows.reduce((total, row) => total + row.count, 0)
}

function zeroFilled<K extends string>(
  keys: readonly K[],
  rows: { status: K; count: number }[],
): Record<K, number> {
  const out = Object.fromEntries(keys.map((key) => [key, 0])) as Record<K, number>
  for (const row of rows) out[row.status] = row.count
  return out
}
