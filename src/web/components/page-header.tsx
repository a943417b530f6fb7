import type { ReactNode } from 'react'
import { useDocumentTitle } from '../hooks/use-document-title.ts'

/** The page's h1 and one line on what it is for; also names the browser tab. */
export function PageHeader({
  title,
  description,
  actions,
}: {
  title: string
  description?: string
  /** The page's main action (an "Add" button), beside the title on wide screens. */
  actions?: ReactNode
}) {
  useDocumentTitle(title)
  return (
    <header className="mb-8 flex flex-col gap-4 sm:flex-row sm:items-start sm:justify-between">
      <div className="flex flex-col gap-1">
        <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
        {description && <p className="text-muted-foreground">{description}</p>}
      </div>
      {actions && <div className="flex shrink-0 gap-2">{actions}</div>}
    </header>
  )
}
