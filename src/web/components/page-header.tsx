import { useDocumentTitle } from '../hooks/use-document-title.ts'

/** The page's h1 and one line on what it is for; also names the browser tab. */
export function PageHeader({ title, description }: { title: string; description?: string }) {
  useDocumentTitle(title)
  return (
    <header className="mb-8 flex flex-col gap-1">
      <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
      {description && <p className="text-muted-foreground">{description}</p>}
    </header>
  )
}
