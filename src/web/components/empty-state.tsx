import type { LucideIcon } from 'lucide-react'
import type { ReactNode } from 'react'

export interface EmptyStateProps {
  icon: LucideIcon
  title: string
  children?: ReactNode
}

/** What a list or page shows before it has anything: what will be here and how to get it. */
export function EmptyState({ icon: Icon, title, children }: EmptyStateProps) {
  return (
    <div className="flex flex-col items-center gap-3 rounded-xl border border-dashed px-6 py-12 text-center">
      <span className="flex size-12 items-center justify-center rounded-full bg-muted">
        <Icon className="size-6 text-muted-foreground" aria-hidden="true" />
      </span>
      <p className="text-base font-semibold">{title}</p>
      <div className="flex max-w-prose flex-col items-center gap-3 text-sm text-muted-foreground">
        {children}
      </div>
    </div>
  )
}
