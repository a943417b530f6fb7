import { useQuery } from '@tanstack/react-query'
import { type ReactNode, useId, useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Tooltip,
  type TooltipContentProps,
  XAxis,
  YAxis,
} from 'recharts'
import {
  TOOL_CALL_STATUSES,
  type ToolCallStats,
  type ToolCallStatus,
} from '../../shared/tool-calls.ts'
import { toolCallQueries } from '../api/tool-calls.ts'
import { ErrorState } from './error-state.tsx'
import { useFormatDuration } from './tool-call-duration.ts'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from './ui/card.tsx'
import { Skeleton } from './ui/skeleton.tsx'

export const STATS_DAYS = 14

/** Theme tokens only, so the charts follow the light and dark themes. */
const STATUS_COLORS: Record<ToolCallStatus, string> = {
  succeeded: 'var(--success-foreground)',
  failed: 'var(--destructive)',
  timeout: 'var(--warning-foreground)',
  interrupted: 'var(--ring)',
  cancelled: 'var(--muted-foreground)',
  running: 'var(--primary)',
  pending: 'var(--input)',
}
const AXIS_TICK = { fill: 'var(--muted-foreground)', fontSize: 12 }
const CHART_HEIGHT = 220

/** The last `days` calendar days (UTC, as the server counts them) plus any the server sent. */
function dayKeys(stats: ToolCallStats, days: number, now = new Date()): string[] {
  const keys = new Set(stats.days.map((d) => d.day))
  for (let back = days - 1; back >= 0; back--) {
    const day = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - back))
    keys.add(day.toISOString().slice(0, 10))
  }
  return [...keys].sort().slice(-days)
}

/** Calls per day, stacked by status; latency (p50/p95) and error rate per server. */
export function ToolCallCharts() {
  const { t } = useTranslation()
  const stats = useQuery(toolCallQueries.stats(STATS_DAYS))
  return (
    <Card aria-labelledby="tool-call-charts-title">
      <CardHeader>
        <CardTitle id="tool-call-charts-title">{t('toolCalls.charts.title')}</CardTitle>
        <CardDescription>
          {t('toolCalls.charts.description', { count: STATS_DAYS })}
        </CardDescription>
      </CardHeader>
      <CardContent>
        {stats.isPending ? (
          <div role="status" className="grid gap-6 lg:grid-cols-3">
            <span className="sr-only">{t('toolCalls.charts.loading')}</span>
            {[0, 1, 2].map((chart) => (
              <Skeleton key={chart} className="h-56 w-full" />
            ))}
          </div>
        ) : stats.isError ? (
          <ErrorState error={stats.error} onRetry={() => stats.refetch()} />
        ) : (
          <Charts stats={stats.data} />
        )}
      </CardContent>
    </Card>
  )
}

