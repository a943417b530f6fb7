import { Compass } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { Link, useLocation } from 'react-router'
import { Button } from '../components/ui/button.tsx'
import { useDocumentTitle } from '../hooks/use-document-title.ts'

export function NotFoundPage() {
  const { t } = useTranslation()
  const { pathname } = useLocation()
  useDocumentTitle(t('notFound.title'))
  return (
    <main className="flex min-h-dvh flex-col items-center justify-center gap-4 px-4 text-center">
      <span className="flex size-12 items-center justify-center rounded-full bg-muted">
        <Compass className="size-6 text-muted-foreground" aria-hidden="true" />
      </span>
      <h1 className="text-2xl font-semibold tracking-tight">{t('notFound.title')}</h1>
      <p className="max-w-md text-muted-foreground">{t('notFound.body', { path: pathname })}</p>
      <Button asChild>
        <Link to="/chat">{t('notFound.home')}</Link>
      </Button>
    </main>
  )
}
