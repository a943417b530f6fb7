import { useId } from 'react'
import { useTranslation } from 'react-i18next'
import {
  Bar,
  BarChart,
  type BarShapeProps,
  CartesianGrid,
  Legend,
  Rectangle,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts'
import type { AdminServerCalls, AdminStats } from '../../shared/admin.ts'
import { MCP_SERVER_STATUSES, type McpServerStatus } from '../../shared/mcp-servers.ts'
import { TOOL_CALL_STATUSES, type ToolCallStatus } from '../../shared/tool-calls.ts'
import { Card, CardContent } from './ui/card.tsx'

// Charts draw with the theme's colour tokens, so they follow the light and dark themes.
const AXIS_TICK = { fill: 'var(--color-muted-foreground)', fontSize: 12 }
const TOOLTIP_STYLE = {
  backgroundColor: 'var(--color-card)',
  border: '1px solid var(--color-border)',
  borderRadius: 8,
  color: 'var(--color-card-foreground)',
  fontSize: 12,
}
const CHART_HEIGHT = 240

const SERVER_COLORS: Record<McpServerStatus, string> = {
  online: 'var(--color-success-foreground)',
  offline: 'var(--color-muted-foreground)',
  error: 'var(--color-destructive)',
  needs_auth: 'var(--color-warning-foreground)',
  unknown: 'var(--color-input)',
}

const CALL_COLORS: Record<ToolCallStatus, string> = {
  pending: 'var(--color-muted-foreground)',
  running: 'var(--color-ring)',
  succeeded: 'var(--color-success-foreground)',
  failed: 'var(--color-destructive)',
  timeout: 'var(--color-warning-foreground)',
  cancelled: 'var(--color-input)',
  interrupted: 'var(--color-warning-foreground)',
}

/** The admin page's charts: servers and calls by status, latency per server. */
export function AdminCharts({ stats }: { stats: AdminStats }) {
  const { t } = useTranslation()
  const serverBars = MCP_SERVER_STATUSES.map((status) => ({
    key: status,
    label: t(`servers.status.${status}`),
    value: stats.servers.byStatus[status],
    color: SERVER_COLORS[status],
  }))
  const callBars = TOOL_CALL_STATUSES.map((status) => ({
    key: status,
    label: t(`admin.callStatus.${status}`),
    value: stats.calls.byStatus[status],
    color: CALL_COLORS[status],
  }))
  return (
    <>
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
        <Card>
          <CardContent>
            {stats.servers.total === 0 ? (
              <NoData
                title={t('admin.charts.serversByStatus')}
                text={t('admin.charts.noServers')}
              />
            ) : (
              <CountBarChart title={t('admin.charts.serversByStatus')} bars={serverBars} />
            )}
          </CardContent>
        </Card>
        <Card>
          <CardContent>
            {stats.calls.total === 0 ? (
              <NoData title={t('admin.charts.callsByStatus')} text={t('admin.charts.noCalls')} />
            ) : (
              <CountBarChart title={t('admin.charts.callsByStatus')} bars={callBars} />
            )}
          </CardContent>
        </Card>
      </div>
      <Card>
        <CardContent>
          {stats.calls.perServer.length === 0 ? (
            <NoData title={t('admin.charts.latency')} text={t('admin.charts.noCalls')} />
          ) : (
            <LatencyChart servers={stats.calls.perServer} />
          )}
        </CardContent>
      </Card>
    </>
  )
}

function NoData({ title, text }: { title: string; text: string }) {
  return (
    <div className="flex flex-col gap-3">
      <h3 className="text-sm font-medium">{title}</h3>
      <p className="py-8 text-center text-sm text-muted-foreground">{text}</p>
    </div>
  )
}

interface CountBar {
  key: string
  label: string
  value: number
  /** A CSS colour; the label says the same, the colour only repeats it. */
  color: string
}

/**
 * One bar per category (servers or calls by status). The figure carries a caption and the same
 * numbers as a table for screen readers; the chart itself is a picture of that table.
 */
function CountBarChart({ title, bars }: { title: string; bars: readonly CountBar[] }) {
  const { t } = useTranslation()
  const captionId = useId()
  return (
    <figure aria-labelledby={captionId} className="flex min-w-0 flex-col gap-3">
      <figcaption id={captionId} className="text-sm font-medium">
        {title}
      </figcaption>
      <div aria-hidden="true">
        <BarChart
          responsive
          data={[...bars]}
          style={{ width: '100%', height: CHART_HEIGHT }}
          margin={{ top: 8, right: 8, bottom: 8, left: 0 }}
          accessibilityLayer={false}
        >
          <CartesianGrid vertical={false} stroke="var(--color-border)" />
          <XAxis dataKey="label" tick={AXIS_TICK} interval={0} height={40} />
          <YAxis allowDecimals={false} tick={AXIS_TICK} width={40} />
          <Tooltip
            cursor={{ fill: 'var(--color-muted)' }}
            contentStyle={TOOLTIP_STYLE}
            formatter={(value) => [value, t('admin.charts.count')]}
          />
          <Bar
            dataKey="value"
            radius={[4, 4, 0, 0]}
            shape={(props: BarShapeProps) => (
              <Rectangle {...props} fill={(props.payload as CountBar | undefined)?.color} />
            )}
          />
        </BarChart>
      </div>
      <table className="sr-only">
        <caption>{t('admin.charts.dataTable', { title })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('admin.charts.status')}</th>
            <th scope="col">{t('admin.charts.count')}</th>
          </tr>
        </thead>
        <tbody>
          {bars.map((bar) => (
            <tr key={bar.key}>
              <th scope="row">{bar.label}</th>
              <td>{bar.value}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  )
}

/** p50 and p95 call duration per server, busiest first (at most `max` servers). */
function LatencyChart({
  servers,
  max = 10,
}: {
  servers: readonly AdminServerCalls[]
  max?: number
}) {
  const { t } = useTranslation()
  const captionId = useId()
  const descriptionId = useId()
  const shown = servers.slice(0, max)
  const ms = (value: number | null) =>
    value === null ? t('admin.charts.noData') : t('admin.charts.ms', { value })
  return (
    <figure
      aria-labelledby={captionId}
      aria-describedby={descriptionId}
      className="flex min-w-0 flex-col gap-3"
    >
      <div className="flex flex-col gap-1">
        <figcaption id={captionId} className="text-sm font-medium">
          {t('admin.charts.latency')}
        </figcaption>
        <p id={descriptionId} className="text-sm text-muted-foreground">
          {t('admin.charts.latencyDescription')}
        </p>
      </div>
      <div aria-hidden="true">
        <BarChart
          responsive
          data={shown.map((server) => ({
            label: server.serverName,
            p50: server.p50Ms,
            p95: server.p95Ms,
          }))}
          style={{ width: '100%', height: CHART_HEIGHT + 40 }}
          margin={{ top: 8, right: 8, bottom: 8, left: 0 }}
          accessibilityLayer={false}
        >
          <CartesianGrid vertical={false} stroke="var(--color-border)" />
          <XAxis dataKey="label" tick={AXIS_TICK} interval={0} height={40} />
          <YAxis tick={AXIS_TICK} width={48} />
          <Tooltip
            cursor={{ fill: 'var(--color-muted)' }}
            contentStyle={TOOLTIP_STYLE}
            formatter={(value, name) => [
              ms(typeof value === 'number' ? value : null),
              String(name),
            ]}
          />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Bar
            dataKey="p50"
            name={t('admin.charts.p50')}
            fill="var(--color-ring)"
            radius={[4, 4, 0, 0]}
          />
          <Bar
            dataKey="p95"
            name={t('admin.charts.p95')}
            fill="var(--color-warning-foreground)"
            radius={[4, 4, 0, 0]}
          />
        </BarChart>
      </div>
      <table className="sr-only">
        <caption>{t('admin.charts.dataTable', { title: t('admin.charts.latency') })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('admin.charts.server')}</th>
            <th scope="col">{t('admin.charts.calls')}</th>
            <th scope="col">{t('admin.charts.failed')}</th>
            <th scope="col">{t('admin.charts.p50')}</th>
            <th scope="col">{t('admin.charts.p95')}</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((server) => (
            <tr key={server.serverId ?? `deleted:${server.serverName}`}>
              <th scope="row">{server.serverName}</th>
              <td>{server.calls}</td>
              <td>{server.failed}</td>
              <td>{ms(server.p50Ms)}</td>
              <td>{ms(server.p95Ms)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  )
}
