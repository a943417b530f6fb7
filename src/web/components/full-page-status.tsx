import { useTranslation } from 'react-i18next'
import { ErrorState } from './error-state.tsx'
import { Spinner } from './ui/spinner.tsx'

export function FullPageSpinner() {
  const { t } = useTranslation()
  return (
    <div className="flex min-h-dvh items-center justify-center">
      <Spinner label={t('common.loading')} />
    </div>
  )
}

export function FullPageError({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  return (
    <div className="flex min-h-dvh items-center justify-center">
      <ErrorState error={error} onRetry={onRetry} />
    </div>
  )
}
