import { Loader2 } from 'lucide-react'
import { cn } from './cn.ts'

/** A spinner announced to screen readers as `label`. */
export function Spinner({ label, className }: { label: string; className?: string }) {
  return (
    <span role="status" className={cn('inline-flex items-center gap-2', className)}>
      <Loader2 className="size-5 animate-spin text-muted-foreground" aria-hidden="true" />
      <span className="sr-only">{label}</span>
    </span>
  )
}
