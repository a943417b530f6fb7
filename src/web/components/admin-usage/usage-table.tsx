import { useTranslation } from 'react-i18next'
import type { UsageTotals } from '../../../shared/usage.ts'
import { useUsageFormat } from './use-usage-format.ts'

/** Usage per user or per model, as a table that scrolls sideways on a phone. */
export function UsageTable({
  caption,
  firstColumn,
  rows,
}: {
  caption: string
  firstColumn: string
  rows: (UsageTotals & { key: string; name: string })[]
}) {
  const { t } = useTranslation()
  const format = useUsageFormat()
  return (
    <div className="flex flex-col gap-2">
      <h3 className="text-sm font-medium">{caption}</h3>
      <div className="overflow-x-auto rounded-md border">
        <table className="w-full text-sm">
          <caption className="sr-only">{caption}</caption>
          <thead className="bg-muted/50 text-left text-muted-foreground">
            <tr>
              <th scope="col" className="px-3 py-2 font-medium">
                {firstColumn}
              </th>
              <th scope="col" className="px-3 py-2 text-right font-medium">
                {t('adminUsage.table.answers')}
              </th>
              <th scope="col" className="px-3 py-2 text-right font-medium">
                {t('adminUsage.table.inputTokens')}
              </th>
              <th scope="col" className="px-3 py-2 text-right font-medium">
                {t('adminUsage.table.outputTokens')}
              </th>
              <th scope="col" className="px-3 py-2 text-right font-medium">
                {t('adminUsage.table.cost')}
              </th>
              <th scope="col" className="px-3 py-2 text-right font-medium">
                {t('adminUsage.table.toolCalls')}
              </th>
              <th scope="col" className="px-3 py-2 text-right font-medium">
                {t('adminUsage.table.toolErrors')}
              </th>
              <th scope="col" className="px-3 py-2 text-right font-medium">
                {t('adminUsage.table.errors')}
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.key} className="border-t">
                <th
                  scope="row"
                  className="max-w-64 truncate px-3 py-2 text-left font-normal"
                  title={row.name}
                >
                  {row.name}
                </th>
                <td className="px-3 py-2 text-right tabular-nums">{format.count(row.answers)}</td>
                <td className="px-3 py-2 text-right tabular-nums">
                  {format.count(row.inputTokens)}
                </td>
                <td className="px-3 py-2 text-right tabular-nums">
                  {format.count(row.outputTokens)}
                </td>
                <td className="px-3 py-2 text-right tabular-nums">{format.cost(row.cost)}</td>
                <td className="px-3 py-2 text-right tabular-nums">{format.count(row.toolCalls)}</td>
                <td className="px-3 py-2 text-right tabular-nums">
                  {format.count(row.toolErrors)}
                </td>
                <td className="px-3 py-2 text-right tabular-nums">{format.count(row.errors)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  )
}
