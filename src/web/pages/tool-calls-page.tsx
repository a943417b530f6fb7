import { useInfiniteQuery } from '@tanstack/react-query'
import { FilterX, ScrollText } from 'lucide-react'
import { lazy, Suspense } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { toolCallQueries } from '../api/tool-calls.ts'
import { EmptyState } from '../components/empty-state.tsx'
import { ErrorState } from '../components/error-state.tsx'
import { PageHeader } from '../components/page-header.tsx'
import { ToolCallDetailSheet } from '../components/tool-call-detail.tsx'
import {
  ToolCallFilterBar,
  type ToolCallFilterState,
  useToolCallFilters,
} from '../components/tool-call-filters.tsx'
import { ToolCallRow } from '../components/tool-call-row.tsx'
import { Button } from '../components/ui/button.tsx'
import { Card, CardContent } from '../components/ui/card.tsx'
import { Skeleton } from '../components/ui/skeleton.tsx'

// recharts is most of a megabyte: load it only with this page.
const ToolCallCharts = lazy(() =>
  import('../components/tool-call-charts.tsx').then((m) => ({ default: m.ToolCallCharts })),
)

/** The user's tool-call history (/tool-calls): charts, filters, the list and one call's details. */
export function ToolCallsPage() {
  const { t } = useTranslation()
  const filters = useToolCallFilters()
  const calls = useInfiniteQuery(toolCallQueries.list(filters.api))
  const all = calls.data?.pages.flatMap((page) => page.calls) ?? []
  const selected = all.find((call) => call.id === filters.selected)

  return (
    <>
      <PageHeader title={t('toolCalls.title')} description={t('toolCalls.description')} />
      <div className="flex flex-col gap-6">
        <Suspense fallback={<Skeleton className="h-80 w-full" />}>
          <ToolCallCharts />
        </Suspense>
        <Card aria-label={t('toolCalls.listTitle')}>
          <CardContent className="flex flex-col gap-4">
            <ToolCallFilterBar filters={filters} />
            {calls.isPending ? (
              <div role="status" className="flex flex-col gap-2">
                <span className="sr-only">{t('toolCalls.loading')}</span>
                {[0, 1, 2, 3].map((row) => (
                  <Skeleton key={row} className="h-14 w-full" />
                ))}
              </div>
            ) : calls.isError ? (
              <ErrorState error={calls.error} onRetry={() => calls.refetch()} />
            ) : all.length === 0 ? (
              <NoCalls filters={filters} />
            ) : (
              <>
                <ul aria-label={t('toolCalls.listLabel')} className="flex flex-col divide-y">
                  {all.map((call) => (
                    <li key={call.id}>
                      <ToolCallRow
                        call={call}
                        selected={call.id === filters.selected}
                        onOpen={filters.select}
                      />
                    </li>
                  ))}
                </ul>
                {calls.hasNextPage && (
                  <Button
                    variant="outline"
                    className="self-center"
                    pending={calls.isFetchingNextPage}
                    onClick={() => calls.fetchNextPage()}
                  >
                    {t('toolCalls.loadMore')}
                  </Button>
                )}
              </>
            )}
          </CardContent>
        </Card>
      </div>
      <ToolCallDetailSheet
        callId={filters.selected}
        placeholder={selected}
        onClose={() => filters.select(null)}
      />
    </>
  )
}

/** No calls at all: what will be here and how to make one. With filters: a way out of them. */
function NoCalls({ filters }: { filters: ToolCallFilterState }) {
  const { t } = useTranslation()
  if (filters.active) {
    return (
      <EmptyState icon={FilterX} title={t('toolCalls.noMatchesTitle')}>
        <p>{t('toolCalls.noMatchesBody')}</p>
        <Button variant="outline" size="sm" onClick={filters.clear}>
          {t('toolCalls.filters.clear')}
        </Button>
      </EmptyState>
    )
  }
  return (
    <EmptyState icon={ScrollText} title={t('toolCalls.emptyTitle')}>
      <p>{t('toolCalls.emptyBody')}</p>
      <p>{t('toolCalls.emptyHint')}</p>
      <Button asChild variant="outline" size="sm">
        <Link to="/servers">{t('toolCalls.goToServers')}</Link>
      </Button>
    </EmptyState>
  )
}
