import { useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { MCP_SERVER_STATUSES } from '../../shared/mcp-servers.ts'
import { serverQueries } from '../api/mcp-servers.ts'
import { ServerStatusBadge } from './server-status-badge.tsx'
import { Skeleton } from './ui/skeleton.tsx'

/** Counts by status and of enabled tools. Decorative extra: a failure here just hides it. */
export function ServerStatsSummary() {
  const { t } = useTranslation()
  const stats = useQuery(serverQueries.stats())
  if (stats.isPending) return <Skeleton className="h-6 w-72" />
  if (stats.isError) return null
  const { servers, tools } = stats.data
  return (
    <section
      aria-label={t('servers.stats.label')}
      className="flex flex-wrap items-center gap-x-4 gap-y-2 text-sm text-muted-foreground"
    >
      <span className="font-medium text-foreground">
        {t('servers.stats.servers', { count: servers.total })}
      </span>
      <ul className="flex flex-wrap items-center gap-2">
        {MCP_SERVER_STATUSES.filter((status) => (servers.byStatus[status] ?? 0) > 0).map(
          (status) => (
            <li key={status}>
              <ServerStatusBadge status={status} count={servers.byStatus[status]} />
            </li>
          ),
        )}
      </ul>
      <span>{t('servers.stats.tools', { enabled: tools.enabled, total: tools.total })}</span>
    </section>
  )
}
