import { useQuery } from '@tanstack/react-query'
import { Boxes, Plus } from 'lucide-react'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { adminModelQueries } from '../../api/admin-models.ts'
import { EmptyState } from '../empty-state.tsx'
import { ErrorState } from '../error-state.tsx'
import { Button } from '../ui/button.tsx'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '../ui/card.tsx'
import { Spinner } from '../ui/spinner.tsx'
import { ModelSettingsForm } from './model-settings-form.tsx'
import { ProviderCard } from './provider-card.tsx'
import { ProviderFormDialog, type ProviderFormTarget } from './provider-form-dialog.tsx'

/** Admin → Models: the providers chat uses, the models on offer, the default. */
export function AdminModelsSection() {
  const { t } = useTranslation()
  const list = useQuery(adminModelQueries.providers())
  const [target, setTarget] = useState<ProviderFormTarget>(null)
  return (
    <Card id="admin-models" className="scroll-mt-20">
      <CardHeader className="gap-3 sm:flex-row sm:items-start sm:justify-between">
        <div className="flex flex-col gap-1.5">
          <CardTitle>{t('adminModels.title')}</CardTitle>
          <CardDescription>{t('adminModels.description')}</CardDescription>
        </div>
        <Button onClick={() => setTarget('new')}>
          <Plus aria-hidden="true" />
          {t('adminModels.add')}
        </Button>
      </CardHeader>
      <CardContent className="flex flex-col gap-6">
        {list.isPending ? (
          <div className="flex justify-center py-6">
            <Spinner label={t('common.loading')} />
          </div>
        ) : list.isError ? (
          <ErrorState error={list.error} onRetry={() => list.refetch()} />
        ) : (
          <>
            {list.data.providers.length === 0 ? (
              <EmptyState icon={Boxes} title={t('adminModels.emptyTitle')}>
                <p>{t('adminModels.emptyBody')}</p>
              </EmptyState>
            ) : (
              <div className="flex flex-col gap-4">
                {list.data.providers.map((provider) => (
                  <ProviderCard key={provider.id} provider={provider} onEdit={setTarget} />
                ))}
              </div>
            )}
            <ModelSettingsForm list={list.data} />
          </>
        )}
      </CardContent>
      <ProviderFormDialog target={target} onClose={() => setTarget(null)} />
    </Card>
  )
}
