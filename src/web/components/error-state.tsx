import { RotateCw } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { useErrorMessage } from '../hooks/use-error-message.ts'
import { Button } from './ui/button.tsx'

/** Shown where data failed to load, with a way to try again. */
export function ErrorState({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const { t } = useTranslation()
  const errorMessage = useErrorMessage()
  return (
    <div role="alert" className="flex flex-col items-center gap-3 px-4 py-8 text-center">
      <p className="max-w-md text-sm text-destructive">{errorMessage(error)}</p>
      <Button variant="outline" size="sm" onClick={onRetry}>
        <RotateCw aria-hidden="true" />
        {t('common.retry')}
      </Button>
    </div>
  )
}
