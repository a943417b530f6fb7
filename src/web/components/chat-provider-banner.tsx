import { TriangleAlert } from 'lucide-react'
import { Trans, useTranslation } from 'react-i18next'
import { Alert } from './ui/alert.tsx'

const VARIABLE = <code className="rounded bg-background/60 px-1 font-mono text-xs" />

/** Chat cannot answer until the operator configures a model provider: say exactly what to set. */
export function ChatProviderBanner() {
  const { t } = useTranslation()
  return (
    <Alert variant="warning" role="alert" data-banner="no-provider" className="mb-6">
      <TriangleAlert aria-hidden="true" />
      <div className="flex min-w-0 flex-col gap-2">
        <p className="font-semibold">{t('chat.provider.title')}</p>
        <p>{t('chat.provider.body')}</p>
        <ul className="flex list-disc flex-col gap-1 pl-5">
          <li>
            <Trans i18nKey="chat.provider.openrouter" components={{ code: VARIABLE }} />
          </li>
          <li>
            <Trans i18nKey="chat.provider.compatible" components={{ code: VARIABLE }} />
          </li>
        </ul>
        <p>{t('chat.provider.restart')}</p>
      </div>
    </Alert>
  )
}
