import { useQuery } from '@tanstack/react-query'
import { Wrench, X } from 'lucide-react'
import { useDeferredValue, useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { toast } from 'sonner'
import type { McpServerView, McpToolView } from '../../shared/mcp-servers.ts'
import { serverQueries, useSetToolsEnabled } from '../api/mcp-servers.ts'
import { useErrorMessage } from '../hooks/use-error-message.ts'
import { EmptyState } from './empty-state.tsx'
import { ErrorState } from './error-state.tsx'
import { SearchField } from './search-field.tsx'
import { ToolRow } from './tool-row.tsx'
import { Button } from './ui/button.tsx'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from './ui/card.tsx'
import { Skeleton } from './ui/skeleton.tsx'

/** Below this many tools a filter box is more clutter than help. */
const SEARCH_FROM = 6

function matches(tool: McpToolView, query: string): boolean {
  const needle = query.trim().toLowerCase()
  if (!needle) return true
  return [tool.name, tool.title ?? '', tool.description ?? ''].some((text) =>
    text.toLowerCase().includes(needle),
  )
}

/** The server's tools, with a filter and switches for all of them at once. */
export function ServerToolsCard({ server }: { server: McpServerView }) {
  const { t } = useTranslation()
  const id = useId()
  const errorMessage = useErrorMessage()
  const tools = useQuery(serverQueries.tools(server.id))
  const setAll = useSetToolsEnabled(server.id)
  const [query, setQuery] = useState('')
  const deferredQuery = useDeferredValue(query)
  const readOnly = server.source === 'config'

  const all = tools.data ?? []
  const shown = all.filter((tool) => matches(tool, deferredQuery))
  const enabledCount = all.filter((tool) => tool.enabled).length

  const bulk = (enabled: boolean) => {
    const toolIds = shown.filter((tool) => tool.enabled !== enabled).map((tool) => tool.id)
    // Unfiltered, "all" means every tool of the server (no list of ids to send).
    const filtered = shown.length < all.length
    setAll.mutate(filtered ? { enabled, toolIds } : { enabled }, {
      onSuccess: () =>
        toast.success(
          t(enabled ? 'tools.enabledMany' : 'tools.disabledMany', { count: toolIds.length }),
        ),
      onError: (error) => toast.error(errorMessage(error)),
    })
  }
  const bulkTarget = setAll.isPending ? setAll.variables?.enabled : undefined

  return (
    <Card aria-labelledby={`${id}-title`}>
      <CardHeader className="gap-3 sm:flex-row sm:items-start sm:justify-between">
        <div className="flex flex-col gap-1.5">
          <CardTitle id={`${id}-title`}>{t('tools.title')}</CardTitle>
          <CardDescription>{t('tools.description')}</CardDescription>
        </div>
        {tools.isSuccess && all.length > 0 && (
          <p className="text-sm font-medium whitespace-nowrap" data-testid="tools-summary">
            {t('servers.card.toolCount', { count: all.length, enabled: enabledCount })}
          </p>
        )}
      </CardHeader>
      <CardContent className="flex flex-col gap-2">
        {tools.isPending ? (
          <div role="status" className="flex flex-col gap-4">
            <span className="sr-only">{t('tools.loading')}</span>
            {[0, 1, 2].map((row) => (
              <div key={row} className="flex flex-col gap-2 py-2">
                <Skeleton className="h-5 w-40" />
                <Skeleton className="h-4 w-full max-w-md" />
                <Skeleton className="h-6 w-56" />
              </div>
            ))}
          </div>
        ) : tools.isError ? (
          <ErrorState error={tools.error} onRetry={() => tools.refetch()} />
        ) : all.length === 0 ? (
          <EmptyState icon={Wrench} title={t('tools.emptyTitle')}>
            <p>{t('tools.emptyBody')}</p>
          </EmptyState>
        ) : (
          <>
            <div className="flex flex-col gap-2 sm:flex-row sm:items-center">
              {all.length >= SEARCH_FROM && (
                <SearchField
                  className="flex-1"
                  label={t('tools.search')}
                  placeholder={t('tools.searchPlaceholder')}
                  value={query}
                  onValueChange={setQuery}
                />
              )}
              {!readOnly && (
                <div className="flex gap-2 sm:ml-auto">
                  <Button
                    variant="outline"
                    size="sm"
                    aria-label={t('tools.enableAllLabel')}
                    disabled={setAll.isPending || shown.every((tool) => tool.enabled)}
                    pending={bulkTarget === true}
                    onClick={() => bulk(true)}
                  >
                    {t('tools.enableAll')}
                  </Button>
                  <Button
                    variant="outline"
                    size="sm"
                    aria-label={t('tools.disableAllLabel')}
                    disabled={setAll.isPending || shown.every((tool) => !tool.enabled)}
                    pending={bulkTarget === false}
                    onClick={() => bulk(false)}
                  >
                    {t('tools.disableAll')}
                  </Button>
                </div>
              )}
            </div>
            {deferredQuery.trim() && (
              <p className="text-sm text-muted-foreground" aria-live="polite">
                {shown.length === 0
                  ? t('tools.noMatches', { query: deferredQuery.trim() })
                  : t('tools.showing', { shown: shown.length, total: all.length })}
                {shown.length === 0 && (
                  <Button
                    variant="link"
                    size="sm"
                    className="ml-2 h-auto px-0"
                    onClick={() => setQuery('')}
                  >
                    <X aria-hidden="true" />
                    {t('tools.clearSearch')}
                  </Button>
                )}
              </p>
            )}
            <ul aria-label={t('tools.listLabel', { name: server.name })} className="divide-y">
              {shown.map((tool) => (
                <li key={tool.id}>
                  <ToolRow tool={tool} readOnly={readOnly} />
                </li>
              ))}
            </ul>
          </>
        )}
      </CardContent>
    </Card>
  )
}