function Charts({ stats }: { stats: ToolCallStats }) {
  const { t, i18n } = useTranslation()
  const formatDuration = useFormatDuration()
  const language = i18n.resolvedLanguage ?? i18n.language
  const formatDay = useMemo(() => {
    const format = new Intl.DateTimeFormat(language, {
      month: 'short',
      day: 'numeric',
      timeZone: 'UTC',
    })
    // Recharts also asks for labels with nothing hovered (`undefined`): answer those as given.
    return (day: unknown) => {
      const date = new Date(`${String(day)}T00:00:00Z`)
      return Number.isNaN(date.getTime()) ? String(day ?? '') : format.format(date)
    }
  }, [language])
  const percent = useMemo(
    () => new Intl.NumberFormat(language, { style: 'percent', maximumFractionDigits: 1 }),
    [language],
  )

  const byDay = new Map(stats.days.map((d) => [d.day, d.counts]))
  const days = dayKeys(stats, STATS_DAYS).map((day) => ({ day, ...byDay.get(day) }))
  const statuses = TOOL_CALL_STATUSES.filter((status) =>
    stats.days.some((d) => (d.counts[status] ?? 0) > 0),
  )
  const statusName = (status: string) =>
    TOOL_CALL_STATUSES.includes(status as ToolCallStatus)
      ? t(`toolCalls.status.${status as ToolCallStatus}`)
      : status
  const servers = stats.servers.map((s) => ({ ...s, name: s.serverName }))
  const serverHeight = Math.max(CHART_HEIGHT, servers.length * 44 + 60)

  if (statuses.length === 0 && servers.length === 0) {
    return <p className="text-sm text-muted-foreground">{t('toolCalls.charts.empty')}</p>
  }

  return (
    <div className="grid gap-8 lg:grid-cols-3">
      <ChartFigure
        title={t('toolCalls.charts.perDay')}
        table={{
          columns: [t('toolCalls.charts.day'), ...statuses.map(statusName)],
          rows: days.map((d) => [formatDay(d.day), ...statuses.map((s) => String(d[s] ?? 0))]),
        }}
      >
        <BarChart
          responsive
          accessibilityLayer={false}
          data={days}
          style={{ width: '100%', height: CHART_HEIGHT }}
        >
          <CartesianGrid vertical={false} stroke="var(--border)" />
          <XAxis
            dataKey="day"
            tickFormatter={formatDay}
            tick={AXIS_TICK}
            stroke="var(--border)"
            minTickGap={12}
          />
          <YAxis allowDecimals={false} tick={AXIS_TICK} stroke="var(--border)" width={32} />
          <Tooltip
            cursor={{ fill: 'var(--muted)' }}
            content={(props) => (
              <ChartTooltip {...props} label={formatDay(props.label)} name={statusName} />
            )}
          />
          <Legend
            formatter={(value) => (
              <span className="text-xs text-foreground">{statusName(String(value))}</span>
            )}
          />
          {statuses.map((status) => (
            <Bar
              key={status}
              dataKey={status}
              stackId="calls"
              fill={STATUS_COLORS[status]}
              maxBarSize={28}
            />
          ))}
        </BarChart>
      </ChartFigure>

      <ChartFigure
        title={t('toolCalls.charts.latency')}
        table={{
          columns: [t('toolCalls.charts.server'), 'p50', 'p95'],
          rows: servers.map((s) => [
            s.name,
            s.p50Ms === null ? '–' : formatDuration(s.p50Ms),
            s.p95Ms === null ? '–' : formatDuration(s.p95Ms),
          ]),
        }}
      >
        <BarChart
          responsive
          accessibilityLayer={false}
          layout="vertical"
          data={servers}
          style={{ width: '100%', height: serverHeight }}
        >
          <CartesianGrid horizontal={false} stroke="var(--border)" />
          <XAxis
            type="number"
            tick={AXIS_TICK}
            stroke="var(--border)"
            tickFormatter={(ms: number) => formatDuration(ms)}
          />
          <YAxis
            type="category"
            dataKey="name"
            tick={AXIS_TICK}
            stroke="var(--border)"
            width={96}
          />
          <Tooltip
            cursor={{ fill: 'var(--muted)' }}
            content={(props) => (
              <ChartTooltip
                {...props}
                label={String(props.label)}
                name={(n) => n}
                value={(v) => formatDuration(v)}
              />
            )}
          />
          <Legend
            formatter={(value) => <span className="text-xs text-foreground">{String(value)}</span>}
          />
          <Bar dataKey="p50Ms" name="p50" fill="var(--ring)" maxBarSize={16} />
          <Bar dataKey="p95Ms" name="p95" fill="var(--primary)" maxBarSize={16} />
        </BarChart>
      </ChartFigure>

      <ChartFigure
        title={t('toolCalls.charts.errorRate')}
        table={{
          columns: [
            t('toolCalls.charts.server'),
            t('toolCalls.charts.errorRate'),
            t('toolCalls.charts.calls'),
          ],
          rows: servers.map((s) => [s.name, percent.format(s.errorRate), String(s.calls)]),
        }}
      >
        <BarChart
          responsive
          accessibilityLayer={false}
          layout="vertical"
          data={servers}
          style={{ width: '100%', height: serverHeight }}
        >
          <CartesianGrid horizontal={false} stroke="var(--border)" />
          <XAxis
            type="number"
            domain={[0, 1]}
            tick={AXIS_TICK}
            stroke="var(--border)"
            tickFormatter={(rate: number) => percent.format(rate)}
          />
          <YAxis
            type="category"
            dataKey="name"
            tick={AXIS_TICK}
            stroke="var(--border)"
            width={96}
          />
          <Tooltip
            cursor={{ fill: 'var(--muted)' }}
            content={(props) => (
              <ChartTooltip
                {...props}
                label={String(props.label)}
                name={() => t('toolCalls.charts.errorRate')}
                value={(v) => percent.format(v)}
              />
            )}
          />
          <Bar dataKey="errorRate" fill="var(--destructive)" maxBarSize={16} />
        </BarChart>
      </ChartFigure>
    </div>
  )
}

/**
 * A chart with its title, and the same numbers as a table for screen readers (an SVG of bars
 * says little to them).
 */
function ChartFigure({
  title,
  table,
  children,
}: {
  title: string
  table: { columns: string[]; rows: string[][] }
  children: ReactNode
}) {
  const id = useId()
  return (
    <figure aria-labelledby={id} className="flex min-w-0 flex-col gap-3" data-chart={title}>
      <figcaption id={id} className="text-sm font-medium">
        {title}
      </figcaption>
      <div aria-hidden="true" className="min-w-0">
        {children}
      </div>
      <table className="sr-only">
        <caption>{title}</caption>
        <thead>
          <tr>
            {table.columns.map((column) => (
              <th key={column} scope="col">
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {table.rows.map((row) => (
            <tr key={row[0]}>
              {row.map((cell, index) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: cells are columns, in a fixed order
                <td key={index}>{cell}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  )
}

function ChartTooltip({
  active,
  payload,
  label,
  name,
  value = (v) => String(v),
}: Pick<TooltipContentProps<number, string>, 'active' | 'payload'> & {
  label: string
  name: (name: string) => string
  value?: (value: number) => string
}) {
  if (!active || !payload?.length) return null
  return (
    <div className="rounded-md border bg-card px-3 py-2 text-xs text-card-foreground shadow-md">
      <p className="mb-1 font-medium">{label}</p>
      <ul className="flex flex-col gap-0.5">
        {payload.map((entry) => (
          <li key={String(entry.dataKey)} className="flex items-center gap-2">
            <span
              className="size-2 rounded-sm"
              style={{ background: entry.color }}
              aria-hidden="true"
            />
            <span>{name(String(entry.name ?? entry.dataKey))}</span>
            <span className="ml-auto font-medium tabular-nums">
              {typeof entry.value === 'number' ? value(entry.value) : '–'}
            </span>
          </li>
        ))}
      </ul>
    </div>
  )
}
