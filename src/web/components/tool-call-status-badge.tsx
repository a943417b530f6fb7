import { Loader2 } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import type { ToolCallStatus } from '../../shared/tool-calls.ts'
import { Badge, type BadgeProps } from './ui/badge.tsx'

const VARIANTS: Record<ToolCallStatus, BadgeProps['variant']> = {
  pending: 'outline',
  running: 'secondary',
  succeeded: 'success',
  failed: 'destructive',
  timeout: 'warning',
  cancelled: 'secondary',
  interrupted: 'warning',
}

/** A call's status in words (the colour only repeats it); spins while the call runs. */
export function ToolCallStatusBadge({
  status,
  className,
}: {
  status: ToolCallStatus
  className?: string
}) {
  const { t } = useTranslation()
  return (
    <Badge variant={VARIANTS[status]} className={className} data-status={status}>
      {(status === 'running' || status === 'pending') && (
        <Loader2 className="animate-spin" aria-hidden="true" />
      )}
      {t(`toolCalls.status.${status}`)}
    </Badge>
  )
}
