import { useId } from 'react'
import { useTranslation } from 'react-i18next'
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts'
import type { UsageReport } from '../../../shared/usage.ts'
import { useUsageFormat } from './use-usage-format.ts'

// The same chart library and theme tokens as the admin page's other charts (admin-charts.tsx),
// so they follow the light and dark themes.
const AXIS_TICK = { fill: 'var(--color-muted-foreground)', fontSize: 12 }
const TOOLTIP_STYLE = {
  backgroundColor: 'var(--color-card)',
  border: '1px solid var(--color-border)',
  borderRadius: 8,
  color: 'var(--color-card-foreground)',
  fontSize: 12,
}
const HEIGHT = 260
const MODELS_MAX = 10

interface Row {
  label: string
  input: number
  output: number
}

/** Tokens in and out per day and per model (the busiest ten). */
export function UsageCharts({ report }: { report: UsageReport }) {
  const { t } = useTranslation()
  const perDay = report.perDay.map((d) => ({
    label: d.day.slice(5),
    input: d.inputTokens,
    output: d.outputTokens,
  }))
  const perModel = report.perModel
    .slice(0, MODELS_MAX)
    .map((m) => ({ label: m.model, input: m.inputTokens, output: m.outputTokens }))
  return (
    <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
      <TokenChart
        title={t('adminUsage.charts.perDay')}
        rows={perDay}
        firstColumn={t('adminUsage.charts.day')}
      />
      <TokenChart
        title={t('adminUsage.charts.perModel')}
        rows={perModel}
        firstColumn={t('adminUsage.table.model')}
      />
    </div>
  )
}

/** Stacked bars of input and output tokens, with the same numbers as a table for screen readers. */
function TokenChart({
  title,
  rows,
  firstColumn,
}: {
  title: string
  rows: Row[]
  firstColumn: string
}) {
  const { t } = useTranslation()
  const format = useUsageFormat()
  const captionId = useId()
  return (
    <figure
      aria-labelledby={captionId}
      className="flex min-w-0 flex-col gap-3 rounded-xl border p-4"
    >
      <figcaption id={captionId} className="text-sm font-medium">
        {title}
      </figcaption>
      <div aria-hidden="true">
        <BarChart
          responsive
          data={rows}
          style={{ width: '100%', height: HEIGHT }}
          margin={{ top: 8, right: 8, bottom: 8, left: 0 }}
          accessibilityLayer={false}
        >
          <CartesianGrid vertical={false} stroke="var(--color-border)" />
          <XAxis dataKey="label" tick={AXIS_TICK} height={40} />
          <YAxis
            allowDecimals={false}
            tick={AXIS_TICK}
            width={56}
            tickFormatter={(v: number) => format.count(v)}
          />
          <Tooltip
            cursor={{ fill: 'var(--color-muted)' }}
            contentStyle={TOOLTIP_STYLE}
            formatter={(value, name) => [format.count(Number(value)), String(name)]}
          />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Bar
            dataKey="input"
            stackId="tokens"
            name={t('adminUsage.table.inputTokens')}
            fill="var(--color-ring)"
          />
          <Bar
            dataKey="output"
            stackId="tokens"
            name={t('adminUsage.table.outputTokens')}
            fill="var(--color-warning-foreground)"
            radius={[4, 4, 0, 0]}
          />
        </BarChart>
      </div>
      <table className="sr-only">
        <caption>{t('admin.charts.dataTable', { title })}</caption>
        <thead>
          <tr>
            <th scope="col">{firstColumn}</th>
            <th scope="col">{t('adminUsage.table.inputTokens')}</th>
            <th scope="col">{t('adminUsage.table.outputTokens')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.label}>
              <th scope="row">{row.label}</th>
              <td>{row.input}</td>
              <td>{row.output}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  )
}
