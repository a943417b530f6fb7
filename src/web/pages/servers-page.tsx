import { Server } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { EmptyState } from '../components/empty-state.tsx'
import { PageHeader } from '../components/page-header.tsx'
import { Card, CardContent, CardHeader, CardTitle } from '../components/ui/card.tsx'

const HOW_STEPS = ['servers.howStep1', 'servers.howStep2', 'servers.howStep3'] as const

export function ServersPage() {
  const { t } = useTranslation()
  return (
    <>
      <PageHeader title={t('servers.title')} description={t('servers.description')} />
      <div className="flex flex-col gap-6">
        <EmptyState icon={Server} title={t('servers.emptyTitle')}>
          <p>{t('servers.emptyBody')}</p>
        </EmptyState>
        <div className="grid gap-6 md:grid-cols-2">
          <Card>
            <CardHeader>
              <CardTitle>{t('servers.whatTitle')}</CardTitle>
            </CardHeader>
            <CardContent>
              <p className="text-sm text-muted-foreground">{t('servers.whatBody')}</p>
            </CardContent>
          </Card>
          <Card>
            <CardHeader>
              <CardTitle>{t('servers.howTitle')}</CardTitle>
            </CardHeader>
            <CardContent>
              <ol className="flex list-decimal flex-col gap-2 pl-5 text-sm text-muted-foreground">
                {HOW_STEPS.map((step) => (
                  <li key={step}>{t(step)}</li>
                ))}
              </ol>
            </CardContent>
          </Card>
        </div>
      </div>
    </>
  )
}
