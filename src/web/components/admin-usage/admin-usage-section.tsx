import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { BarChart3 } from 'lucide-react'
import { lazy, Suspense, useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { UsageQuery, UsageReport } from '../../../shared/usage.ts'
import { adminModelQueries } from '../../api/admin-models.ts'
import { EmptyState } from '../empty-state.tsx'
import { ErrorState } from '../error-state.tsx'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '../ui/card.tsx'
import { Input } from '../ui/input.tsx'
import { Label } from '../ui/label.tsx'
import { Select } from '../ui/select.tsx'
import { Skeleton } from '../ui/skeleton.tsx'
import { MessageLimitsCard } from './message-limits-card.tsx'
import { UsageTable } from './usage-table.tsx'
import { useUsageFormat } from './use-usage-format.ts'

// recharts is most of a megabyte: load it only when the usage is shown.
const UsageCharts = lazy(() =>
  import('./usage-charts.tsx').then((m) => ({ default: m.UsageCharts })),
)

const PERIODS = ['1', '7', '30', '90', 'custom'] as const
type Period = (typeof PERIODS)[number]
const DAY_MS = 86_400_000

/** Admin → Usage: tokens, cost, tool calls and errors per user and model; daily limits. */
export function AdminUsageSection() {
  const { t } = useTranslation()
  const periodId = useId()
  const [period, setPeriod] = useState<Period>('7')
  const today = new Date().toISOString().slice(0, 10)
  const [from, setFrom] = useState(new Date(Date.now() - 7 * DAY_MS).toISOString().slice(0, 10))
  const [to, setTo] = useState(today)
  const query = queryOf(period, from, to)
  const usage = useQuery({ ...adminModelQueries.usage(query), placeholderData: keepPreviousData })
  return (
    <div className="flex scroll-mt-20 flex-col gap-6" id="admin-usage">
      <Card>
        <CardHeader className="gap-3 sm:flex-row sm:items-start sm:justify-between">
          <div className="flex flex-col gap-1.5">
            <CardTitle>{t('adminUsage.title')}</CardTitle>
            <CardDescription>{t('adminUsage.description')}</CardDescription>
          </div>
          <div className="flex flex-wrap items-end gap-3">
            <div className="flex flex-col gap-1.5">
              <Label htmlFor={periodId}>{t('adminUsage.period.label')}</Label>
              <Select
                id={periodId}
                value={period}
                onChange={(event) => setPeriod(event.target.value as Period)}
              >
                {PERIODS.map((value) => (
                  <option key={value} value={value}>
                    {t(
                      `adminUsage.period.${value === 'custom' ? 'custom' : `days${value}`}` as 'adminUsage.period.custom',
                    )}
                  </option>
                ))}
              </Select>
            </div>
            {period === 'custom' && (
              <>
                <DateField
                  label={t('adminUsage.period.from')}
                  value={from}
                  max={to}
                  onChange={setFrom}
                />
                <DateField
                  label={t('adminUsage.period.to')}
                  value={to}
                  min={from}
                  max={today}
                  onChange={setTo}
                />
              </>
            )}
          </div>
        </CardHeader>
        <CardContent className="flex flex-col gap-6">
          {usage.isPending ? (
            <Skeleton className="h-40" />
          ) : usage.isError ? (
            <ErrorState error={usage.error} onRetry={() => usage.refetch()} />
          ) : usage.data.totals.answers === 0 ? (
            <EmptyState icon={BarChart3} title={t('adminUsage.emptyTitle')}>
              <p>{t('adminUsage.emptyBody')}</p>
            </EmptyState>
          ) : (
            <UsageOverview report={usage.data} />
          )}
        </CardContent>
      </Card>
      <MessageLimitsCard />
    </div>
  )
}

function UsageOverview({ report }: { report: UsageReport }) {
  const { t } = useTranslation()
  const format = useUsageFormat()
  const { totals } = report
  return (
    <>
      <dl
        className="grid grid-cols-2 gap-3 lg:grid-cols-5"
        aria-label={t('adminUsage.tiles.label')}
      >
        <Tile
          label={t('adminUsage.tiles.answers')}
          value={format.count(totals.answers)}
          hint={t('adminUsage.tiles.errors', { count: totals.errors })}
        />
        <Tile label={t('adminUsage.tiles.inputTokens')} value={format.count(totals.inputTokens)} />
        <Tile
          label={t('adminUsage.tiles.outputTokens')}
          value={format.count(totals.outputTokens)}
        />
        <Tile
          label={t('adminUsage.tiles.cost')}
          value={format.cost(totals.cost)}
          hint={t('adminUsage.tiles.costHint')}
        />
        <Tile
          label={t('adminUsage.tiles.toolCalls')}
          value={format.count(totals.toolCalls)}
          hint={t('adminUsage.tiles.toolErrors', { count: totals.toolErrors })}
        />
      </dl>
      <Suspense fallback={<Skeleton className="h-72" />}>
        <UsageCharts report={report} />
      </Suspense>
      <UsageTable
        caption={t('adminUsage.table.perUser')}
        firstColumn={t('adminUsage.table.user')}
        rows={report.perUser.map((row) => ({ ...row, key: row.userId, name: row.email }))}
      />
      <UsageTable
        caption={t('adminUsage.table.perModel')}
        firstColumn={t('adminUsage.table.model')}
        rows={report.perModel.map((row) => ({ key: row.model, name: row.model, ...row }))}
      />
    </>
  )
}

function Tile({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <div className="flex min-w-0 flex-col gap-1 rounded-xl border bg-card p-4 shadow-xs">
      <dt className="text-sm text-muted-foreground">{label}</dt>
      <dd className="truncate text-2xl font-semibold tabular-nums">{value}</dd>
      {hint && <dd className="text-xs text-muted-foreground">{hint}</dd>}
    </div>
  )
}

function DateField({
  label,
  value,
  min,
  max,
  onChange,
}: {
  label: string
  value: string
  min?: string
  max?: string
  onChange: (value: string) => void
}) {
  const id = useId()
  return (
    <div className="flex flex-col gap-1.5">
      <Label htmlFor={id}>{label}</Label>
      <Input
        id={id}
        type="date"
        value={value}
        min={min}
        max={max}
        onChange={(event) => event.target.value && onChange(event.target.value)}
      />
    </div>
  )
}

/** The period as the API takes it: the last N days, or whole UTC days from `from` to `to`. */
function queryOf(period: Period, from: string, to: string): UsageQuery {
  if (period !== 'custom') {
    // Rounded to the minute, so the query key (and the cache) holds still while the page is open.
    const end = Math.ceil(Date.now() / 60_000) * 60_000
    return {
      from: new Date(end - Number(period) * DAY_MS).toISOString(),
      to: new Date(end).toISOString(),
    }
  }
  const start = new Date(`${from}T00:00:00.000Z`)
  const end = new Date(new Date(`${to}T00:00:00.000Z`).getTime() + DAY_MS)
  return start < end
    ? { from: start.toISOString(), to: end.toISOString() }
    : { from: start.toISOString(), to: new Date(start.getTime() + DAY_MS).toISOString() }
}
