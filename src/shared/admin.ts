import { z } from 'zod'
import { UserRoleSchema } from './auth.ts'
import { McpServerStatusSchema } from './mcp-servers.ts'
import { ToolCallStatusSchema } from './tool-calls.ts'

/** The longest window the admin views look back over: 30 days. */
export const ADMIN_WINDOW_MAX_HOURS = 720

/** The window the counts cover: the last `hours` hours. */
export const AdminWindowQuerySchema = z.object({
  hours: z.coerce.number().int().min(1).max(ADMIN_WINDOW_MAX_HOURS).default(24),
})
export type AdminWindowQuery = z.infer<typeof AdminWindowQuerySchema>

export const AdminWindowSchema = z.object({ from: z.iso.datetime(), to: z.iso.datetime() })
export type AdminWindow = z.infer<typeof AdminWindowSchema>

/** One server's calls in the window; latencies are over calls that recorded a duration. */
export const AdminServerCallsSchema = z.object({
  /** null: the server was deleted since (the log keeps its calls). */
  serverId: z.string().nullable(),
  serverName: z.string(),
  calls: z.number().int(),
  /** Calls that ended `failed`, `timeout` or `interrupted`. */
  failed: z.number().int(),
  p50Ms: z.number().nullable(),
  p95Ms: z.number().nullable(),
})
export type AdminServerCalls = z.infer<typeof AdminServerCallsSchema>

/** `GET /api/admin/stats`: the whole installation at a glance. */
export const AdminStatsSchema = z
  .object({
    users: z.object({ total: z.number().int(), admins: z.number().int() }),
    /** Every server, the users' and the shared ones, by last known status. */
    servers: z.object({
      total: z.number().int(),
      byStatus: z.record(McpServerStatusSchema, z.number().int()),
    }),
    /** Tool calls created in the window. */
    calls: z.object({
      total: z.number().int(),
      byStatus: z.record(ToolCallStatusSchema, z.number().int()),
      /** Busiest first. */
      perServer: z.array(AdminServerCallsSchema),
    }),
    window: AdminWindowSchema,
  })
  .meta({ id: 'AdminStats' })
export type AdminStats = z.infer<typeof AdminStatsSchema>

export const AdminUserStatusSchema = z.enum(['active', 'disabled'])
export type AdminUserStatus = z.infer<typeof AdminUserStatusSchema>

/** `GET /api/admin/users`: the window of the call counts, and optional filters. */
export const AdminUserListQuerySchema = AdminWindowQuerySchema.extend({
  /** Part of the email or name, in any case. */
  q: z.string().trim().max(200).optional(),
  role: UserRoleSchema.optional(),
  status: AdminUserStatusSchema.optional(),
})
export type AdminUserListQuery = z.infer<typeof AdminUserListQuerySchema>

export const AdminUserViewSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    role: UserRoleSchema,
    /** `disabled`: an admin disabled the account (sign-in, tokens and sessions refused). */
    status: AdminUserStatusSchema,
    createdAt: z.iso.datetime(),
    /** When the user last signed in (any method); null: never. */
    lastSignInAt: z.iso.datetime().nullable(),
    /** Servers the user registered (shared ones not counted). */
    serverCount: z.number().int(),
    /** Tool calls made for the user in the window. */
    callCount: z.number().int(),
  })
  .meta({ id: 'AdminUser' })
export type AdminUserView = z.infer<typeof AdminUserViewSchema>

/** `GET /api/admin/users`: every account, oldest first. */
export const AdminUserListSchema = z
  .object({ users: z.array(AdminUserViewSchema), window: AdminWindowSchema })
  .meta({ id: 'AdminUserList' })
export type AdminUserList = z.infer<typeof AdminUserListSchema>
