import { queryOptions } from '@tanstack/react-query'
import { AdminStatsSchema, AdminUserListSchema } from '../../shared/admin.ts'
import { type AuditFilter, auditPages } from './audit.ts'
import { apiFetch } from './client.ts'

const BASE = '/api/admin'

/** Admin-only reads; every other user gets 403 from these. */
export const adminQueries = {
  all: () => ['admin'] as const,
  stats: (hours: number) =>
    queryOptions({
      queryKey: [...adminQueries.all(), 'stats', hours] as const,
      queryFn: ({ signal }) =>
        apiFetch(`${BASE}/stats?hours=${hours}`, { schema: AdminStatsSchema, signal }),
    }),
  users: (hours: number) =>
    queryOptions({
      queryKey: [...adminQueries.all(), 'users', hours] as const,
      queryFn: ({ signal }) =>
        apiFetch(`${BASE}/users?hours=${hours}`, { schema: AdminUserListSchema, signal }),
    }),
  /** Everyone's audit entries, or one user's. */
  audit: (filter: AuditFilter = {}) =>
    auditPages([...adminQueries.all(), 'audit', filter] as const, `${BASE}/audit`, filter),
}
