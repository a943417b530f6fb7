import { useTranslation } from 'react-i18next'
import type { McpServerStatus } from '../../shared/mcp-servers.ts'
import { Badge, type BadgeProps } from './ui/badge.tsx'
import { cn } from './ui/cn.ts'

const LOOK: Record<McpServerStatus, { variant: BadgeProps['variant']; dot: string }> = {
  online: { variant: 'success', dot: 'bg-current' },
  offline: { variant: 'secondary', dot: 'bg-muted-foreground' },
  error: { variant: 'destructive', dot: 'bg-current' },
  needs_auth: { variant: 'warning', dot: 'bg-current' },
  unknown: { variant: 'outline', dot: 'border border-muted-foreground' },
}

/** The server's last known status, in words (the colour only repeats it). */
export function ServerStatusBadge({
  status,
  count,
  className,
}: {
  status: McpServerStatus
  /** How many servers have this status, for summaries. */
  count?: number
  className?: string
}) {
  const { t } = useTranslation()
  const { variant, dot } = LOOK[status]
  return (
    <Badge variant={variant} className={className} data-status={status}>
      <span className={cn('size-1.5 rounded-full', dot)} aria-hidden="true" />
      {t(`servers.status.${status}`)}
      {count !== undefined && <span className="ml-0.5 font-semibold tabular-nums">{count}</span>}
    </Badge>
  )
}
