import { useQuery } from '@tanstack/react-query'
import { ArrowLeft, SearchX } from 'lucide-react'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useNavigate, useParams } from 'react-router'
import type { McpServerView } from '../../shared/mcp-servers.ts'
import { ApiError } from '../api/client.ts'
import { serverQueries } from '../api/mcp-servers.ts'
import { DeleteServerDialog } from '../components/delete-server-dialog.tsx'
import { EmptyState } from '../components/empty-state.tsx'
import { ErrorState } from '../components/error-state.tsx'
import { ServerAppsSetting } from '../components/server-apps-setting.tsx'
import { ServerCard } from '../components/server-card.tsx'
import { ServerFormDialog, type ServerFormTarget } from '../components/server-form-dialog.tsx'
import { ServerPromptsCard } from '../components/server-prompts-card.tsx'
import { ServerResourcesCard } from '../components/server-resources-card.tsx'
import { ServerToolsCard } from '../components/server-tools-card.tsx'
import { Skeleton } from '../components/ui/skeleton.tsx'
import { useDocumentTitle } from '../hooks/use-document-title.ts'

/** One server, its tools and its resources, at /servers/:id. */
export function ServerDetailPage() {
  const { t } = useTranslation()
  const { id = '' } = useParams()
  const navigate = useNavigate()
  const server = useQuery(serverQueries.detail(id))
  const [editing, setEditing] = useState<ServerFormTarget>(null)
  const [deleting, setDeleting] = useState<McpServerView | null>(null)
  useDocumentTitle(server.data?.name ?? t('servers.title'))

  return (
    <div className="flex flex-col gap-6">
      <Link
        to="/servers"
        className="inline-flex items-center gap-1.5 self-start rounded-sm text-sm text-muted-foreground hover:text-foreground"
      >
        <ArrowLeft className="size-4" aria-hidden="true" />
        {t('servers.detail.back')}
      </Link>
      {server.isPending ? (
        <div role="status" className="flex flex-col gap-3 rounded-xl border p-5">
          <span className="sr-only">{t('common.loading')}</span>
          <Skeleton className="h-8 w-56" />
          <Skeleton className="h-4 w-80 max-w-full" />
          <Skeleton className="h-4 w-64 max-w-full" />
        </div>
      ) : server.isError ? (
        isMissing(server.error) ? (
          <EmptyState icon={SearchX} title={t('servers.detail.notFoundTitle')}>
            <p>{t('servers.detail.notFoundBody')}</p>
          </EmptyState>
        ) : (
          <ErrorState error={server.error} onRetry={() => server.refetch()} />
        )
      ) : (
        <>
          <ServerCard
            server={server.data}
            variant="detail"
            onEdit={setEditing}
            onDelete={setDeleting}
          />
          <ServerAppsSetting server={server.data} />
          <ServerToolsCard server={server.data} />
          <ServerResourcesCard server={server.data} />
          <ServerPromptsCard server={server.data} />
        </>
      )}
      <ServerFormDialog target={editing} onClose={() => setEditing(null)} />
      <DeleteServerDialog
        server={deleting}
        onClose={() => setDeleting(null)}
        onDeleted={() => navigate('/servers', { replace: true })}
      />
    </div>
  )
}

/** A deleted server, someone else's, or a mistyped id (the API answers 400 for a non-UUID). */
function isMissing(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 404 || error.status === 400)
}
