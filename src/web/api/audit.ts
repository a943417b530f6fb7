import { infiniteQueryOptions } from '@tanstack/react-query'
import { type AuditAction, AuditListSchema } from '../../shared/audit.ts'
import { apiFetch } from './client.ts'

export interface AuditFilter {
  action?: AuditAction | undefined
  /** Admin list only: one user's entries. */
  userId?: string | undefined
}

const PAGE_SIZE = 50

/** `?limit=…&action=…&cursor=…` with only the parts that are set. */
export function auditSearch(filter: AuditFilter, cursor: string | null): string {
  const params = new URLSearchParams({ limit: String(PAGE_SIZE) })
  if (filter.action) params.set('action', filter.action)
  if (filter.userId) params.set('userId', filter.userId)
  if (cursor) params.set('cursor', cursor)
  return `?${params}`
}

/** Pages of audit entries from `path`, newest first; "load more" fetches the next cursor. */
export function auditPages(queryKey: readonly unknown[], path: string, filter: AuditFilter) {
  return infiniteQueryOptions({
    queryKey,
    queryFn: ({ pageParam, signal }) =>
      apiFetch(`${path}${auditSearch(filter, pageParam)}`, { schema: AuditListSchema, signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
  })
}

export const auditQueries = {
  all: () => ['audit'] as const,
  /** The signed-in user's own entries. */
  own: (filter: AuditFilter = {}) =>
    auditPages([...auditQueries.all(), 'own', filter] as const, '/api/user/audit', filter),
}
