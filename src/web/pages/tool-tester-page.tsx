import { useQuery } from '@tanstack/react-query'
import { ArrowLeft, History, PowerOff, SearchX } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { Link, useParams, useSearchParams } from 'react-router'
import { ApiError } from '../api/client.ts'
import { serverQueries } from '../api/mcp-servers.ts'
import { toolCallQueries } from '../api/tool-calls.ts'
import { EmptyState } from '../components/empty-state.tsx'
import { ErrorAlert } from '../components/error-alert.tsx'
import { ErrorState } from '../components/error-state.tsx'
import { ToolAnnotationBadges } from '../components/tool-annotation-badges.tsx'
import { ToolTester } from '../components/tool-tester.tsx'
import { Alert } from '../components/ui/alert.tsx'
import { Skeleton } from '../components/ui/skeleton.tsx'
import { useDocumentTitle } from '../hooks/use-document-title.ts'

/** Where a tool is tried by hand: /servers/:id/tools/:toolName/try (`?from=<callId>` to rerun). */
export function ToolTesterPage() {
  const { t } = useTranslation()
  const { id = '', toolName = '' } = useParams()
  const [params] = useSearchParams()
  const from = params.get('from')
  const server = useQuery(serverQueries.detail(id))
  const tools = useQuery(serverQueries.tools(id))
  const source = useQuery({ ...toolCallQueries.detail(from ?? ''), enabled: Boolean(from) })
  const tool = tools.data?.find((candidate) => candidate.name === toolName)
  useDocumentTitle(t('tester.documentTitle', { name: toolName }))

  const loading = server.isPending || tools.isPending || (Boolean(from) && source.isPending)
  const failed = server.error ?? tools.error

  return (
    <div className="flex flex-col gap-6">
      <Link
        to={`/servers/${encodeURIComponent(id)}`}
        className="inline-flex items-center gap-1.5 self-start rounded-sm text-sm text-muted-foreground hover:text-foreground"
      >
        <ArrowLeft className="size-4" aria-hidden="true" />
        {server.data ? t('tester.back', { server: server.data.name }) : t('tester.backToServer')}
      </Link>
      {loading ? (
        <div role="status" className="flex flex-col gap-3">
          <span className="sr-only">{t('common.loading')}</span>
          <Skeleton className="h-8 w-56" />
          <Skeleton className="h-4 w-80 max-w-full" />
          <Skeleton className="h-64 w-full" />
        </div>
      ) : failed ? (
        isMissing(failed) ? (
          <EmptyState icon={SearchX} title={t('servers.detail.notFoundTitle')}>
            <p>{t('servers.detail.notFoundBody')}</p>
          </EmptyState>
        ) : (
          <ErrorState
            error={failed}
            onRetry={() => {
              void server.refetch()
              void tools.refetch()
            }}
          />
        )
      ) : !tool ? (
        <EmptyState icon={SearchX} title={t('tester.noTool.title', { name: toolName })}>
          <p>{t('tester.noTool.body', { server: server.data?.name ?? '' })}</p>
        </EmptyState>
      ) : (
        <>
          <header className="flex flex-col gap-2">
            <p className="text-sm text-muted-foreground">
              {t('tester.overline', { server: server.data?.name ?? '' })}
            </p>
            <h1 className="font-mono text-2xl font-semibold tracking-tight break-all">
              {tool.name}
            </h1>
            {tool.title && tool.title !== tool.name && <p className="font-medium">{tool.title}</p>}
            {tool.description && (
              <p className="max-w-prose break-words whitespace-pre-line text-muted-foreground">
                {tool.description}
              </p>
            )}
            <div className="flex flex-wrap items-center gap-3">
              <ToolAnnotationBadges annotations={tool.annotations} />
              <Link
                to={`/tool-calls?serverId=${encodeURIComponent(id)}&toolName=${encodeURIComponent(tool.name)}`}
                className="inline-flex items-center gap-1.5 rounded-sm text-sm underline underline-offset-4"
              >
                <History className="size-4" aria-hidden="true" />
                {t('tester.history')}
              </Link>
            </div>
          </header>
          {(!tool.enabled || server.data?.enabled === false) && (
            <Alert variant="warning">
              <PowerOff aria-hidden="true" />
              <p>{t(tool.enabled ? 'tester.serverDisabled' : 'tester.toolDisabled')}</p>
            </Alert>
          )}
          {source.isError && <ErrorAlert error={source.error} />}
          <ToolTester
            key={`${tool.id}:${from ?? ''}`}
            tool={tool}
            initialInput={source.data?.input}
          />
        </>
      )}
    </div>
  )
}

/** A deleted server, someone else's, or a mistyped id (the API answers 400 for a non-UUID). */
function isMissing(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 404 || error.status === 400)
}
