import { useQuery } from '@tanstack/react-query'
import { Plus, Server } from 'lucide-react'
import { type ReactNode, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { McpServerView } from '../../shared/mcp-servers.ts'
import { serverQueries } from '../api/mcp-servers.ts'
import { DeleteServerDialog } from '../components/delete-server-dialog.tsx'
import { EmptyState } from '../components/empty-state.tsx'
import { ErrorState } from '../components/error-state.tsx'
import { PageHeader } from '../components/page-header.tsx'
import { ServerCard } from '../components/server-card.tsx'
import { ServerFormDialog, type ServerFormTarget } from '../components/server-form-dialog.tsx'
import { ServerStatsSummary } from '../components/server-stats-summary.tsx'
import { Button } from '../components/ui/button.tsx'
import { Card, CardContent, CardHeader, CardTitle } from '../components/ui/card.tsx'
import { Skeleton } from '../components/ui/skeleton.tsx'
import { useOAuthReturn } from '../hooks/use-oauth-return.ts'

const HOW_STEPS = ['servers.howStep1', 'servers.howStep2', 'servers.howStep3'] as const

export function ServersPage() {
  useOAuthReturn()
  const { t } = useTranslation()
  // The page that shows status: always ask again on arrival, even if the chat's copy is fresh
  // (a server added in another tab or through the API shows at once).
  const servers = useQuery({ ...serverQueries.list(), refetchOnMount: 'always' })
  const [editing, setEditing] = useState<ServerFormTarget>(null)
  const [deleting, setDeleting] = useState<McpServerView | null>(null)

  const addButton = (
    <Button onClick={() => setEditing('new')}>
      <Plus aria-hidden="true" />
      {t('servers.add')}
    </Button>
  )

  return (
    <>
      <PageHeader
        title={t('servers.title')}
        description={t('servers.description')}
        actions={servers.data && servers.data.length > 0 ? addButton : undefined}
      />
      {servers.isPending ? (
        <ServerListSkeleton />
      ) : servers.isError ? (
        <ErrorState error={servers.error} onRetry={() => servers.refetch()} />
      ) : servers.data.length === 0 ? (
        <NoServers addButton={addButton} />
      ) : (
        <div className="flex flex-col gap-4">
          <ServerStatsSummary />
          <ul aria-label={t('servers.listLabel')} className="flex flex-col gap-4">
            {servers.data.map((server) => (
              <li key={server.id}>
                <ServerCard server={server} onEdit={setEditing} onDelete={setDeleting} />
              </li>
            ))}
          </ul>
        </div>
      )}
      <ServerFormDialog target={editing} onClose={() => setEditing(null)} />
      <DeleteServerDialog server={deleting} onClose={() => setDeleting(null)} />
    </>
  )
}

function ServerListSkeleton() {
  const { t } = useTranslation()
  return (
    <div role="status" className="flex flex-col gap-4">
      <span className="sr-only">{t('servers.loading')}</span>
      {[0, 1].map((card) => (
        <div key={card} className="flex flex-col gap-3 rounded-xl border p-5">
          <Skeleton className="h-5 w-48" />
          <Skeleton className="h-4 w-72 max-w-full" />
          <Skeleton className="h-4 w-56 max-w-full" />
          <Skeleton className="mt-2 h-8 w-full max-w-sm" />
        </div>
      ))}
    </div>
  )
}

/** First visit: what an MCP server is, how adding one works, and the button to do it. */
function NoServers({ addButton }: { addButton: ReactNode }) {
  const { t } = useTranslation()
  return (
    <div className="flex flex-col gap-6">
      <EmptyState icon={Server} title={t('servers.emptyTitle')}>
        <p>{t('servers.emptyBody')}</p>
        {addButton}
      </EmptyState>
      <div className="grid gap-6 md:grid-cols-2">
        <Card>
          <CardHeader>
            <CardTitle>{t('servers.whatTitle')}</CardTitle>
          </CardHeader>
          <CardContent>
            <p className="text-sm text-muted-foreground">{t('servers.whatBody')}</p>
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>{t('servers.howTitle')}</CardTitle>
          </CardHeader>
          <CardContent>
            <ol className="flex list-decimal flex-col gap-2 pl-5 text-sm text-muted-foreground">
              {HOW_STEPS.map((step) => (
                <li key={step}>{t(step)}</li>
              ))}
            </ol>
          </CardContent>
        </Card>
      </div>
    </div>
  )
}
