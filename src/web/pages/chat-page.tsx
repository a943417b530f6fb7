import { MessageSquare } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { EmptyState } from '../components/empty-state.tsx'
import { PageHeader } from '../components/page-header.tsx'
import { Button } from '../components/ui/button.tsx'

export function ChatPage() {
  const { t } = useTranslation()
  return (
    <>
      <PageHeader title={t('chat.title')} description={t('chat.description')} />
      <EmptyState icon={MessageSquare} title={t('chat.emptyTitle')}>
        <p>{t('chat.emptyBody')}</p>
        <p>{t('chat.emptyHint')}</p>
        <Button asChild variant="outline" size="sm">
          <Link to="/servers">{t('chat.goToServers')}</Link>
        </Button>
      </EmptyState>
    </>
  )
}
