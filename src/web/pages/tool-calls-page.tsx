import { ScrollText } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { EmptyState } from '../components/empty-state.tsx'
import { PageHeader } from '../components/page-header.tsx'

export function ToolCallsPage() {
  const { t } = useTranslation()
  return (
    <>
      <PageHeader title={t('toolCalls.title')} description={t('toolCalls.description')} />
      <EmptyState icon={ScrollText} title={t('toolCalls.emptyTitle')}>
        <p>{t('toolCalls.emptyBody')}</p>
      </EmptyState>
    </>
  )
}
