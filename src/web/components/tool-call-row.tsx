import { CircleX } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import type { ToolCallView } from '../../shared/tool-calls.ts'
import { useFormatDateTime } from '../hooks/use-format-date-time.ts'
import { useFormatRelativeTime } from '../hooks/use-format-relative-time.ts'
import { useFormatDuration } from './tool-call-duration.ts'
import { ToolCallStatusBadge } from './tool-call-status-badge.tsx'
import { Badge } from './ui/badge.tsx'
import { cn } from './ui/cn.ts'

/** One call in the history: a button that opens its details. */
export function ToolCallRow({
  call,
  selected,
  onOpen,
}: {
  call: ToolCallView
  selected: boolean
  onOpen: (id: string) => void
}) {
  const { t } = useTranslation()
  const formatDuration = useFormatDuration()
  const formatDateTime = useFormatDateTime()
  const formatRelative = useFormatRelativeTime()
  return (
    <button
      type="button"
      data-call-id={call.id}
      aria-current={selected || undefined}
      aria-haspopup="dialog"
      onClick={() => onOpen(call.id)}
      className={cn(
        'flex w-full cursor-pointer flex-col gap-2 rounded-lg px-3 py-3 text-left transition-[background-color] hover:bg-accent sm:flex-row sm:items-center sm:gap-4',
        selected && 'bg-accent',
      )}
    >
      <span className="flex min-w-0 flex-1 flex-col gap-0.5">
        <span className="font-mono text-sm font-semibold break-all">{call.toolName}</span>
        <span className="truncate text-xs text-muted-foreground">{call.serverName}</span>
      </span>
      <span className="flex flex-wrap items-center gap-2 sm:justify-end">
        <ToolCallStatusBadge status={call.status} />
        {call.output?.isError && (
          <Badge variant="destructive">
            <CircleX aria-hidden="true" />
            {t('toolCalls.toolError')}
          </Badge>
        )}
        <Badge variant="outline" title={call.clientName ?? undefined}>
          {t(`toolCalls.source.${call.source}`)}
        </Badge>
        <span className="text-xs text-muted-foreground tabular-nums empty:hidden sm:w-20 sm:text-right sm:empty:block">
          {call.durationMs !== null ? (
            <>
              <span className="sr-only">{t('toolCalls.detail.duration')}: </span>
              {formatDuration(call.durationMs)}
            </>
          ) : null}
        </span>
        <time
          dateTime={call.createdAt}
          title={formatDateTime(call.createdAt)}
          className="text-xs text-muted-foreground sm:w-28 sm:text-right"
        >
          {formatRelative(call.createdAt)}
        </time>
      </span>
    </button>
  )
}
